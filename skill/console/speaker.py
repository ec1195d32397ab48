"""`--speak` and `--save`: what Alexa would say, rendered with the project's speech engines.

Sentences go through the engine one at a time; silences become silence; counts, countdowns and the
count-in are laid out by the audio set's own composer (skill.audio), so they keep their exact tempo;
pre-rendered <audio> tracks are read from the local audio set. Playback uses whichever command-line
player is installed; the whole session can be saved as one MP3 in Alexa's format.
"""
from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import wave
from array import array
from pathlib import Path
from typing import NamedTuple

from skill.audio.compose import CODEC_DELAY_SAMPLES, CompositionError, compose, encode_mp3
from skill.audio.engines import Engine, SynthesisError
from skill.audio.pcm import SAMPLE_RATE, DecodeError, decode, prepare_fragment, seconds_to_samples, silence
from skill.audio.scripts import script_for
from skill.coach.speech import Count, CountIn, Countdown, Pause, Segment, Text
from skill.voice.ssml import Heard, Track

SENTENCE_GAP_S = 0.25  # engines' fragments are trimmed; this is the breath between two sentences
TURN_GAP_S = 1.0       # between one reply and the next in a saved session


class Player(NamedTuple):
    command: str              # a name to look for on PATH, or the path found
    args: tuple[str, ...]     # before the file to play
    wav: bool                 # plays WAV; else MP3 (mpg123)


PLAYERS = (
    Player("paplay", (), True),
    Player("aplay", ("-q",), True),
    Player("ffplay", ("-nodisp", "-autoexit", "-loglevel", "quiet"), True),
    Player("mpg123", ("-q",), False),
)


class SpeakError(Exception):
    """Audio could not be made or played; the message says why."""


class Voice:
    """Pieces of speech -> 24 kHz mono PCM, with the engine's fragments cached by text."""

    def __init__(self, engine: Engine, audio_dir: Path) -> None:
        self.engine, self.audio_dir = engine, audio_dir
        self._fragments: dict[str, array] = {}
        self.missing_tracks: list[str] = []

    def render(self, pieces: tuple[Heard, ...]) -> array:
        out = array("h")
        for piece in pieces:
            out.extend(self._piece(piece))
        return out

    def _piece(self, piece: Heard) -> array:
        match piece:
            case Text(text=text):
                return self._fragment(text) + silence(seconds_to_samples(SENTENCE_GAP_S))
            case Pause(seconds=s):
                return silence(seconds_to_samples(s))
            case Count() | Countdown() | CountIn():
                return self._composed(piece)
            case Track(name=name):
                return self._track(name)
        raise TypeError(f"not a piece of speech: {piece!r}")

    def _fragment(self, text: str) -> array:
        if text not in self._fragments:
            try:
                self._fragments[text] = prepare_fragment(self.engine.synthesize(text))
            except DecodeError as exc:
                raise SpeakError(f'{self.engine.name} gave no audio for "{text}": {exc}') from exc
            except SynthesisError as exc:
                raise SpeakError(str(exc)) from exc
        return self._fragments[text]

    def _composed(self, segment: Segment) -> array:
        script = script_for(segment)
        fragments = {text: self._fragment(text) for text in script.texts()}
        try:
            return compose(script, fragments)
        except CompositionError as exc:
            raise SpeakError(f"cannot lay out {script.stem}: {exc}") from exc

    def _track(self, name: str) -> array:
        path = self.audio_dir / name
        try:
            return decode(path.read_bytes())
        except (OSError, DecodeError):
            self.missing_tracks.append(name)
            return array("h")


def find_player() -> Player | None:
    """The first player on PATH, with its full path."""
    for player in PLAYERS:
        if path := shutil.which(player.command):
            return player._replace(command=path)
    return None


def play(samples: array, player: Player) -> None:
    with tempfile.NamedTemporaryFile(suffix=".wav" if player.wav else ".mp3") as sound:
        sound.write(wav_bytes(samples) if player.wav else mp3_bytes(samples))
        sound.flush()
        try:
            subprocess.run([player.command, *player.args, sound.name], check=True, capture_output=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            detail = getattr(exc, "stderr", b"") or b""
            raise SpeakError(f"{Path(player.command).name} could not play the audio: "
                             f"{detail.decode(errors='replace').strip() or exc}") from exc


def wav_bytes(samples: array) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(samples.tobytes())
    return buffer.getvalue()


def mp3_bytes(samples: array) -> bytes:
    """48 kbps MPEG-2 layer III, 24 kHz mono, through the audio set's encoder (which drops its own
    codec delay from the start, so the samples are padded by that much first)."""
    return encode_mp3(silence(CODEC_DELAY_SAMPLES) + samples)


class Recorder:
    """The whole session's audio, replies separated by a short silence, written as one MP3."""

    def __init__(self) -> None:
        self._samples = array("h")

    def add(self, samples: array) -> None:
        if self._samples:
            self._samples.extend(silence(seconds_to_samples(TURN_GAP_S)))
        self._samples.extend(samples)

    @property
    def seconds(self) -> float:
        return len(self._samples) / SAMPLE_RATE

    def save(self, path: Path) -> None:
        try:
            path.write_bytes(mp3_bytes(self._samples))
        except OSError as exc:
            raise SpeakError(f"cannot write {path}: {exc.strerror or exc}") from exc


class Speaker:
    """Renders each reply; plays it when a player exists, keeps it when the session is being saved."""

    def __init__(self, voice: Voice, player: Player | None, recorder: Recorder | None) -> None:
        self.voice, self.player, self.recorder = voice, player, recorder

    def say(self, pieces: tuple[Heard, ...]) -> None:
        samples = self.voice.render(pieces)
        if self.recorder is not None:
            self.recorder.add(samples)
        if self.player is not None:
            play(samples, self.player)

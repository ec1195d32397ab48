"""Putting a console together from the command's options: settings, transport, language model,
device, transcript and (for --speak/--save) the voice."""
from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from skill.audio.engines import Engine, EngineUnavailable, make_engine
from skill.audio.manifest import AudioSet, ManifestError
from skill.config import ConfigError, Settings
from skill.console.envelopes import Device
from skill.console.model import load_model
from skill.console.nlu import Resolver
from skill.console.screen import ScreenFile
from skill.console.session import Conversation
from skill.console.speaker import PLAYERS, Recorder, Speaker, Voice, find_player
from skill.console.transcript import Transcript
from skill.console.transport import InProcess, Remote, Transport


class ConsoleSetupError(Exception):
    """The console cannot start; the message says what to fix."""


@dataclass
class Console:
    conversation: Conversation
    transcript: Transcript
    where: str                   # "in-process, progress in data/" or "at http://..."
    voice: Voice | None = None
    recorder: Recorder | None = None
    save_to: Path | None = None
    notes: tuple[str, ...] = ()  # said once the console starts (e.g. no audio player)

    def start(self, who: str, *, interactive: bool) -> None:
        hint = " Empty line: say nothing. quit or Ctrl-D: leave." if interactive else ""
        self.transcript.note(f"Back Coach {self.where}, as {who}.{hint}")
        for note in self.notes:
            self.transcript.note(note)

    def run(self, lines: Iterable[str], *, echo: bool) -> None:
        """Each line is one turn; `echo` shows it (a script's lines are not typed on screen)."""
        for line in lines:
            if echo:
                self.transcript.you(line)
            if not self.conversation.hear(line):
                return
        self.conversation.close()

    def finish(self) -> None:
        if self.voice is not None and self.voice.missing_tracks:
            self.transcript.note(f"not in {self.voice.audio_dir}, so silent in the audio: "
                                 + ", ".join(sorted(set(self.voice.missing_tracks))))
        if self.recorder is not None and self.save_to is not None:
            self.recorder.save(self.save_to)
            self.transcript.note(f"saved {self.recorder.seconds:.0f} s of audio to {self.save_to}")


def console_settings(data_dir: Path | None) -> Settings:
    """The server's settings from the environment, in dev mode (the console does not sign requests),
    quiet unless BACKCOACH_LOG_LEVEL asks otherwise."""
    env = dict(os.environ)
    env["BACKCOACH_DEV"] = "1"
    env.setdefault("BACKCOACH_LOG_LEVEL", "ERROR")
    try:
        settings = Settings.from_env(env)
        return settings.with_(data_dir=data_dir) if data_dir is not None else settings
    except ConfigError as exc:
        raise ConsoleSetupError(str(exc)) from None


def build_console(*, user_id: str, url: str | None, data_dir: Path | None, locale: str, realtime: bool = False,
                  speak: bool = False, engine_name: str = "espeak", save: Path | None = None,
                  show_requests: bool = False, screen: Path | None = None) -> Console:
    settings = console_settings(data_dir)
    try:
        resolver = Resolver(load_model(locale))
    except (OSError, ValueError) as exc:
        raise ConsoleSetupError(str(exc)) from None
    # The speech engine is checked before the store is touched: a bad option changes nothing.
    engine = _engine(engine_name) if speak or save else None
    transport: Transport
    if url:
        transport, where = Remote(url), f"at {url}"
    else:
        try:
            transport = InProcess(settings)
        except OSError as exc:
            raise ConsoleSetupError(f"cannot keep progress in {settings.data_dir}/: {exc.strerror or exc}") from None
        except (sqlite3.Error, RuntimeError) as exc:  # a damaged store, or one from another schema version
            raise ConsoleSetupError(f"cannot use the store in {settings.data_dir}/: {exc}") from None
        except ManifestError as exc:
            raise ConsoleSetupError(str(exc)) from None
        where = f"in-process, progress in {settings.data_dir}/"

    transcript = Transcript(realtime=realtime, track_seconds=_track_durations(settings.audio_dir))
    voice = recorder = speaker = None
    notes: list[str] = []
    if engine is not None:
        voice = Voice(engine, settings.audio_dir)
        player = find_player() if speak else None
        if speak and player is None:
            notes.append(f"no audio player found (looked for {', '.join(p.command for p in PLAYERS)}), so nothing "
                         "plays" + ("" if save else "; --save FILE.mp3 keeps the audio"))
        recorder = Recorder() if save else None
        speaker = Speaker(voice, player, recorder)
    device = Device(user_id=user_id, locale=locale)
    screen_file = None
    if screen is not None:
        screen_file = ScreenFile(screen)
        device.interfaces, device.viewport = screen_file.interfaces, screen_file.viewport
        notes.append(f"talking as an Echo Show 8: {screen} shows the screen after each reply")
    conversation = Conversation(resolver, device, transport, transcript, speaker=speaker,
                                show_requests=show_requests, screen=screen_file.show if screen_file else None)
    return Console(conversation, transcript, where, voice, recorder, save, tuple(notes))


def _engine(name: str) -> Engine:
    try:
        return make_engine(name)
    except EngineUnavailable as exc:
        raise ConsoleSetupError(str(exc)) from None


def _track_durations(audio_dir: Path) -> Callable[[str], float]:
    """Seconds each pre-rendered track lasts (for --realtime); 0 for a track this checkout lacks."""
    try:
        audio_set = AudioSet.load(audio_dir)
    except ManifestError:
        return lambda name: 0.0

    def seconds(name: str) -> float:
        found = audio_set.by_name(name)
        return found.duration if found else 0.0

    return seconds

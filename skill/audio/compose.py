"""Scripts + prepared fragments -> one PCM track, and PCM -> the MP3 bytes Alexa accepts."""
from __future__ import annotations

from array import array
from collections.abc import Mapping

import lameenc

from skill.audio.pcm import PREROLL, SAMPLE_RATE, seconds_to_samples, silence, tone
from skill.audio.scripts import Say, Script

# Bumped whenever composition or encoding changes how a track sounds, so rebuilds redo every track.
COMPOSER_VERSION = 1
# Alexa's <audio>: MP3, 48 kbps CBR, 24 kHz (MPEG-2 layer III), at most 240 s per file.
ENCODING = {"codec": "mp3", "mpeg_version": 2, "layer": 3, "bitrate_kbps": 48,
            "sample_rate_hz": SAMPLE_RATE, "channels": 1}
MAX_TRACK_S = 240.0
TAIL_S = 0.25  # silence after the last cue when the script leaves the length open
# LAME's encoder delay (576) plus the MP3 synthesis filter's (529): a decoder's output lags its input
# by this much. The composed track is shifted earlier by it, so decoded onsets land on the beat.
CODEC_DELAY_SAMPLES = 1105


class CompositionError(Exception):
    """A script that cannot be laid out (cues overlapping or spilling past the track's end)."""


def check_fits(script: Script) -> None:
    """Refuse a script that cannot fit one file before any (slow) speech is rendered for it."""
    latest = max([cue.at for cue in script.cues] + [script.length or 0.0])
    if latest > MAX_TRACK_S:
        raise CompositionError(f"{script.stem} would last over {latest:.0f} s; "
                               f"Alexa plays at most {MAX_TRACK_S:.0f} s per file")


def compose(script: Script, fragments: Mapping[str, array]) -> array:
    """Lay each cue's sound at its onset; everything else is digital silence."""
    placed: list[tuple[int, str, array]] = []
    for cue in script.cues:
        if isinstance(cue, Say):  # the fragment's onset, not its faded-in pre-roll, lands on the cue
            placed.append((seconds_to_samples(cue.at) - PREROLL, repr(cue.text), fragments[cue.text]))
        else:
            placed.append((seconds_to_samples(cue.at), "the tone", tone()))
    placed.sort(key=lambda p: p[0])
    end_of_sound = max(start + len(sound) for start, _, sound in placed)
    length = (seconds_to_samples(script.length) if script.length is not None
              else end_of_sound + seconds_to_samples(TAIL_S))
    if length > seconds_to_samples(MAX_TRACK_S):
        raise CompositionError(f"{script.stem} would last {length / SAMPLE_RATE:.1f} s; "
                               f"Alexa plays at most {MAX_TRACK_S:.0f} s per file")
    track = silence(length)
    previous_end, previous_label = 0, "the start"
    for start, label, sound in placed:
        if start < CODEC_DELAY_SAMPLES:
            raise CompositionError(f"{script.stem}: {label} starts before the codec delay")
        if start < previous_end:
            raise CompositionError(f"{script.stem}: {label} at {start / SAMPLE_RATE:.2f} s "
                                   f"overlaps {previous_label}")
        if start + len(sound) > length:
            raise CompositionError(f"{script.stem}: {label} runs past the end of the track")
        track[start:start + len(sound)] = sound
        previous_end, previous_label = start + len(sound), label
    return track


def encode_mp3(track: array) -> bytes:
    """MPEG-2 layer III, 48 kbps CBR, 24 kHz mono; deterministic (same samples, same bytes)."""
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(ENCODING["bitrate_kbps"])
    encoder.set_in_sample_rate(SAMPLE_RATE)
    encoder.set_out_sample_rate(SAMPLE_RATE)
    encoder.set_channels(1)
    encoder.set_quality(2)
    # The first CODEC_DELAY_SAMPLES are silent (compose checks); dropping them cancels the delay.
    body = track[CODEC_DELAY_SAMPLES:]
    return bytes(encoder.encode(body.tobytes()) + encoder.flush())

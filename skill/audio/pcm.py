"""Mono 16-bit PCM at 24 kHz: decoding, trimming and levelling fragments, and the "go" tone.

Plain `array('h')` buffers: the tracks are mostly silence with short words dropped in, so slicing
and copying is all the mixing needed.
"""
from __future__ import annotations

import math
from array import array

import miniaudio

SAMPLE_RATE = 24_000
FULL_SCALE = 32_767
# Every fragment peaks here, so numbers and countdown words sound equally loud whatever the engine.
FRAGMENT_PEAK = 0.7
# Below this fraction of a fragment's peak counts as silence; low enough to keep the soft start of
# "three", "four" and "six" (fricatives sit at a few percent of the vowel's level).
SILENCE_RATIO = 0.01
# A few samples kept before the first audible one, faded in so the cut never clicks. A prepared
# fragment's onset is therefore PREROLL samples in.
ATTACK_S = 0.002
RELEASE_S = 0.015
PREROLL = round(ATTACK_S * SAMPLE_RATE)


class DecodeError(Exception):
    """Bytes that are not audio miniaudio can read."""


def decode(data: bytes) -> array:
    """Any MP3/WAV/FLAC/Vorbis bytes -> mono 24 kHz samples (miniaudio mixes down and resamples)."""
    try:
        sound = miniaudio.decode(data, nchannels=1, sample_rate=SAMPLE_RATE)
    except miniaudio.DecodeError as exc:
        raise DecodeError(str(exc) or "not decodable audio") from exc
    return sound.samples


def seconds_to_samples(seconds: float) -> int:
    return round(seconds * SAMPLE_RATE)


def prepare_fragment(samples: array) -> array:
    """Trim the silence either side (keeping PREROLL samples before the onset), then level the peak."""
    peak = max((abs(v) for v in samples), default=0)
    if peak == 0:
        raise DecodeError("the fragment is silent")
    threshold = peak * SILENCE_RATIO
    first = next(i for i, v in enumerate(samples) if abs(v) > threshold)
    last = next(i for i in range(len(samples) - 1, -1, -1) if abs(samples[i]) > threshold)
    release = seconds_to_samples(RELEASE_S)
    head = array("h", bytes(2 * max(PREROLL - first, 0)))  # engines rarely start without silence
    end = min(last + 1 + release, len(samples))
    gain = FRAGMENT_PEAK * FULL_SCALE / peak
    out = head + array("h", (round(v * gain) for v in samples[max(first - PREROLL, 0):end]))
    _fade(out, PREROLL, release)
    return out


def _fade(samples: array, fade_in: int, fade_out: int) -> None:
    n = len(samples)
    for i in range(min(fade_in, n)):
        samples[i] = round(samples[i] * i / fade_in)
    for i in range(min(fade_out, n)):
        samples[n - 1 - i] = round(samples[n - 1 - i] * i / fade_out)


def tone(frequency: float = 880.0, seconds: float = 0.4, level: float = 0.35) -> array:
    """A soft bell-like "go": a sine with a smooth raised-cosine attack and an exponential decay."""
    n = seconds_to_samples(seconds)
    attack = seconds_to_samples(0.012)
    out = array("h", bytes(2 * n))
    for i in range(n):
        t = i / SAMPLE_RATE
        rise = 0.5 - 0.5 * math.cos(math.pi * i / attack) if i < attack else 1.0
        decay = math.exp(-t / (seconds / 4))
        tail = 0.5 + 0.5 * math.cos(math.pi * i / n)  # lands exactly on zero at the end
        out[i] = round(level * FULL_SCALE * rise * decay * tail * math.sin(2 * math.pi * frequency * t))
    return out


def silence(n_samples: int) -> array:
    return array("h", bytes(2 * n_samples))

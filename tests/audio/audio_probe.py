"""Independent checks on built MP3s: a frame-header parser and an energy-based onset detector."""
from __future__ import annotations

from array import array
from dataclasses import dataclass

import miniaudio

# MPEG-2 (and 2.5) layer III bitrates in kbps by index; sample rates in Hz by version, then index.
_V2_L3_KBPS = [None, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, None]
_V1_L3_KBPS = [None, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, None]
_RATES = {"1": [44100, 48000, 32000], "2": [22050, 24000, 16000], "2.5": [11025, 12000, 8000]}
_VERSIONS = {0b00: "2.5", 0b10: "2", 0b11: "1"}
_LAYERS = {0b01: 3, 0b10: 2, 0b11: 1}
_MODES = {0b00: "stereo", 0b01: "joint stereo", 0b10: "dual channel", 0b11: "mono"}


@dataclass(frozen=True)
class FrameHeader:
    offset: int
    version: str
    layer: int
    bitrate_kbps: int
    sample_rate: int
    channel_mode: str
    length: int


def frame_headers(data: bytes) -> list[FrameHeader]:
    """Every frame header from the first byte to the last; AssertionError on anything else."""
    frames, offset = [], 0
    while offset < len(data):
        assert offset + 4 <= len(data), f"truncated header at byte {offset}"
        b1, b2, b3 = data[offset + 1], data[offset + 2], data[offset + 3]
        assert data[offset] == 0xFF and b1 & 0xE0 == 0xE0, f"no sync word at byte {offset}"
        version = _VERSIONS.get((b1 >> 3) & 0b11)
        layer = _LAYERS.get((b1 >> 1) & 0b11)
        assert version and layer, f"reserved version/layer bits at byte {offset}"
        table = _V1_L3_KBPS if version == "1" else _V2_L3_KBPS
        kbps = table[b2 >> 4]
        rate_index = (b2 >> 2) & 0b11
        assert kbps is not None and rate_index != 0b11, f"bad bitrate/sample-rate index at byte {offset}"
        rate = _RATES[version][rate_index]
        padding = (b2 >> 1) & 1
        assert layer == 3, f"layer {layer} frame at byte {offset}"
        length = (144 if version == "1" else 72) * kbps * 1000 // rate + padding
        frames.append(FrameHeader(offset, version, layer, kbps, rate, _MODES[b3 >> 6], length))
        offset += length
    assert offset == len(data), "the last frame runs past the end of the file"
    return frames


def decode(data: bytes, sample_rate: int = 24_000) -> array:
    return miniaudio.decode(data, nchannels=1, sample_rate=sample_rate).samples


@dataclass(frozen=True)
class Sound:
    start: float  # seconds
    end: float


def sounds(samples: array, sample_rate: int = 24_000, threshold_ratio: float = 0.02,
           window_s: float = 0.02, min_gap_s: float = 0.3) -> list[Sound]:
    """Stretches of sound separated by at least `min_gap_s` of near-silence.

    A window is sound when its peak passes `threshold_ratio` of the loudest sample; a stretch starts
    at the first sample over that threshold (sample-exact), so soft consonants ("three", "six") count.
    """
    loudest = max(max(samples), -min(samples))
    threshold = loudest * threshold_ratio
    window = max(1, round(window_s * sample_rate))
    gap = round(min_gap_s * sample_rate)
    found: list[list[int]] = []
    for start in range(0, len(samples), window):
        chunk = samples[start:start + window]
        if max(chunk) <= threshold and -min(chunk) <= threshold:
            continue
        first = start + next(i for i, v in enumerate(chunk) if abs(v) > threshold)
        last = start + max(i for i, v in enumerate(chunk) if abs(v) > threshold)
        if found and first - found[-1][1] < gap:
            found[-1][1] = last
        else:
            found.append([first, last])
    return [Sound(a / sample_rate, b / sample_rate) for a, b in found]

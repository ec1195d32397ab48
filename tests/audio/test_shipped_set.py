"""The audio set shipped in audio/: complete for the catalogue, Alexa's format, exact timing."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from skill.audio.build import recipe_hash
from skill.audio.engines import make_engine
from skill.audio.manifest import MANIFEST_NAME, AudioSet
from skill.audio.scripts import script_for
from skill.coach.catalog import load_catalog
from skill.coach.speech import Count, CountIn, Countdown
from tests.audio.audio_probe import decode, frame_headers, sounds

AUDIO_DIR = Path(__file__).resolve().parents[2] / "audio"
ONSET_TOLERANCE_S = 0.05
PROBE_RATE = 8000  # timing needs no more; a third of the samples to scan


@pytest.fixture(scope="module")
def shipped() -> AudioSet:
    return AudioSet.load(AUDIO_DIR)


@pytest.fixture(scope="module")
def recipes():
    return load_catalog().audio_recipes()


def _tracks(shipped: AudioSet, recipes, kind: type):
    """(segment, decoded samples) for each distinct shipped track of one kind."""
    seen = {}
    for segment in recipes:
        if isinstance(segment, kind):
            name = shipped.filename_for(segment)
            if name not in seen:
                seen[name] = (segment, decode((AUDIO_DIR / name).read_bytes(), PROBE_RATE))
    return list(seen.values())


def test_every_recipe_the_catalogue_can_ask_for_has_a_track(shipped, recipes):
    missing = [segment for segment in recipes if shipped.filename_for(segment) is None]
    assert not missing, f"rebuild with `backcoach audio build --engine espeak`; missing {missing}"


def test_tracks_are_up_to_date_with_the_words_and_composer(shipped, recipes):
    # A change to the countdown words, timings or encoder changes the recipe hash: rebuild and ship.
    identities = {name: make_engine(name).identity() for name in {f.engine for f in shipped.files}}
    stale = [segment for segment in recipes if (f := shipped.file_for(segment)) is not None
             and f.recipe_hash != recipe_hash(script_for(segment), identities[f.engine])]
    assert not stale, f"run `backcoach audio build --engine espeak`; out of date: {stale}"


def test_folder_holds_exactly_the_manifest_with_matching_hashes(shipped):
    assert {p.name for p in AUDIO_DIR.iterdir()} == {f.name for f in shipped.files} | {MANIFEST_NAME}
    for f in shipped.files:
        assert hashlib.sha256((AUDIO_DIR / f.name).read_bytes()).hexdigest() == f.sha256, f.name


def test_every_frame_of_every_file_is_mpeg2_layer3_48kbps_24khz_mono(shipped):
    for f in shipped.files:
        headers = frame_headers((AUDIO_DIR / f.name).read_bytes())
        formats = {(h.version, h.layer, h.bitrate_kbps, h.sample_rate, h.channel_mode) for h in headers}
        assert formats == {("2", 3, 48, 24000, "mono")}, f.name
        duration = len(headers) * 576 / 24000
        assert duration == pytest.approx(f.duration, abs=0.001), f.name
        assert duration <= 240, f.name


def test_count_onsets_are_within_50ms_of_the_beat(shipped, recipes):
    tracks = _tracks(shipped, recipes, Count)
    assert tracks
    for segment, samples in tracks:
        onsets = [s.start for s in sounds(samples, PROBE_RATE)]
        beats = [k * segment.tempo for k in range(1, segment.reps + 1)]
        assert len(onsets) == len(beats), f"{segment}: heard {len(onsets)} numbers"
        late = [(beat, round(onset - beat, 3)) for beat, onset in zip(beats, onsets)
                if abs(onset - beat) > ONSET_TOLERANCE_S]
        assert not late, f"{segment}: off the beat at {late}"


def test_countdowns_never_fall_silent_for_more_than_10s_and_end_as_their_kind_needs(shipped, recipes):
    tracks = _tracks(shipped, recipes, Countdown)
    assert tracks
    for segment, samples in tracks:
        heard = sounds(samples, PROBE_RATE)
        length = len(samples) / PROBE_RATE
        edges = [0.0, *(t for s in heard for t in (s.start, s.end)), length]
        longest = max(edges[i + 1] - edges[i] for i in range(0, len(edges), 2))
        assert longest <= 10 + ONSET_TOLERANCE_S, f"{segment}: {longest:.2f} s of silence"
        ends = [-3, -2, -1] if segment.kind == "hold" else [-5]   # a rest or position leads into a count-in
        assert [round(s.start - segment.seconds) for s in heard[-len(ends):]] == ends
        assert segment.seconds <= shipped.duration_of(segment) <= segment.seconds + 0.05


def test_count_in_is_three_two_one_a_second_apart_then_the_tone(shipped):
    starts = [s.start for s in sounds(decode((AUDIO_DIR / shipped.filename_for(CountIn())).read_bytes()))]
    assert len(starts) == 4
    assert [round(b - a, 2) for a, b in zip(starts, starts[1:])] == [1.0, 1.0, 1.0]

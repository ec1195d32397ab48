"""The renderer's lookup: which file plays which segment, and refusing manifests it cannot trust."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from skill.audio.manifest import AudioFile, AudioSet, ManifestError
from skill.coach.speech import Count, CountIn, Countdown, Pause, Text

HASH = "ab" * 32


def _file(name: str, *segments: dict, duration: float = 10.0) -> AudioFile:
    return AudioFile(name, segments, "espeak", duration, HASH, HASH)


@pytest.fixture
def audio_set() -> AudioSet:
    return AudioSet([
        _file("count-8x4.0-0123456789ab.mp3", {"type": "Count", "reps": 8, "tempo": 4.0}, duration=32.7),
        _file("countdown-30-0123456789ab.mp3", {"type": "Countdown", "seconds": 30, "kind": "rest"},
              {"type": "Countdown", "seconds": 30, "kind": "hold"}, duration=30.02),
        _file("countin-0123456789ab.mp3", {"type": "CountIn"}, duration=3.77),
    ])


def test_segments_map_to_their_files(audio_set):
    assert audio_set.filename_for(Count(8, 4.0)) == "count-8x4.0-0123456789ab.mp3"
    assert audio_set.filename_for(Count(8, 4)) == "count-8x4.0-0123456789ab.mp3"  # int tempo, same count
    assert audio_set.filename_for(Countdown(30, "hold")) == "countdown-30-0123456789ab.mp3"
    assert audio_set.filename_for(CountIn()) == "countin-0123456789ab.mp3"
    assert audio_set.duration_of(Count(8, 4.0)) == 32.7


def test_segments_without_a_track_are_none(audio_set):
    for segment in (Count(9, 4.0), Count(8, 3.0), Countdown(45, "rest"), Text("Go."), Pause(2.0)):
        assert audio_set.filename_for(segment) is None
    with pytest.raises(LookupError, match="no track for Count"):
        audio_set.duration_of(Count(9, 4.0))


def test_round_trip_through_the_manifest_file(audio_set, tmp_path):
    audio_set.save(tmp_path)
    loaded = AudioSet.load(tmp_path)
    assert loaded.files == audio_set.files
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"]  # no temp file left behind


def test_missing_manifest_says_how_to_build_one(tmp_path):
    with pytest.raises(ManifestError, match="no audio manifest at .*; run `backcoach audio build`"):
        AudioSet.load(tmp_path)


@pytest.mark.parametrize("content, problem", [
    ("{not json", "cannot read"),
    ('{"files": {}}', "no list of files"),
    ('{"files": [{"name": "x.mp3"}]}', "incomplete"),
    (json.dumps({"files": [_file("../manifest-0123456789ab.mp3", {"type": "CountIn"}).to_json()]}), "unsafe"),
    (json.dumps({"files": [_file("countin-0123456789ab.mp3", {"type": "CountIn"}).to_json(),
                           _file("countin-ba9876543210.mp3", {"type": "CountIn"}).to_json()]}), "claimed by both"),
])
def test_untrustworthy_manifests_are_refused(tmp_path, content, problem):
    (tmp_path / "manifest.json").write_text(content)
    with pytest.raises(ManifestError, match=problem):
        AudioSet.load(tmp_path)


def test_lookup_module_loads_no_codecs_or_http():
    # The web service imports the lookup at start-up; the heavy build dependencies stay out of it.
    code = ("import sys, skill.audio.manifest, skill.web.audio_routes; "
            "print(sorted(m for m in ('gtts', 'lameenc', 'miniaudio', 'requests') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"

"""Building a set with espeak-ng end to end: layout, determinism, incremental rebuilds, clean failure."""
from __future__ import annotations

import hashlib
import json
from array import array

import pytest

from skill.audio.build import build_audio_set
from skill.audio.compose import CompositionError
from skill.audio.engines import EspeakEngine, SynthesisError
from skill.audio.manifest import AudioSet
from skill.audio.pcm import SAMPLE_RATE
from skill.coach.speech import Count, CountIn, Countdown, Text
from tests.audio.audio_probe import decode, frame_headers, sounds
from tests.audio.conftest import SMALL_SET


def _snapshot(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_one_file_per_distinct_track_and_every_recipe_found(small_build):
    out, result = small_build
    audio_set = AudioSet.load(out)
    # A rest leads into a count-in ("ten... five"); a hold ends on "three, two, one": two files.
    assert len(audio_set.files) == 5
    assert audio_set.filename_for(Countdown(12, "rest")).startswith("rest-12-")
    assert audio_set.filename_for(Countdown(12, "hold")).startswith("hold-12-")
    for segment in SMALL_SET:
        name = audio_set.filename_for(segment)
        assert name and (out / name).is_file()
    assert audio_set.filename_for(Count(3, 2.0)).startswith("count-3x2.0-")
    assert result.built and not result.kept and not result.removed


def test_manifest_matches_the_files(small_build):
    out, result = small_build
    on_disk = {p.name for p in out.glob("*.mp3")}
    assert on_disk == {f.name for f in result.audio_set.files}
    for f in AudioSet.load(out).files:
        data = (out / f.name).read_bytes()
        assert f.sha256 == hashlib.sha256(data).hexdigest()
        assert f.name.endswith(f"-{f.sha256[:12]}.mp3")
        assert f.engine == "espeak"
        assert f.duration == pytest.approx(len(frame_headers(data)) * 576 / SAMPLE_RATE, abs=0.001)
    assert result.total_bytes == sum((out / name).stat().st_size for name in on_disk)
    # Readable by the web server's user, not only by whoever built them.
    assert all(p.stat().st_mode & 0o444 == 0o444 for p in out.iterdir())


def test_files_are_alexa_format(small_build):
    out, _ = small_build
    for path in out.glob("*.mp3"):
        headers = frame_headers(path.read_bytes())
        assert {(h.version, h.layer, h.bitrate_kbps, h.sample_rate, h.channel_mode) for h in headers} == {
            ("2", 3, 48, 24000, "mono")}


def test_count_onsets_land_on_the_beat(small_build):
    out, result = small_build
    for segment in (Count(3, 2.0), Count(4, 3.0)):
        heard = sounds(decode((out / result.audio_set.filename_for(segment)).read_bytes()))
        assert [round(s.start, 2) for s in heard] == [k * segment.tempo for k in range(1, segment.reps + 1)]


def test_countdowns_are_exactly_their_length_and_end_as_their_kind_needs(small_build):
    out, result = small_build
    hold = sounds(decode((out / result.audio_set.filename_for(Countdown(12, "hold"))).read_bytes()))
    # "ten" with ten seconds left, then three, two, one; the file lasts 12 s (to within one MP3 frame).
    assert [round(s.start, 2) for s in hold] == [2.0, 9.0, 10.0, 11.0]
    rest = sounds(decode((out / result.audio_set.filename_for(Countdown(12, "rest"))).read_bytes()))
    assert [round(s.start, 2) for s in rest] == [2.0, 7.0]     # "ten", "five": the count-in says three, two, one
    for kind in ("rest", "hold"):
        assert 12.0 <= result.audio_set.duration_of(Countdown(12, kind)) <= 12.05


def test_count_in_is_three_two_one_then_a_tone(small_build):
    out, result = small_build
    samples = decode((out / result.audio_set.filename_for(CountIn())).read_bytes())
    heard = sounds(samples)
    assert [round(s.start, 2) for s in heard] == [0.1, 1.1, 2.1, 3.1]
    go = samples[round(3.15 * SAMPLE_RATE):round(3.25 * SAMPLE_RATE)]
    # The "go" is a pure 880 Hz tone, not a word: count zero crossings over 0.1 s (176 for 880 Hz).
    crossings = sum(1 for a, b in zip(go, go[1:]) if (a < 0) != (b < 0))
    assert 170 <= crossings <= 182


def test_same_recipe_gives_the_same_bytes(small_build, espeak, tmp_path):
    out, _ = small_build
    build_audio_set(tmp_path, espeak, SMALL_SET)
    assert _snapshot(tmp_path) == _snapshot(out)


class CountingEngine:
    """Delegates to espeak-ng, remembering what it was asked to say."""

    def __init__(self, inner: EspeakEngine, voice: str | None = None):
        self.inner, self.name, self.asked = inner, inner.name, []
        self.voice = voice or inner.voice

    def identity(self) -> dict:
        return {**self.inner.identity(), "voice": self.voice}

    def synthesize(self, text: str) -> array:
        self.asked.append(text)
        return self.inner.synthesize(text)


def test_rebuild_skips_unchanged_recipes(small_dir, espeak):
    before = {p.name: p.stat().st_mtime_ns for p in small_dir.glob("*.mp3")}
    engine = CountingEngine(espeak)
    result = build_audio_set(small_dir, engine, [*SMALL_SET, Count(2, 5.0)])
    assert result.built == (result.audio_set.filename_for(Count(2, 5.0)),)
    assert sorted(result.kept) == sorted(before)
    assert engine.asked == ["one", "two"]  # only the new track's words were rendered
    assert {n: (small_dir / n).stat().st_mtime_ns for n in before} == before


def test_force_and_engine_changes_rebuild_everything(small_dir, espeak):
    forced = CountingEngine(espeak)
    result = build_audio_set(small_dir, forced, SMALL_SET, force=True)
    assert len(result.built) == 5 and not result.kept and forced.asked
    other_voice = CountingEngine(espeak, voice="en-gb")  # a different engine identity: new recipe hashes
    result = build_audio_set(small_dir, other_voice, SMALL_SET)
    assert len(result.built) == 5 and not result.kept


def test_stale_files_are_removed_but_nothing_else(small_dir, espeak):
    (small_dir / "notes.txt").write_text("mine")
    old_count = AudioSet.load(small_dir).filename_for(Count(4, 3.0))
    result = build_audio_set(small_dir, espeak, [Count(3, 2.0), CountIn()])
    assert old_count in result.removed and len(result.removed) == 3    # the count, the rest and the hold
    assert sorted(p.name for p in small_dir.glob("*.mp3")) == sorted(f.name for f in result.audio_set.files)
    assert (small_dir / "notes.txt").read_text() == "mine"
    assert AudioSet.load(small_dir).filename_for(Count(4, 3.0)) is None


def test_a_damaged_file_is_rebuilt(small_dir, espeak):
    name = AudioSet.load(small_dir).filename_for(CountIn())
    (small_dir / name).write_bytes(b"truncated")
    result = build_audio_set(small_dir, espeak, SMALL_SET)
    assert result.built == (name,)  # same recipe, same bytes, same name
    assert hashlib.sha256((small_dir / name).read_bytes()).hexdigest().startswith(name[-16:-4])


class FailingEngine(CountingEngine):
    def synthesize(self, text: str) -> array:
        if text == "four":
            raise SynthesisError("gtts", text, "cannot reach translate.google.com")
        return super().synthesize(text)


def test_a_failed_build_changes_nothing(small_dir, espeak):
    before = _snapshot(small_dir)
    with pytest.raises(SynthesisError, match='could not render "four"'):
        build_audio_set(small_dir, FailingEngine(espeak, voice="en-gb"), SMALL_SET)
    assert _snapshot(small_dir) == before


@pytest.mark.parametrize("segment, problem", [
    (Count(3, 0.3), "overlaps"),
    (Countdown(3, "rest"), "at least 4 s"),
    (Count(13, 20.0), "at most 240 s"),      # refused before any speech is rendered
    (Count(12, 19.99), "at most 240 s"),     # the last word would run past 240 s
    (Text("Hello."), "no audio track"),
])
def test_impossible_tracks_are_refused_and_change_nothing(small_dir, espeak, segment, problem):
    before = _snapshot(small_dir)
    with pytest.raises((CompositionError, ValueError), match=problem):
        build_audio_set(small_dir, espeak, [*SMALL_SET, segment])
    assert _snapshot(small_dir) == before


def test_manifest_is_stable_json(small_build):
    out, _ = small_build
    raw = json.loads((out / "manifest.json").read_text())
    assert [f["name"] for f in raw["files"]] == sorted(f["name"] for f in raw["files"])
    assert {"type": "Countdown", "seconds": 12, "kind": "hold"} in next(
        f["segments"] for f in raw["files"] if f["name"].startswith("hold-12-"))

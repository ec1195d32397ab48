from __future__ import annotations

import re

import pytest

from skill.coach.speech import Count, CountIn, Countdown, Pause, Text
from skill.voice import ssml
from tests.ssml_check import check_ssml, spoken_text


def _breaks_ms(doc: str) -> list[int]:
    return [int(ms) for ms in re.findall(r'<break time="(\d+)ms"/>', doc)]


def test_text_is_escaped_and_wrapped():
    doc = ssml.render([Text("Lie face down & reach <forward>.")])
    check_ssml(doc)
    assert spoken_text(doc) == "Lie face down & reach <forward>."


def test_long_pause_is_split_into_breaks_of_at_most_ten_seconds():
    doc = ssml.render([Pause(25)])
    check_ssml(doc)
    assert _breaks_ms(doc) == [10000, 10000, 5000]


def test_count_says_every_number_in_order_at_roughly_the_tempo():
    doc = ssml.render([Count(reps=8, tempo=4.0)])
    check_ssml(doc)
    assert spoken_text(doc) == "One. Two. Three. Four. Five. Six. Seven. Eight."
    gaps = _breaks_ms(doc)
    # first number after one full beat; later gaps leave room for the spoken word
    assert gaps[0] == 4000 and set(gaps[1:]) == {3600}


@pytest.mark.parametrize("countdown, words", [
    (Countdown(45, "rest"), "Forty. Thirty. Twenty. Ten. Five."),      # a count-in follows: no three, two, one
    (Countdown(45, "hold"), "Forty. Thirty. Twenty. Ten. Three. Two. One."),
    (Countdown(10, "position"), "Five."),
])
def test_countdown_never_leaves_more_than_ten_seconds_without_a_word(countdown, words):
    doc = ssml.render([countdown])
    check_ssml(doc)
    assert spoken_text(doc) == words
    # silence between two words (breaks may be split, so sum each run)
    runs = [sum(_breaks_ms(chunk)) for chunk in re.split(r"[A-Z][a-z]+\.", doc)]
    assert max(runs) <= 10000
    total_s = sum(_breaks_ms(doc)) / 1000 + len(words.split()) * ssml.WORD_S
    assert total_s == pytest.approx(countdown.seconds, abs=0.5)


def test_count_in_ends_with_go():
    assert spoken_text(ssml.render([CountIn()])) == "Three. Two. One. Go!"


class _Tracks:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def url_for(self, segment):
        return None if isinstance(segment, CountIn) else f"https://coach.example/audio/{type(segment).__name__}.mp3"

    def duration_of(self, segment):
        return self.seconds


def test_tracks_replace_counts_and_countdowns_but_not_text():
    doc = ssml.render([Text("Set one."), Count(8, 3.0), Countdown(30, "rest"), CountIn()], _Tracks(30))
    root = check_ssml(doc)
    assert [a.get("src") for a in root.iter("audio")] == [
        "https://coach.example/audio/Count.mp3", "https://coach.example/audio/Countdown.mp3"]
    assert spoken_text(doc) == "Set one. Three. Two. One. Go!"


def test_counts_get_the_tracks_first_then_the_rest_within_five_tags_and_240_seconds():
    segments = [Countdown(30, "rest"), Count(8, 3.0)] * 4
    doc = ssml.render(segments, _Tracks(30))
    srcs = [a.get("src") for a in check_ssml(doc).iter("audio")]
    assert srcs.count("https://coach.example/audio/Count.mp3") == 4 and len(srcs) == 5
    doc = ssml.render([Count(12, 5.0)] * 5, _Tracks(60))
    assert len(list(check_ssml(doc).iter("audio"))) == 4  # a fifth would pass 240 s


def test_the_budget_says_a_response_fits_only_while_every_count_has_its_track():
    budget = ssml.SsmlBudget(_Tracks(30))
    assert budget.fits([Text("Set one."), CountIn(), Count(8, 3.0)] * 5)
    assert not budget.fits([Count(8, 3.0)] * 6)                   # a sixth count would be voiced
    assert not ssml.SsmlBudget(_Tracks(100)).fits([Count(8, 3.0)] * 3)   # 300 s of audio
    assert ssml.SsmlBudget().fits([Count(12, 5.0)] * 6)           # without tracks: only the characters count
    assert not ssml.SsmlBudget().fits([Text("word " * 2000)])


def test_oversized_speech_is_refused_loudly():
    with pytest.raises(ValueError, match="8000"):
        ssml.render([Text("word " * 2000)])

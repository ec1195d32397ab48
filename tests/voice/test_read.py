"""Reading SSML back into the same speech segments the renderer writes (the console shows and plays them)."""
from __future__ import annotations

import pytest

from skill.audio.manifest import AudioSet
from skill.coach.catalog import load_catalog
from skill.coach.speech import Count, CountIn, Countdown, Pause, Text
from skill.config import REPO_AUDIO_DIR
from skill.console.transcript import Transcript, show
from skill.voice.ssml import SsmlError, Track, read, render
from skill.alexa.tracks import HostedTracks

RECIPES = load_catalog().audio_recipes()


@pytest.mark.parametrize("segment", RECIPES, ids=repr)
def test_every_count_countdown_and_count_in_the_engine_can_emit_reads_back_as_itself(segment):
    heard = read(render([Text("Set one of three."), segment, Text("Pain-free?")]))
    assert heard[0] == Text("Set one of three.") and heard[-1] == Text("Pain-free?") and len(heard) == 3
    if isinstance(segment, Countdown):
        # a rest and the time to get into position sound the same; a hold ends on three, two, one
        assert heard[1] == Countdown(segment.seconds, "hold" if segment.kind == "hold" else "rest")
    else:
        assert heard[1] == segment


def test_a_reply_reads_as_a_person_would_want_it():
    heard = read(render([Text("Rest for thirty seconds."), Countdown(30, "rest"), Text("Set two of three."),
                         CountIn(), Count(8, 4.0), Text("Good. Pain-free?")]))
    assert " ".join(show(p) for p in heard) == (
        "Rest for thirty seconds. [countdown 30 s: twenty… ten… five…] Set two of three. "
        "[three, two, one, go] [count 1–8, every 4 s] Good. Pain-free?")


def test_a_longer_hold_keeps_every_marker():
    (heard,) = read(render([Countdown(45, "hold")]))
    assert show(heard) == "[countdown 45 s: forty… thirty… twenty… ten… three, two, one]"


def test_a_pause_before_a_count_is_not_taken_for_its_tempo_and_split_breaks_join_up():
    heard = read(render([Text("Switch sides."), Pause(3), Count(8, 2.0), Pause(25), Text("Done.")]))
    assert heard == (Text("Switch sides."), Pause(3.0), Count(8, 2.0), Pause(25.0), Text("Done."))
    assert show(heard[3]) == "…25 s…"  # sent as 10 s + 10 s + 5 s breaks


def test_number_words_said_without_the_counts_pauses_stay_words():
    assert read("<speak>One. Two. Three.</speak>") == (Text("One."), Text("Two."), Text("Three."))


def test_hosted_tracks_read_by_name():
    tracks = HostedTracks(AudioSet.load(REPO_AUDIO_DIR), "https://example.com/audio")
    heard = read(render([Text("Rest."), Count(8, 4.0), CountIn()], tracks))
    assert [show(p) for p in heard] == ["Rest.", "[track count-8x4.0]", "[track countin]"]
    assert all(isinstance(p, Track) and p.name.endswith(".mp3") for p in heard[1:])


@pytest.mark.parametrize("ssml, problem", [
    ("<speak>Good.", "not well-formed"),
    ("<voice>Good.</voice>", "not <speak>"),
])
def test_ssml_that_is_not_a_speak_document_is_refused(ssml, problem):
    with pytest.raises(SsmlError, match=problem):
        read(ssml)


def test_other_tags_only_carry_their_words():
    ssml = ('<speak><p>Lie down.</p> <prosody rate="slow">Breathe <emphasis>out</emphasis>.</prosody>'
            '<break strength="strong"/></speak>')
    assert read(ssml) == (Text("Lie down."), Text("Breathe out."), Pause(1.0))


def test_realtime_waits_out_the_count_at_its_tempo_and_shows_each_number(capsys):
    waits: list[float] = []
    Transcript(realtime=True, sleep=waits.append).alexa(read(render([Count(8, 4.0), Text("Pain-free?")])))
    shown = capsys.readouterr().out
    assert shown.startswith("Alexa: [count 1–8, every 4 s] 1 2 3 4 5 6 7 8 Pain-free?")
    assert waits[:8] == [4.0] * 8  # number k is heard k x 4 s after the count starts
    assert sum(waits) == pytest.approx(8 * 4.0 + 0.4 + 0.4)  # the last word, and the question's one word


def test_realtime_countdown_lasts_its_length():
    waits: list[float] = []
    Transcript(realtime=True, sleep=waits.append).alexa(read(render([Countdown(30, "rest")])))
    assert sum(waits) == pytest.approx(30.0)


def test_realtime_tracks_last_as_long_as_the_file():
    waits: list[float] = []
    transcript = Transcript(realtime=True, sleep=waits.append, track_seconds={"countin-abc.mp3": 3.6}.get)
    transcript.alexa((Track("countin-abc.mp3"),))
    assert waits == [3.6]


def test_fast_mode_never_sleeps(capsys):
    transcript = Transcript(sleep=lambda s: pytest.fail("slept in fast mode"))
    transcript.alexa(read(render([Count(8, 4.0), Countdown(30, "rest")])))
    assert "[count 1–8, every 4 s] [countdown 30 s:" in capsys.readouterr().out

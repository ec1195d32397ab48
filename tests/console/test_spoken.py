"""Reading the skill's SSML back into what a listener hears, and showing it compactly or in real time."""
from __future__ import annotations

import pytest

from skill.alexa.tracks import HostedTracks
from skill.audio.manifest import AudioSet
from skill.coach.catalog import load_catalog
from skill.coach.speech import Count, CountIn, Countdown, Pause, Text
from skill.config import REPO_AUDIO_DIR
from skill.console import spoken
from skill.console.spoken import CountdownRun, CountRun, Gap, Say, SsmlError, Track, parse
from skill.console.transcript import Transcript, show
from skill.voice.ssml import render

RECIPES = load_catalog().audio_recipes()


@pytest.mark.parametrize("segment", RECIPES, ids=repr)
def test_every_count_countdown_and_count_in_the_engine_can_emit_reads_back_as_one_piece(segment):
    pieces = parse(render([Text("Set one of three."), segment, Text("Pain-free?")]))
    assert pieces[0] == Say("Set one of three.") and pieces[-1] == Say("Pain-free?")
    assert len(pieces) == 3, pieces
    piece = pieces[1]
    match segment:
        case Count(reps=reps, tempo=tempo):
            assert piece == CountRun(reps, tempo)
        case Countdown(seconds=seconds):
            assert isinstance(piece, CountdownRun) and piece.seconds == seconds
        case CountIn():
            assert isinstance(piece, spoken.CountIn)


def test_the_pieces_read_as_a_person_would_want_them():
    pieces = parse(render([Text("Rest for thirty seconds."), Countdown(30, "rest"), Text("Set two of three."),
                           CountIn(), Count(8, 4.0), Text("Good. Pain-free?")]))
    assert " ".join(show(p) for p in pieces) == (
        "Rest for thirty seconds. [countdown 30 s: twenty… ten… three, two, one] Set two of three. "
        "[three, two, one, go] [count 1–8, every 4 s] Good. Pain-free?")


def test_a_longer_countdown_keeps_every_marker():
    (piece,) = parse(render([Countdown(45, "hold")]))
    assert show(piece) == "[countdown 45 s: forty… thirty… twenty… ten… three, two, one]"


def test_a_pause_before_a_count_is_not_taken_for_its_tempo_and_split_breaks_join_up():
    pieces = parse(render([Text("Switch sides."), Pause(3), Count(6, 2.0), Pause(25), Text("Done.")]))
    assert pieces == (Say("Switch sides."), Gap(3.0), CountRun(6, 2.0), Gap(25.0), Say("Done."))
    assert [show(p) for p in pieces][3] == "…25 s…"  # sent as 10 s + 10 s + 5 s breaks


def test_number_words_said_without_the_count_s_pauses_stay_words():
    assert parse("<speak>One. Two. Three.</speak>") == (Say("One."), Say("Two."), Say("Three."))


def test_hosted_tracks_show_by_name():
    tracks = HostedTracks(AudioSet.load(REPO_AUDIO_DIR), "https://example.com/audio")
    pieces = parse(render([Text("Rest."), Countdown(30, "rest"), CountIn(), Count(8, 4.0)], tracks))
    assert [show(p) for p in pieces] == ["Rest.", "[track countdown-30]", "[track countin]",
                                         "[track count-8x4.0]"]
    assert all(isinstance(p, Track) and p.name.endswith(".mp3") for p in pieces[1:])


@pytest.mark.parametrize("ssml, problem", [
    ("<speak>Good.", "not well-formed"),
    ("<voice>Good.</voice>", "not <speak>"),
])
def test_ssml_that_is_not_a_speak_document_is_refused(ssml, problem):
    with pytest.raises(SsmlError, match=problem):
        parse(ssml)


def test_other_tags_only_carry_their_words():
    ssml = ('<speak><p>Lie down.</p> <prosody rate="slow">Breathe <emphasis>out</emphasis>.</prosody>'
            '<break strength="strong"/></speak>')
    assert parse(ssml) == (Say("Lie down."), Say("Breathe out."), Gap(1.0))


def test_realtime_waits_out_the_count_at_its_tempo_and_shows_each_number(capsys):
    waits: list[float] = []
    Transcript(realtime=True, sleep=waits.append).alexa(parse(render([Count(8, 4.0), Text("Pain-free?")])))
    shown = capsys.readouterr().out
    assert shown.startswith("Alexa: [count 1–8, every 4 s] 1 2 3 4 5 6 7 8 Pain-free?")
    assert waits[:8] == [4.0] * 8  # number k is heard k x 4 s after the count starts
    assert sum(waits) == pytest.approx(8 * 4.0 + 0.4 + 0.4)  # the last word, and the question's one word


def test_realtime_countdown_lasts_its_length():
    waits: list[float] = []
    Transcript(realtime=True, sleep=waits.append).alexa(parse(render([Countdown(30, "rest")])))
    assert sum(waits) == pytest.approx(30.0)


def test_realtime_tracks_last_as_long_as_the_file():
    waits: list[float] = []
    transcript = Transcript(realtime=True, sleep=waits.append, track_seconds={"countin-abc.mp3": 3.6}.get)
    transcript.alexa((Track("countin-abc.mp3"),))
    assert waits == [3.6]


def test_fast_mode_never_sleeps(capsys):
    transcript = Transcript(sleep=lambda s: pytest.fail("slept in fast mode"))
    transcript.alexa(parse(render([Count(8, 4.0), Countdown(30, "rest")])))
    assert "[count 1–8, every 4 s] [countdown 30 s:" in capsys.readouterr().out

"""The catalogue: the article's moves and variants, the audio recipes, and loud failures on broken files."""
from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path
from typing import Any, Callable

import pytest

from skill.coach.catalog import CatalogError, load_catalog, tempos
from skill.coach.rules import LONGEST_SET_SECONDS, POSITION_SECONDS, TEMPO_GRID, WAIT_SECONDS
from skill.coach.speech import Count, Countdown, CountIn

PACKAGE = Path(str(resources.files("skill.coach")))


def test_ladder_is_the_articles_twelve_moves_in_order(catalog):
    names = [catalog.move(m).name for m in catalog.ladder]
    assert names == [
        "Superman", "Beetle", "Single Leg Balance and Reach", "High Plank Leg Lifts", "Single Leg Bridge",
        "Modified Low Side Plank Lifts", "Quadruped Limb Raises", "Superman Pull", "Single Leg Deadlift",
        "High Plank Limb Raises", "V-Ups", "Single Leg Jump Squats",
    ]
    sided = {catalog.move(m).name for m in catalog.ladder if catalog.move(m).sides}
    assert sided == {"Single Leg Balance and Reach", "Single Leg Bridge", "Modified Low Side Plank Lifts",
                     "Single Leg Deadlift", "Single Leg Jump Squats"}


def test_stretches_cat_cow_counted_and_two_held_per_side(catalog):
    cat_cow, figure_4, twist = (catalog.move(m) for m in catalog.stretches)
    assert (cat_cow.name, cat_cow.counted, cat_cow.sides) == ("Cat Cow", True, False)
    assert (figure_4.name, figure_4.hold, figure_4.sides) == ("Lying Figure 4 Stretch", 30, True)
    assert (twist.name, twist.hold, twist.sides) == ("Supine Twist", 30, True)


def test_every_strength_move_has_a_full_easier_variant_and_the_articles_are_used(catalog):
    for move_id in catalog.ladder:
        move = catalog.move(move_id)
        easier = catalog.move(move.easier)
        assert easier.kind == "strength" and easier.tempo in TEMPO_GRID and len(easier.cues) >= 2 and easier.explain
    easier = {catalog.move(m).name: catalog.move(catalog.move(m).easier).name for m in catalog.ladder}
    assert easier["Single Leg Balance and Reach"] == "Single Leg Balance"
    assert easier["Superman Pull"] == "Prone Arm Pulls"       # an honest easier Superman Pull
    assert easier["V-Ups"] == "Single Leg V-Ups"
    assert easier["Single Leg Bridge"] == "Glute Bridge"
    assert easier["High Plank Limb Raises"] == "High Plank Leg Lifts"
    jump = catalog.move("single_leg_jump_squats")
    assert catalog.move(jump.outdoor).name == "Forward Jump Squats"
    # the article's Wall Lateral Pull-Downs: an extra for upper-back tension, asked for on its own
    assert catalog.extras == {"upper_back": "wall_lateral_pull_downs"}
    assert "wall_lateral_pull_downs" not in {catalog.move(m).easier for m in catalog.ladder}


def test_cues_are_short_and_explanations_fuller(catalog):
    for move in catalog.moves():
        assert 2 <= len(move.cues) <= 3
        assert sum(move.cues[0].count(mark) for mark in ".!?") <= 2
        assert len(move.explain.split()) > 2 * len(move.cues[0].split())


def test_audio_recipes_are_every_count_at_every_allowed_tempo_the_waits_and_the_count_in(catalog):
    recipes = catalog.audio_recipes()
    assert len(recipes) == len(set(recipes))
    counts = {r for r in recipes if isinstance(r, Count)}
    assert counts == {Count(reps, tempo) for move in catalog.moves() if move.counted
                      for reps in range(move.reps[0], move.reps[1] + 1) for tempo in tempos(move)}
    assert Count(8, 2.0) in counts and Count(12, 5.0) in counts
    assert [r for r in recipes if isinstance(r, Countdown)] == [
        Countdown(30, "rest"), Countdown(45, "rest"), Countdown(30, "hold"),
        Countdown(POSITION_SECONDS, "position"), Countdown(WAIT_SECONDS, "position")]
    assert recipes[-1] == CountIn()


def test_the_longest_set_of_any_move_fits_one_response(catalog):
    for move in catalog.moves():
        if move.counted:
            assert move.reps[1] * TEMPO_GRID[-1] * (2 if move.sides else 1) <= LONGEST_SET_SECONDS, move.id


# -- broken files: each copy has one defect, and the message names the file and the key --------------
def _set_move(i: int, key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        data["moves"][i][key] = value
    return edit


def _too_long(data: dict[str, Any]) -> None:
    data["moves"][25]["reps"] = [8, 30]     # a counted stretch may have any range, but must fit a response
    data["moves"][25]["tempo"] = 5.0
    data["moves"][25]["sides"] = True


def _duplicate(data: dict[str, Any]) -> None:
    data["moves"][1]["id"] = "superman"


MOVE_DEFECTS = [
    (_duplicate, "moves.json: moves[1].id: duplicate id 'superman'"),
    (_set_move(0, "easier", "nope"), "moves.json: moves[0].easier: 'nope' is not a move id"),
    (_set_move(0, "tempo", 3.5), "moves.json: moves[0].tempo: 3.5 is not on the grid [2.0, 3.0, 4.0, 5.0]"),
    (_set_move(0, "min_tempo", 5.0), "moves.json: moves[0].min_tempo: 5.0 is slower than the move's tempo 4.0"),
    (_set_move(0, "min_tempo", None), "moves.json: moves[0].min_tempo: None is not on the grid [2.0, 3.0, 4.0, 5.0]"),
    (_set_move(0, "reps", [8, 14]), "moves.json: moves[0].reps: [8, 14]: every strength move uses the article's [8, 12]"),
    (_set_move(5, "reps", [6, 10]), "moves.json: moves[5].reps: [6, 10]: every strength move uses the article's [8, 12]"),
    (_set_move(0, "rest", 60), "moves.json: moves[0].rest: 60 is not one of the rests [30, 45]"),
    (_set_move(26, "hold", 20), "moves.json: moves[26].hold: 20 is not one of the holds [30]"),
    (_set_move(0, "cues", ["One. Two. Three.", "Lift."]), "moves.json: moves[0].cues[0]: must be at most 2 sentences"),
    (_set_move(0, "cues", ["Lie down."]), "moves.json: moves[0].cues: must list 2 or 3 cues"),
    (_set_move(0, "tempi", 3.0), "moves.json: moves[0].tempi: not a move field"),
    (_set_move(0, "kind", "cardio"), "moves.json: moves[0].kind: 'cardio' is not one of strength, stretch"),
    (_set_move(0, "name", ""), "moves.json: moves[0].name: must be non-empty text"),
    (_set_move(1, "easier", "cat_cow"), "moves.json: moves[1].easier: 'cat_cow' must be another strength move"),
    (_too_long, "moves.json: moves[25]: its longest set (~300 s) does not fit one response"),
    (lambda d: d["extras"].update(upper_back="superman"),
     "moves.json: extras.upper_back: 'superman' must be a strength move outside the ladder"),
    (lambda d: d.pop("extras"), "moves.json: extras: must map upper_back to a move id"),
    (lambda d: d["ladder"].__setitem__(2, "x"), "moves.json: ladder[2]: 'x' is not a move id"),
    (lambda d: d["ladder"].__setitem__(2, "superman"), "moves.json: ladder: lists a move twice"),
    (lambda d: d["ladder"].__setitem__(2, "single_leg_balance"),
     "moves.json: ladder[2]: 'single_leg_balance' has no easier variant"),
    (lambda d: d["stretches"].__setitem__(0, "superman"), "moves.json: stretches[0]: 'superman' is not a stretch move"),
    (lambda d: d["rests"].__setitem__(0, 30.5), "moves.json: rests[0]: 30.5 is not whole seconds in 10..90"),
    (lambda d: d.pop("holds"), "moves.json: holds: must be a non-empty list of whole seconds"),
]


@pytest.fixture
def copies(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "phrases").mkdir()
    moves = tmp_path / "moves.json"
    phrases = tmp_path / "phrases" / "en.json"
    shutil.copy(PACKAGE / "moves.json", moves)
    shutil.copy(PACKAGE / "phrases" / "en.json", phrases)
    return moves, phrases


def _rewrite(path: Path, edit: Callable[[dict[str, Any]], Any]) -> None:
    data = json.loads(path.read_text())
    edit(data)
    path.write_text(json.dumps(data))


def test_clean_copies_load(copies):
    moves, phrases = copies
    assert load_catalog(moves_path=moves, phrases_path=phrases).ladder[0] == "superman"


@pytest.mark.parametrize(("edit", "message"), MOVE_DEFECTS, ids=[m.split(": ", 1)[1] for _, m in MOVE_DEFECTS])
def test_a_broken_moves_file_fails_naming_file_and_key(copies, edit, message):
    moves, phrases = copies
    assert json.loads(moves.read_text())["moves"][26]["id"] == "lying_figure_4"
    assert json.loads(moves.read_text())["moves"][25]["id"] == "cat_cow"
    _rewrite(moves, edit)
    with pytest.raises(CatalogError) as failure:
        load_catalog(moves_path=moves, phrases_path=phrases)
    assert str(failure.value) == message


def test_unreadable_moves_file(copies):
    moves, phrases = copies
    moves.write_text("{ not json")
    with pytest.raises(CatalogError, match=r"^moves\.json: not valid JSON \(line 1"):
        load_catalog(moves_path=moves, phrases_path=phrases)
    with pytest.raises(CatalogError, match=r"^gone\.json: cannot read"):
        load_catalog(moves_path=moves.parent / "gone.json", phrases_path=phrases)


def _phrase(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        data["phrases"][key] = value
    return edit


PHRASE_DEFECTS = [
    (lambda d: d["phrases"].pop("pain_question"), "phrases/en.json: phrases.pain_question: missing"),
    (_phrase("rest", "Rest now."), "phrases/en.json: phrases.rest: missing placeholder {seconds}"),
    (_phrase("rest", "Rest {sec} seconds, {seconds}."), "phrases/en.json: phrases.rest: unknown placeholder {sec}"),
    (_phrase("hold_ack", ["Ok {name}.", "Noted {nam}, {name}.", "Fine {name}."]),
     "phrases/en.json: phrases.hold_ack[1]: unknown placeholder {nam}"),
    (_phrase("praise", ["Good.", "Nice."]), "phrases/en.json: phrases.praise: needs at least 3 variants, has 2"),
    (_phrase("hello", "Hi."), "phrases/en.json: phrases.hello: not a phrase the coach uses"),
    (_phrase("goodbye", ""), "phrases/en.json: phrases.goodbye: must be non-empty text"),
    (_phrase("set_start", "Set {n of {total}."), "phrases/en.json: phrases.set_start: broken placeholder"),
    (lambda d: d["plurals"].__setitem__("set", ["one set", "many sets"]),
     "phrases/en.json: plurals.set: the plural needs {n} and the singular no placeholder"),
    (lambda d: d.pop("and"), "phrases/en.json: and: must be a word such as 'and'"),
]


@pytest.mark.parametrize(("edit", "message"), PHRASE_DEFECTS, ids=[m.split(": ", 1)[1] for _, m in PHRASE_DEFECTS])
def test_a_broken_phrase_file_fails_naming_file_and_key(copies, edit, message):
    moves, phrases = copies
    _rewrite(phrases, edit)
    with pytest.raises(CatalogError) as failure:
        load_catalog(moves_path=moves, phrases_path=phrases)
    assert str(failure.value).startswith(message)

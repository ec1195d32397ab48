"""Shared helpers for the engine tests: the packaged catalogue, and a Walk that steps the coach the way the
shells do (the state through JSON every turn, the clock moving as the speech plays) while checking what
every output must satisfy."""
from __future__ import annotations

import functools
import json
from typing import Any

import pytest

from skill.coach.catalog import Catalog, load_catalog
from skill.coach.events import Event
from skill.coach.machine import Coach
from skill.coach.rules import MAX_PAUSE_SECONDS, MAX_SILENCE_SECONDS
from skill.coach.speech import Count, Countdown, CountIn, Output, Pause, Segment, Text
from skill.coach.state import Form, Kind, MoveRecord, Phase, State
from skill.coach.timing import seconds

T0 = 1_764_000_000.0
DAY = 24 * 3600.0
HOUR = 3600.0
ANSWER_AFTER = 2.0      # a person answers this long after a response has played

_CATALOG = load_catalog()


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return _CATALOG


@pytest.fixture
def coach(catalog: Catalog) -> Coach:
    return Coach(catalog)


@functools.cache
def _recipes(catalog: Catalog) -> frozenset[Segment]:
    return frozenset(catalog.audio_recipes())


def check_output(catalog: Catalog, out: Output) -> None:
    """What every output must satisfy, whatever was said to the coach."""
    recipes = _recipes(catalog)
    if out.listen:
        assert out.reprompt and any(isinstance(s, Text) and s.text.strip() for s in out.reprompt)
    for segment in out.speech + out.reprompt:
        if isinstance(segment, (Count, Countdown, CountIn)):
            assert segment in recipes, f"{segment} is not a pre-rendered recipe"
        if isinstance(segment, Pause):
            assert 0 < segment.seconds <= MAX_PAUSE_SECONDS
        if isinstance(segment, Text):
            assert segment.text.strip() and "{" not in segment.text
        if isinstance(segment, Countdown):
            marks = (segment.seconds, *segment.marks(), 0)
            assert max(a - b for a, b in zip(marks, marks[1:])) <= MAX_SILENCE_SECONDS
    marks = [m.at for m in out.timeline]
    assert marks == sorted(marks) and all(m <= seconds(out.speech) + 0.5 for m in marks)


def text_of(out: Output) -> str:
    return " ".join(s.text for s in out.speech if isinstance(s, Text))


def counts_of(out: Output) -> list[Count]:
    return [s for s in out.speech if isinstance(s, Count)]


class Walk:
    """Talk to the coach turn by turn. The state goes through JSON between turns like a real store, and the
    clock moves on by the reply's length (plus ANSWER_AFTER) unless told `at=` seconds into the reply."""

    def __init__(self, coach: Coach, state: State | None = None, now: float = T0) -> None:
        self.coach = coach
        self.state = state if state is not None else coach.new_state()
        self.now = now
        self.out: Output | None = None
        self.sent_at = now
        self.replies = 0

    def __call__(self, kind: str, value: Any = None, at: float | None = None) -> Output:
        if at is not None:
            self.now = self.sent_at + at
        before = json.dumps(self.state.to_json(), sort_keys=True)
        out, new = self.coach.step(self.state, Event(kind, value), self.now)
        assert json.dumps(self.state.to_json(), sort_keys=True) == before, "step mutated its input"
        check_output(self.coach.catalog, out)
        if not out.changed:
            assert new.to_json() == self.state.to_json(), "an unchanged turn changed the state"
        self.state = State.from_json(json.loads(json.dumps(new.to_json())))
        assert self.state == new, "state does not survive JSON"
        self.sent_at = self.now
        self.now += seconds(out.speech) + ANSWER_AFTER
        self.out = out
        self.replies += 1
        return out

    def wait(self, seconds_: float) -> None:
        self.now += seconds_

    @property
    def phase(self) -> Phase:
        return self.state.phase

    @property
    def routine(self):
        return self.state.session.routine

    @property
    def item(self):
        routine = self.routine
        return routine.items[routine.index]

    @property
    def progress(self):
        return self.state.progress

    def routine_through(self, answers: dict[str, list[Any]] | None = None, feel: str = "same",
                        stretches: bool = False, short: bool = False) -> Output:
        """Start a routine and answer each move's question: `answers[ladder id]` lists the answers for that
        move in turn ("yes", "no", or a 0-10 rating), default "yes". Returns the end-of-routine output."""
        answers = {k: list(v) for k, v in (answers or {}).items()}
        self("start_routine", "short" if short else None)
        if self.phase == Phase.BACK_CHECK:
            self("back_feel", feel)
        while self.phase in (Phase.MOVING, Phase.READY):
            if self.phase == Phase.READY:
                self("ready")
                continue
            queue = answers.setdefault(self.item.move, [])
            answer = queue.pop(0) if queue else "yes"
            self("pain", answer) if isinstance(answer, int) else self(answer)
        summary = self.out
        assert self.phase == Phase.OFFER, f"routine ended in {self.phase}"
        self("yes" if stretches else "no")
        return summary

    def to_move(self, move_id: str) -> Output:
        """Start a routine and skip moves (answering them) until `move_id` is the move in hand."""
        out = self("start_routine")
        if self.phase == Phase.BACK_CHECK:
            out = self("back_feel", "same")
        while self.item.move != move_id:
            assert self.phase == Phase.MOVING, f"{move_id} is not in today's plan"
            out = self("yes")
        return out


OUTDOOR_MOVE = "single_leg_jump_squats"   # the ladder move with an outdoor alternative


def late_ladder(coach: Coach, jump_squat_reps: int = 8) -> State:
    """A runner who has mastered the first eight ladder moves: today's plan ends on Single Leg Jump Squats."""
    state = coach.new_state()
    progress = state.progress
    progress.safety_note_given, progress.sessions, progress.last_session_at = True, 16, T0 - 7 * DAY
    for move_id in coach.catalog.ladder[:8]:
        progress.moves[move_id] = MoveRecord(Form.FULL, 12, 2, None, True, started=0)
    for move_id in coach.catalog.ladder[8:11]:
        progress.moves[move_id] = MoveRecord(Form.FULL, 10, 0, None, False, started=8)
    progress.moves[OUTDOOR_MOVE] = MoveRecord(Form.FULL, jump_squat_reps, 0, None, False, started=12)
    return state


@pytest.fixture
def walk(coach: Coach) -> Walk:
    return Walk(coach)


__all__ = ["ANSWER_AFTER", "DAY", "HOUR", "Kind", "OUTDOOR_MOVE", "T0", "Walk", "check_output", "counts_of",
           "late_ladder", "text_of"]

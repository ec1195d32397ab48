"""Shared helpers for the engine tests: a packaged catalogue, and a Walk that steps the coach the way the
shells do (JSON round-trip of the state every turn) while checking what every output must satisfy."""
from __future__ import annotations

import copy
import functools
import json
from typing import Any

import pytest

from skill.coach.catalog import Catalog, load_catalog
from skill.coach.events import Event
from skill.coach.session import Coach
from skill.coach.speech import Count, Countdown, CountIn, Output, Pause, Segment, Text
from skill.coach.timing import MAX_PAUSE_SECONDS, MAX_TURN_SECONDS, seconds

T0 = 1_764_000_000.0
DAY = 24 * 3600.0
HOUR = 3600.0

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
    assert seconds(out.speech) <= MAX_TURN_SECONDS
    assert seconds(out.reprompt) <= MAX_TURN_SECONDS


def text_of(out: Output) -> str:
    return " ".join(s.text for s in out.speech if isinstance(s, Text))


class Walk:
    """Talk to the coach turn by turn; the state goes through JSON between turns like a real store."""

    def __init__(self, coach: Coach, state: dict[str, Any] | None = None, now: float = T0) -> None:
        self.coach = coach
        self.state = state if state is not None else coach.new_state()
        self.now = now
        self.out: Output | None = None

    def __call__(self, kind: str, value: Any = None, after: float = 60.0) -> Output:
        before = copy.deepcopy(self.state)
        out, new = self.coach.step(self.state, Event(kind, value), self.now)
        assert self.state == before, "step mutated its input"
        check_output(self.coach.catalog, out)
        self.state = json.loads(json.dumps(new))
        assert self.state == new, "state does not survive JSON"
        self.now += after
        self.out = out
        return out

    def wait(self, seconds_: float) -> None:
        self.now += seconds_

    @property
    def phase(self) -> str:
        session = self.state["session"]
        return session["phase"] if session is not None else "idle"

    @property
    def routine(self) -> dict[str, Any]:
        return self.state["session"]["routine"]

    @property
    def item(self) -> dict[str, Any]:
        routine = self.routine
        return routine["items"][routine["index"]]

    @property
    def progress(self) -> dict[str, Any]:
        return self.state["progress"]

    def routine_through(self, answers: dict[str, list[Any]] | None = None, feel: str = "same",
                        stretches: bool = False) -> Output:
        """Start a routine and answer every set: `answers[move id]` lists the answers for that ladder move
        ("yes", "no", or a 0-10 rating), default all "yes". Returns the end-of-routine output."""
        answers = {k: list(v) for k, v in (answers or {}).items()}
        self("start_routine")
        if self.phase == "back_check":
            self("back_feel", feel)
        while self.phase in ("await_ready", "await_answer"):
            if self.phase == "await_ready":
                self("ready")
                continue
            queue = answers.setdefault(self.item["move"], [])
            answer = queue.pop(0) if queue else "yes"
            if isinstance(answer, int):
                self("pain", answer)
            else:
                self(answer)
        summary = self.out
        assert self.phase == "offer"
        self("yes" if stretches else "no")
        return summary

    def to_move(self, move_id: str) -> Output:
        """Start a routine and skip moves until `move_id` is up (it must be in today's plan)."""
        self("start_routine")
        if self.phase == "back_check":
            self("back_feel", "same")
        while True:
            assert self.phase == "await_ready", f"{move_id} is not in today's plan"
            if self.item["move"] == move_id:
                return self.out
            self("skip")


OUTDOOR_MOVE = "single_leg_jump_squats"   # the ladder move with an outdoor alternative


def late_ladder(coach: Coach, jump_squat_reps: int = 8) -> dict[str, Any]:
    """A runner who has mastered the first eight ladder moves: today's plan ends on Single Leg Jump Squats."""
    state = coach.new_state()
    progress = state["progress"]
    progress.update(safety_note_given=True, sessions=16, last_session_at=T0 - 7 * DAY)
    for move_id in coach.catalog.ladder[:8]:
        progress["moves"][move_id] = {"form": "full", "reps": 12, "at_max": 2, "parked_at": None, "mastered": True}
    progress["moves"][OUTDOOR_MOVE] = {"form": "full", "reps": jump_squat_reps, "at_max": 0, "parked_at": None,
                                       "mastered": False}
    return state


@pytest.fixture
def walk(coach: Coach) -> Walk:
    return Walk(coach)


@pytest.fixture
def outside(coach: Coach) -> Walk:
    """A late-ladder runner at Single Leg Jump Squats, waiting for "ready"."""
    walk = Walk(coach, late_ladder(coach, jump_squat_reps=10))
    walk.to_move(OUTDOOR_MOVE)
    return walk

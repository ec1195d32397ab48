"""Random walks: thousands of event sequences, with the state through JSON and the clock jumping around,
must keep the engine's promises."""
from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st

from skill.coach.catalog import SETS, load_catalog
from skill.coach.events import KINDS, Event
from skill.coach.plan import current_move
from skill.coach.session import STALE_SECONDS, Coach
from skill.coach.speech import Output

from .conftest import DAY, OUTDOOR_MOVE, T0, Walk, check_output, late_ladder

CATALOG = load_catalog()
COACH = Coach(CATALOG)
PROGRESSION = ("sessions", "last_session_at", "moves", "history")


class _Recorder(Walk):
    """A Walk that keeps every state it passes through (starting points for the short walks)."""

    def __init__(self, state: dict[str, Any] | None = None) -> None:
        super().__init__(COACH, state)
        self.seen: list[dict[str, Any]] = []

    def __call__(self, kind: str, value: Any = None, after: float = 60.0) -> Output:
        out = super().__call__(kind, value, after)
        self.seen.append(self.state)
        return out


def _played(answers: dict[str, list[Any]] | None = None, sessions: int = 1) -> _Recorder:
    walk = _Recorder()
    for _ in range(sessions):
        walk.routine_through(answers, stretches=True)
        while walk.phase in ("stretch_ready", "stretch_answer"):
            walk("ready" if walk.phase == "stretch_ready" else "no")
        walk.wait(DAY)
    return walk


def _near_mastery() -> dict[str, Any]:
    state = COACH.new_state()
    for move_id in CATALOG.ladder[:4]:
        state["progress"]["moves"][move_id] = {"form": "full", "reps": 12, "at_max": 1, "parked_at": None,
                                               "mastered": False}
    return state


def _detours() -> list[dict[str, Any]]:
    walk = _Recorder(_played().state)
    for kind in ["launch", "yes", "back_feel", "ready", "pause", "launch", "forget", "no", "no", "ready", "no",
                 "ready", "status", "no", "skip", "harder", "start_over", "ready", "pain", "stop"]:
        walk(kind, {"back_feel": "worse", "pain": 5}.get(kind))
    return walk.seen


def _safety_detours() -> list[dict[str, Any]]:
    """States around a late answer after a timeout, a hurt before a set, and a red flag waiting for a check."""
    walk = _Recorder(_played().state)
    for kind, value in [("start_routine", None), ("back_feel", "same"), ("ready", None), ("session_ended", None),
                        ("pain", 6), ("hurts", None), ("ready", None), ("skip", None), ("red_flag", "unwell"),
                        ("launch", None), ("no", None), ("start_routine", None)]:
        walk(kind, value)
    return walk.seen


def _outdoors() -> list[dict[str, Any]]:
    """States around Single Leg Jump Squats, the move with an outdoor alternative, done outside."""
    seen = []
    for kinds in (["outdoors", "ready", "yes", "outdoors", "easier", "outdoors", "harder", "ready", "pain", "pause",
                   "launch", "yes", "start_over"],
                  ["ready", "outdoors", "help", "ready", "no", "ready", "no"]):
        walk = _Recorder(late_ladder(COACH))
        walk.to_move(OUTDOOR_MOVE)
        for kind in kinds:
            walk(kind, 5 if kind == "pain" else None)
        seen += walk.seen
    return seen


_PAINFUL = _played({"superman": ["no", "no"], "beetle": ["yes", "no"], "single_leg_balance_reach": [4, 7]}, 2)
_OUTDOORS = _outdoors()
_AT_JUMP_SQUATS = _Recorder(late_ladder(COACH))
_AT_JUMP_SQUATS.to_move(OUTDOOR_MOVE)
STARTS = [COACH.new_state(), _played().state, _PAINFUL.state, _near_mastery(), late_ladder(COACH),
          _AT_JUMP_SQUATS.state, _OUTDOORS[len(_OUTDOORS) // 2]]
MIDWAY = _played().seen + _PAINFUL.seen + _detours() + _safety_detours() + _OUTDOORS

# Mostly what the coach is waiting for (so walks get deep: whole routines, pain, parking, stretches),
# often anything at all, with any value.
_rating = st.one_of(st.integers(-3, 14), st.none(), st.sampled_from(["x", "7", "", "10"]))
EXPECTED: dict[str, st.SearchStrategy[Event]] = {
    "idle": st.sampled_from(["start_routine", "launch", "start_stretches"]).map(Event),
    "offer": st.sampled_from(["yes", "yes", "no", "hurts"]).map(Event),
    "back_check": st.builds(Event, st.just("back_feel"), st.sampled_from(["better", "same", "worse", "meh", None])),
    "confirm_resume": st.one_of(st.sampled_from(["yes", "no", "hurts"]).map(Event),
                                st.builds(Event, st.just("pain"), _rating)),
    "await_ready": st.sampled_from(["ready"] * 6 + ["easier", "harder", "skip", "no", "outdoors", "hurts"]).map(Event),
    "await_answer": st.one_of(st.sampled_from(["yes"] * 6 + ["no", "outdoors", "hurts", "skip", "session_ended"]).map(Event),
                              st.builds(Event, st.just("pain"), _rating)),
    "stretch_ready": st.sampled_from(["ready", "ready", "skip"]).map(Event),
    "stretch_answer": st.one_of(st.sampled_from(["yes", "yes", "no"]).map(Event),
                                st.builds(Event, st.just("pain"), _rating)),
    "paused": st.one_of(st.sampled_from(["resume", "launch", "start_routine", "start_over", "yes", "no", "hurts"])
                        .map(Event), st.builds(Event, st.just("pain"), _rating)),
    "confirm_forget": st.sampled_from(["yes", "no", "no"]).map(Event),
    "confirm_checked": st.sampled_from(["yes", "yes", "no"]).map(Event),
}
_any = st.builds(Event, st.sampled_from(sorted(KINDS)), st.one_of(st.none(), _rating, st.sampled_from(
    ["junk", "leg", "urgent", "unwell", "better", "worse"])))
GAPS = st.sampled_from([0.0, 1.0, 30.0, 60.0, 60.0, 600.0, 3600.0, STALE_SECONDS + 60, 2 * DAY, 5 * DAY, -5.0])


def _phase(state: dict[str, Any]) -> str:
    return state["session"]["phase"] if state["session"] is not None else "idle"


def _stale(state: dict[str, Any], now: float) -> bool:
    session = state["session"]
    return session is not None and now - session["updated_at"] > STALE_SECONDS


class Promises:
    """Follows one walk and checks every promise after every step."""

    def __init__(self) -> None:
        self.hurt: set[str] = set()          # ladder moves that hurt in the current routine
        self.routine_id: float | None = None

    def check(self, before: dict[str, Any], event: Event, now: float, out: Output, after: dict[str, Any]) -> None:
        check_output(CATALOG, out)
        if event.kind == "unknown":
            assert after == before
        if event.kind == "outdoors" and not _stale(before, now):
            assert after["progress"] == before["progress"]   # being outside is for today, not progression
        if event.kind == "red_flag":
            assert not out.listen and after["session"] is None
            if not _stale(before, now):
                for key in PROGRESSION:
                    assert after["progress"][key] == before["progress"][key]
        if after["progress"]["red_flag"] is not None:     # no training until a doctor has checked them
            assert after["session"] is None or after["session"]["routine"] is None
        self._routine(before, event, now, after)
        for move_id, rec in after["progress"]["moves"].items():
            assert rec["form"] in ("full", "easier") and 8 <= rec["reps"] <= 12, move_id

    def _routine(self, before: dict[str, Any], event: Event, now: float, after: dict[str, Any]) -> None:
        routine = after["session"]["routine"] if after["session"] is not None else None
        if routine is None or routine["kind"] != "routine":
            self.hurt, self.routine_id = set(), None
            return
        # "start over" carries today's pain into the restarted routine (unless the old one was closed)
        carried = (event.kind == "start_over" and _phase(before) not in ("idle", "confirm_resume")
                   and not _stale(before, now))
        if routine["id"] != self.routine_id and not carried:
            self.hurt = set()
        self.routine_id = routine["id"]
        for item in routine["items"]:
            assert len(item["sets"]) <= SETS
            assert item["form"] in ("full", "easier", "outdoor")
            if item["form"] == "outdoor":
                assert CATALOG.move(item["move"]).outdoor is not None and item["outdoors"] and not item["hurt"]
            low, high = current_move(CATALOG, item).reps
            assert low <= item["reps"] <= high
            if any(s["result"] == "hurt" for s in item["sets"]) or item["hurt"]:
                self.hurt.add(item["move"])
            if item["move"] in self.hurt:
                assert item["form"] == "easier", f"{item['move']} went back to the harder form after a no"


def _walk(state: dict[str, Any], length: int, data: st.DataObject) -> None:
    times = [T0, state["progress"]["last_session_at"] or T0]
    if state["session"] is not None:
        times.append(state["session"]["updated_at"])
    now = max(times)
    promises = Promises()
    for _ in range(length):
        expected = EXPECTED[_phase(state)]
        event = data.draw(st.one_of(expected, expected, expected, _any))
        now += data.draw(GAPS)
        before = json.loads(json.dumps(state))
        out, after = COACH.step(state, event, now)
        assert state == before, "step mutated its input"
        state = json.loads(json.dumps(after))
        assert state == after, "state does not survive JSON"
        promises.check(before, event, now, out, after)


@settings(max_examples=700, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(STARTS), st.integers(1, 80), st.data())
def test_long_random_walks_keep_every_promise(start: dict[str, Any], length: int, data: st.DataObject) -> None:
    _walk(start, length, data)


@settings(max_examples=2000, deadline=None)
@given(st.sampled_from(MIDWAY), st.integers(1, 6), st.data())
def test_short_random_walks_from_anywhere_keep_every_promise(start: dict[str, Any], length: int,
                                                             data: st.DataObject) -> None:
    _walk(start, length, data)

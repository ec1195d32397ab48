"""How long the engine takes for a whole 4-move routine, event by event, the way a shell drives it
(the state goes through JSON every turn, as a store would). Prints figures only.

    .venv/bin/python bench/engine.py [sessions]
"""
from __future__ import annotations

import json
import statistics
import sys
import time

from skill.coach.catalog import load_catalog
from skill.coach.events import Event
from skill.coach.session import Coach

DAY = 24 * 3600.0
ROUTINE = [Event("ready")] + [Event("yes")] * 3
FIRST = [Event("start_routine"), *ROUTINE * 4, Event("no")]                        # new person
RETURNING = [Event("launch"), Event("yes"), Event("back_feel", "same"), *ROUTINE * 4, Event("no")]


def one_session(coach: Coach, stored: str, events: list[Event], now: float) -> tuple[str, int]:
    state = json.loads(stored)
    for event in events:
        _, state = coach.step(state, event, now)
        state = json.loads(json.dumps(state))
        now += 45.0
    return json.dumps(state), len(events)


def finishes(coach: Coach, stored: str, events: list[Event]) -> None:
    """The figures only mean something if the scripted talk really completes a routine."""
    after = json.loads(one_session(coach, stored, events, 1_764_000_000.0)[0])
    if after["session"] is not None or after["progress"]["sessions"] != json.loads(stored)["progress"]["sessions"] + 1:
        raise SystemExit("the scripted session did not complete a routine; the bench script is out of date")


def measure(coach: Coach, stored: str, events: list[Event], sessions: int) -> list[float]:
    timings = []
    for i in range(sessions):
        start = time.perf_counter()
        one_session(coach, stored, events, 1_764_000_000.0 + i)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def report(label: str, timings: list[float], turns: int) -> None:
    ordered = sorted(timings)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    median = statistics.median(ordered)
    print(f"{label:<34} {turns:>3} turns  median {median:6.3f} ms  p99 {p99:6.3f} ms  "
          f"per turn {median / turns * 1000:5.0f} us")


def main() -> None:
    sessions = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    start = time.perf_counter()
    catalog = load_catalog()
    print(f"load_catalog (moves + phrases, validated): {(time.perf_counter() - start) * 1000:.1f} ms")
    coach = Coach(catalog)
    fresh = json.dumps(coach.new_state())
    # a person with a few sessions behind them, last trained yesterday
    returning, now = fresh, 1_763_000_000.0
    for _ in range(5):
        returning, _ = one_session(coach, returning, [Event("start_routine"), Event("back_feel", "same"),
                                                      *ROUTINE * 4, Event("no")], now)
        now += DAY
    state = json.loads(returning)
    state["progress"]["last_session_at"] = 1_764_000_000.0 - DAY
    returning = json.dumps(state)
    finishes(coach, fresh, FIRST)
    finishes(coach, returning, RETURNING)
    measure(coach, fresh, FIRST, 50)   # warm-up
    print(f"{sessions} sessions each:")
    report("first session (start_routine)", measure(coach, fresh, FIRST, sessions), len(FIRST))
    report("returning (launch + back check)", measure(coach, returning, RETURNING, sessions), len(RETURNING))


if __name__ == "__main__":
    main()

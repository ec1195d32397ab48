"""Response sizes with the screen: every response of a full conversation on each screen device (the
bytes the web endpoint sends), the largest against Alexa's limit, and the view-level worst case the
timeline engine can produce (three sets of a one-sided move at twelve reps in one response).

    .venv/bin/python bench/screen_size.py
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.*

from skill.alexa.skill import compose  # noqa: E402
from skill.alexa.store import SQLiteStore  # noqa: E402
from skill.coach.catalog import load_catalog  # noqa: E402
from skill.coach.session import Coach  # noqa: E402
from skill.console.devices import DEVICES  # noqa: E402
from skill.console.envelopes import Device  # noqa: E402
from skill.screen.apl import directives  # noqa: E402
from tests.alexa.conftest import Alexa  # noqa: E402
from tests.screen.test_devices import conversation  # noqa: E402
from tests.screen.test_figures import move_view  # noqa: E402

LIMIT = 120 * 1024   # Alexa: the whole response, JSON


def size(raw: dict) -> int:
    return len(json.dumps(raw, separators=(",", ":")).encode())


def worst_view() -> dict:
    view = move_view("single_leg_deadlift", reps=12, sides=True)
    timeline, at = [], 0.0
    for set_no in (1, 2, 3):
        timeline.append({"at": at, "kind": "cue", "set": set_no, "side": None, "rep": 0, "seconds": 3.0})
        at += 3
        for side in ("left", "right"):
            timeline.append({"at": at, "kind": "count_in", "set": set_no, "side": side, "rep": 0, "seconds": 4.0})
            at += 4
            for k in range(1, 13):
                timeline.append({"at": at, "kind": "rep", "set": set_no, "side": side, "rep": k, "seconds": 5.0})
                at += 5
            timeline.append({"at": at, "kind": "switch", "set": set_no, "side": None, "rep": 0, "seconds": 3.0})
            at += 3
        timeline.append({"at": at, "kind": "rest", "set": 0, "side": None, "rep": 0, "seconds": 45.0})
        at += 45
    timeline[-1] = {**timeline[-1], "kind": "question", "seconds": 1.0}
    return {**view, "timeline": timeline}


def main() -> None:
    coach = Coach(load_catalog())
    largest = (0, "")
    for name, (interfaces, viewport) in DEVICES.items():
        with tempfile.TemporaryDirectory() as folder:
            store = SQLiteStore(Path(folder))
            alexa = Alexa(compose(coach, store), store, Device(interfaces=interfaces, viewport=viewport))
            sizes = [size(reply.raw) for reply in conversation(alexa)]
        print(f"{name:13} {len(sizes)} responses, largest {max(sizes):,} bytes, median {sorted(sizes)[len(sizes) // 2]:,}")
        if max(sizes) > largest[0]:
            largest = (max(sizes), name)
    print(f"largest response: {largest[0]:,} bytes, first seen on {largest[1]} ({largest[0] / LIMIT:.0%} of Alexa's 120 KB)")
    found = directives(worst_view())
    entries = len(worst_view()["timeline"])
    print(f"worst-case view ({entries} timeline entries, 3 sets x 2 sides x 12 reps): directives "
          f"{size({'directives': found}):,} bytes ({size({'d': found}) / LIMIT:.0%} of the limit, before speech)")


if __name__ == "__main__":
    main()

"""Response sizes with the screen: every response of a full conversation on each screen device (the
bytes the web endpoint sends, and as Lambda's runtime sends them), the largest against Alexa's limit, and
the longest move the engine can send in one response (three sets of a one-sided move at twelve reps, the
slowest count), through the real skill, with what its bytes are spent on.

    .venv/bin/python bench/screen_size.py
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.*

from ask_sdk_core.serialize import DefaultSerializer  # noqa: E402
from ask_sdk_model import RequestEnvelope  # noqa: E402

from skill.alexa.identity import owner_of  # noqa: E402
from skill.alexa.skill import compose  # noqa: E402
from skill.alexa.store import SQLiteStore  # noqa: E402
from skill.coach.catalog import load_catalog  # noqa: E402
from skill.coach.machine import Coach  # noqa: E402
from skill.coach.state import Form, MoveRecord, State  # noqa: E402
from skill.console.devices import DEVICES  # noqa: E402
from skill.console.envelopes import Device  # noqa: E402
from tests.alexa.conftest import Alexa  # noqa: E402
from tests.screen.test_devices import conversation  # noqa: E402
from skill.voice.ssml import SsmlBudget  # noqa: E402

# Alexa's limit on a whole response (JSON) as its custom-skill JSON reference documents it; a newer,
# larger figure is claimed but could not be confirmed, so the documented one is the one kept to.
LIMIT = 24 * 1024


def size(raw: dict) -> int:
    """As the web endpoint sends it: compact JSON."""
    return len(json.dumps(raw, separators=(",", ":")).encode())


def spaced(raw: dict) -> int:
    """As Lambda's runtime sends the handler's answer: a space after each separator (the larger)."""
    return len(json.dumps(raw).encode())


def longest_move(coach: Coach, store: SQLiteStore, interfaces, viewport) -> dict:
    """A runner at twelve reps of Single Leg Deadlift at the slowest count: its one response, as sent."""
    alexa = Alexa(compose(coach, store), store, Device(interfaces=interfaces, viewport=viewport))
    state = State()
    progress = state.progress
    progress.safety_note_given, progress.sessions = True, 20
    for move_id in coach.catalog.ladder[:8]:
        progress.moves[move_id] = MoveRecord(Form.FULL, 12, 2, None, True, started=0)
    for move_id in coach.catalog.ladder[8:12]:
        progress.moves[move_id] = MoveRecord(Form.FULL, 12, 1, None, False, started=8)
    progress.tempo["single_leg_deadlift"] = 5.0
    probe = alexa.device.launch(alexa.now)
    alexa.device.end_session()
    owner = owner_of(DefaultSerializer().deserialize(json.dumps(probe), RequestEnvelope))
    store.save(owner, state.to_json(), 0)
    return alexa.say("StartRoutineIntent").raw


def main() -> None:
    coach = Coach(load_catalog(), SsmlBudget())
    largest = (0, 0, "")
    for name, (interfaces, viewport) in DEVICES.items():
        with tempfile.TemporaryDirectory() as folder:
            store = SQLiteStore(Path(folder))
            alexa = Alexa(compose(coach, store), store, Device(interfaces=interfaces, viewport=viewport))
            replies = [reply.raw for reply in conversation(alexa)]
        sizes = [size(raw) for raw in replies]
        print(f"{name:13} {len(sizes)} responses, largest {max(sizes):,} bytes, median {sorted(sizes)[len(sizes) // 2]:,}")
        if max(sizes) > largest[0]:
            largest = (max(sizes), max(spaced(raw) for raw in replies), name)
    print(f"largest response: {largest[0]:,} bytes ({largest[1]:,} as Lambda sends it), first seen on {largest[2]}: "
          f"{largest[1] / LIMIT:.0%} of the documented 24 KB limit")
    with tempfile.TemporaryDirectory() as folder:
        interfaces, viewport = DEVICES["echo-show-15"]
        raw = longest_move(coach, SQLiteStore(Path(folder)), interfaces, viewport)
    render = next(d for d in raw["response"]["directives"] if d["type"].endswith("RenderDocument"))
    execute = [d for d in raw["response"]["directives"] if d["type"].endswith("ExecuteCommands")]
    frames = len(render["datasources"]["screen"]["frames"])
    print(f"longest move in one response (Single Leg Deadlift, 3 sets x 2 sides x 12 reps at 5 s; "
          f"{frames} screen frames): {size(raw):,} bytes ({spaced(raw):,} as Lambda sends it): "
          f"{spaced(raw) / LIMIT:.0%} of the limit")
    print(f"  of which RenderDocument {size(render):,} (document {size(render['document']):,}, its figure "
          f"{size(render['document']['graphics']):,}; datasources {size(render['datasources']):,}), "
          f"ExecuteCommands {sum(size(d) for d in execute):,}, speech and re-prompt "
          f"{size(raw['response']['outputSpeech']) + size(raw['response'].get('reprompt') or {}):,}")


if __name__ == "__main__":
    main()

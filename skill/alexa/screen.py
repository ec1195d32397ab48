"""The screen shell: on a device with Alexa.Presentation.APL, each turn also sends what the screen
shows (skill/screen builds it from a plain-JSON view); touch answers come back as UserEvents and
become the same engine events as the spoken answers. A device without the interface gets exactly
the voice response (plus, for "how am I doing", a card with the same summary).

`view_for` and `screen_token` are the one adapter from the engine's output and state to the view:
provisional, built on today's Output; the engine that carries a timeline replaces them.
"""
from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response
from ask_sdk_model.interfaces.alexa.presentation.apl import ExecuteCommandsDirective, RenderDocumentDirective
from ask_sdk_model.ui import SimpleCard

from skill.coach import timing
from skill.coach.catalog import SETS, Catalog
from skill.coach.events import Event
from skill.coach.plan import current_move, todays_plan
from skill.coach.speech import Count, Countdown, CountIn, Output, Pause, Text
from skill.screen.apl import EXECUTE, ViewError, directives, words
from skill.voice import ssml

log = logging.getLogger("backcoach.alexa")

USER_EVENT = "Alexa.Presentation.APL.UserEvent"
# A touch answer is the spoken answer's event.
TOUCH_EVENTS = {"pain_free": "yes", "hurt": "hurts", "pause": "pause", "resume": "resume"}
_ANSWER_PHASES = ("await_answer", "stretch_answer")
_READY_PHASES = ("await_ready", "stretch_ready")


def supports_apl(handler_input: HandlerInput) -> bool:
    device = handler_input.request_envelope.context.system.device
    interfaces = getattr(device, "supported_interfaces", None) if device else None
    return getattr(interfaces, "alexa_presentation_apl", None) is not None


def present(handler_input: HandlerInput, catalog: Catalog, state: dict[str, Any], output: Output,
            event: Event) -> None:
    """Add the screen (APL devices) or the progress card (the rest) to the turn's response."""
    builder = handler_input.response_builder
    if not supports_apl(handler_input):
        if event.kind == "progress" and output.card is None:
            builder.set_card(SimpleCard(title=words()["progress_title"], content=_spoken(output)))
        return
    try:
        for directive in directives(view_for(catalog, state, output, event)):
            if directive["type"] == EXECUTE:
                builder.add_directive(ExecuteCommandsDirective(commands=directive["commands"], token=directive["token"]))
            else:
                builder.add_directive(RenderDocumentDirective(token=directive["token"], document=directive["document"],
                                                              datasources=directive["datasources"]))
    except ViewError:   # a bug in the view: the coaching goes on by voice, and the log says why
        log.exception("no screen for this turn")


class TouchHandler(AbstractRequestHandler):
    """A button on the screen: the token says which screen it was on, the argument which button."""

    def __init__(self, turns) -> None:
        self.turns = turns

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type(USER_EVENT)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        state = self.turns.state(handler_input)
        if request.token != screen_token(state):
            # an earlier screen (answered by voice meanwhile, or a second device): change nothing, and
            # leave the session as it is (no shouldEndSession: a screen device keeps it, mic closed)
            return handler_input.response_builder.speak(ssml.render([Text(words()["stale_touch"])])).response
        arguments = request.arguments or []
        button = arguments[0] if len(arguments) == 1 and isinstance(arguments[0], str) else None
        return self.turns.run(handler_input, Event(TOUCH_EVENTS.get(button, "unknown")))


# -- the provisional adapter: today's engine output and state -> the view ------------------------------
def screen_token(state: dict[str, Any]) -> str:
    """Names the screen a state shows: changes whenever the answer a button would give changes."""
    session = state.get("session") or {}
    routine = session.get("routine") or {}
    items = routine.get("items") or []
    item = items[routine["index"]] if items and 0 <= routine.get("index", -1) < len(items) else {}
    key = [session.get("phase", "idle"), session.get("offer"), routine.get("id"), routine.get("index"),
           item.get("move"), item.get("form"), len(item.get("sets") or []), item.get("status")]
    return "bc-" + hashlib.sha256(json.dumps(key).encode()).hexdigest()[:16]


def view_for(catalog: Catalog, state: dict[str, Any], output: Output, event: Event) -> dict[str, Any]:
    """The screen for a turn: `state` is the state after it, `output` what it said."""
    session = state["session"] or {}
    phase = session.get("phase", "idle")
    routine = session.get("routine")
    view: dict[str, Any] = {"token": screen_token(state), "move": None, "timeline": [], "buttons": [],
                            "progress": None, "hint": _hint(output)}
    if event.kind == "progress":
        return {**view, "screen": "progress", "title": words()["progress_title"], "text": _spoken(output),
                "progress": _progress(catalog, state["progress"])}
    if routine is None or phase not in _ANSWER_PHASES + _READY_PHASES + ("paused", "confirm_resume"):
        return {**view, "screen": "message", "title": "Back Coach", "text": _last_words(output)}
    stretch = routine["kind"] == "stretches"
    item = routine["items"][routine["index"]]
    move = catalog.move(item["move"]) if stretch else current_move(catalog, item)
    ladder = catalog.move(item["move"])
    done = 0 if stretch else len(item["sets"])
    view["move"] = {"id": move.id, "name": move.name, "ladder_id": ladder.id, "ladder_name": ladder.name,
                    "form": "full" if stretch else item["form"], "sides": move.sides,
                    "reps": 0 if stretch and not move.counted else (move.reps[0] if stretch else item["reps"]),
                    "tempo": move.tempo or 0.0, "sets": 1 if stretch else SETS}
    screen = "stretch" if stretch else "move"
    if phase in _ANSWER_PHASES:
        view["timeline"] = _timeline(output, 0 if stretch else done + 1, move.sides, asks=True)
        view["buttons"] = ["pain_free", "hurt", "pause"]
        if not any(e["kind"] in ("rep", "hold") for e in view["timeline"]):
            screen = "question"
        text = _last_words(output)
    elif phase in _READY_PHASES:
        view["timeline"] = _timeline(output, 0, move.sides, asks=False)
        view["buttons"] = ["hurt", "pause"]
        text = move.cues[0]
    else:   # paused, or asked whether to carry on
        view["buttons"] = ["resume"]
        text = _last_words(output)
    return {**view, "screen": screen, "title": move.name, "text": text}


def _timeline(output: Output, set_no: int, sides: bool, asks: bool) -> list[dict[str, Any]]:
    """Today's speech segments, timed as the engine estimates them, as timeline entries. Every count
    in one response belongs to set `set_no` (today's engine counts at most one set per response)."""
    entries: list[dict[str, Any]] = []
    at, side_no = 0.0, 0
    speech = list(output.speech)
    last_counted = max((i for i, s in enumerate(speech) if isinstance(s, (Count, Countdown))), default=-1)
    for i, segment in enumerate(speech):
        seconds = timing.seconds([segment])
        following = speech[i + 1] if i + 1 < len(speech) else None
        before_rest = isinstance(following, Countdown) and following.kind == "rest"
        entry = {"at": round(at, 3), "set": set_no, "side": None, "rep": 0, "seconds": seconds}
        if isinstance(segment, (Count, Countdown)) and sides and getattr(segment, "kind", "") != "rest":
            entry["side"] = ("left", "right")[side_no % 2]
            side_no += 1
        if isinstance(segment, Count):
            entries += [{**entry, "kind": "rep", "rep": k, "at": round(at + (k - 1) * segment.tempo, 3),
                         "seconds": segment.tempo} for k in range(1, segment.reps + 1)]
        elif isinstance(segment, Countdown):
            entries.append({**entry, "kind": segment.kind, "set": 0 if segment.kind == "rest" else set_no})
        elif isinstance(segment, CountIn):
            entries.append({**entry, "kind": "count_in"})
        elif isinstance(segment, Pause):
            entries.append({**entry, "kind": "switch"})
        elif asks and 0 <= last_counted < i == len(speech) - 1:
            entries.append({**entry, "kind": "question"})
        else:
            kind = "position" if not asks and i == len(speech) - 1 else "cue"
            entries.append({**entry, "kind": kind, "set": 0 if before_rest else set_no})
        at += seconds
    return entries


def _progress(catalog: Catalog, progress: dict[str, Any]) -> dict[str, Any]:
    sessions = [{"at": h["at"], "sets": h["sets"], "pain_free": h["pain_free"]} for h in progress["history"]]
    moves = [{"id": item["move"], "name": catalog.move(item["move"]).name,
              "form": "easier" if item["form"] == "easier" else "full", "reps": item["reps"], "mastered": False}
             for item in todays_plan(catalog, progress)]
    listed = {m["id"] for m in moves}
    moves += [{"id": m, "name": catalog.move(m).name, "form": "full", "reps": catalog.move(m).reps[1],
               "mastered": True} for m in catalog.ladder
              if progress["moves"].get(m, {}).get("mastered") and m not in listed]
    return {"sessions": sessions, "moves": moves}


def _spoken(output: Output) -> str:
    return " ".join(s.text for s in output.speech if isinstance(s, Text))


def _last_words(output: Output) -> str:
    """The last thing said: the question or instruction the screen should keep showing."""
    texts = [s.text for s in output.speech if isinstance(s, Text)]
    return texts[-1] if texts else ""


def _hint(output: Output) -> str:
    return " ".join(s.text for s in output.reprompt if isinstance(s, Text))

"""The screen shell: on a device with Alexa.Presentation.APL, each turn also sends what the screen
shows (skill/screen builds it from a plain-JSON view); touch answers come back as UserEvents and
become the same engine events as the spoken answers. A device without the interface gets exactly
the voice response (plus, for "how am I doing", a card with the same summary).

`view_for` is the one adapter from the engine's output (its scene and timeline) and state to the view.
"""
from __future__ import annotations

import logging
import re
from typing import Any

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response
from ask_sdk_model.interfaces.alexa.presentation.apl import ExecuteCommandsDirective, RenderDocumentDirective

from skill.coach.catalog import Catalog
from skill.coach.events import Event
from skill.coach.machine import screen_token
from skill.coach.plan import todays_plan
from skill.coach.speech import Output, Scene, Text
from skill.coach.state import Form, Progress, State
from skill.screen.apl import EXECUTE, ViewError, directives, words
from skill.voice import ssml

log = logging.getLogger("backcoach.alexa")

USER_EVENT = "Alexa.Presentation.APL.UserEvent"
# A touch answer is the spoken answer's event.
TOUCH_EVENTS = {"pain_free": "yes", "hurt": "hurts", "pause": "pause", "resume": "resume"}


def supports_apl(handler_input: HandlerInput) -> bool:
    """Whether the device says it shows APL (an envelope without a device, as fuzzing sends, does not)."""
    system = getattr(handler_input.request_envelope.context, "system", None)
    interfaces = getattr(getattr(system, "device", None), "supported_interfaces", None)
    return getattr(interfaces, "alexa_presentation_apl", None) is not None


def present(handler_input: HandlerInput, catalog: Catalog, state: State, output: Output,
            event: Event) -> None:
    """Add the screen to the turn's response on APL devices. "How am I doing" comes with a card (the engine's);
    where the chart is on the screen, the card is left out."""
    builder = handler_input.response_builder
    if not supports_apl(handler_input):
        return
    if event.kind == "progress":
        builder.response.card = None
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
        if button not in TOUCH_EVENTS:
            # not one of our buttons (a malformed event): say so, and change nothing
            return handler_input.response_builder.speak(ssml.render([Text(words()["unknown_touch"])])).response
        return self.turns.run(handler_input, Event(TOUCH_EVENTS[button]))


# -- the adapter: the engine's output (scene and timeline) and state -> the view ---------------------------
def view_for(catalog: Catalog, state: State, output: Output, event: Event) -> dict[str, Any]:
    """The screen for a turn: `state` is the state after it, `output` what it said."""
    scene = output.scene or Scene("message", token=screen_token(state))
    view: dict[str, Any] = {"token": scene.token, "move": None, "timeline": [], "buttons": list(scene.buttons),
                            "progress": None, "hint": scene.hint}
    if event.kind == "progress":
        return {**view, "screen": "progress", "title": words()["progress_title"], "text": _spoken(output),
                "progress": _progress(catalog, state.progress), "buttons": []}
    if scene.move is None:
        return {**view, "screen": "message", "title": "Back Coach", "text": _last_words(output)}
    move, ladder = catalog.move(scene.move.id), catalog.move(scene.move.ladder_id)
    view["move"] = {"id": move.id, "name": move.name, "ladder_id": ladder.id, "ladder_name": ladder.name,
                    "form": scene.move.form, "sides": scene.move.sides, "reps": scene.move.reps,
                    "tempo": scene.move.tempo, "sets": scene.move.sets}
    # the engine marks a rep when its number is heard; the screen starts it a beat before. A stretch has
    # no sets to number.
    stretch = scene.screen == "stretch"
    view["timeline"] = [{"at": round(m.at - m.seconds, 3) if m.kind == "rep" else m.at, "kind": m.kind,
                         "set": 0 if stretch else m.set, "side": m.side, "rep": m.rep, "seconds": m.seconds}
                        for m in output.timeline]
    return {**view, "screen": scene.screen, "title": move.name, "text": _last_words(output)}


def _progress(catalog: Catalog, progress: Progress) -> dict[str, Any]:
    sessions = [{"at": h.at, "sets": h.sets, "pain_free": h.pain_free} for h in progress.history]
    moves = [{"id": item.move, "name": catalog.move(item.move).name,
              "form": "easier" if item.form == Form.EASIER else "full", "reps": item.reps, "mastered": False}
             for item in todays_plan(catalog, progress)]
    listed = {m["id"] for m in moves}
    moves += [{"id": m, "name": catalog.move(m).name, "form": "full", "reps": progress.moves[m].reps,
               "mastered": True} for m in catalog.ladder
              if m in progress.moves and progress.moves[m].mastered and m not in listed]
    return {"sessions": sessions, "moves": moves}


def _spoken(output: Output) -> str:
    return " ".join(s.text for s in output.speech if isinstance(s, Text))


def _last_words(output: Output) -> str:
    """The last thing said: the question or instruction the screen should keep showing."""
    texts = [s.text for s in output.speech if isinstance(s, Text)]
    return re.split(r"(?<=[.!?])\s+", texts[-1])[-1] if texts else ""

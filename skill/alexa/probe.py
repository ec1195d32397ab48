"""The skill's own request handlers with the engine left out: every request is answered with the event
its handler chose, spoken as "kind value" ("red_flag urgent", "hurts elsewhere", "unknown").

Understanding alone, measured through the same handler classes a real turn uses: bench/language.py and
the language tests send it what virtual-alexa or the console's NLU made of a phrase. Nothing is stored.
"""
from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.response_helper import ResponseFactory
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import RequestEnvelope, Response
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request as WsgiRequest, Response as WsgiResponse

from skill.alexa.handlers import CatchAllExceptionHandler, request_handlers
from skill.coach.events import Event

_SERIALIZER = DefaultSerializer()
ERROR = "error"  # what the probe says when a handler raised


class EventTurns:
    """Stands in for Turns: answers with the event instead of running the engine."""

    def run(self, handler_input: HandlerInput, event: Event) -> Response:
        words = event.kind if event.value is None else f"{event.kind} {event.value}"
        return handler_input.response_builder.speak(words).set_should_end_session(False).response

    def sorry(self, builder: ResponseFactory, request_type: str) -> Response:
        return builder.speak(ERROR).set_should_end_session(False).response

    def forget_account(self, handler_input: HandlerInput) -> None:
        """Nothing is stored, so nothing to forget."""


def probe_skill() -> CustomSkill:
    builder = CustomSkillBuilder()
    turns = EventTurns()
    for handler in request_handlers(turns):
        builder.add_request_handler(handler)
    builder.add_exception_handler(CatchAllExceptionHandler(turns))
    return builder.create()


def answer(skill: CustomSkill, envelope: dict) -> dict:
    """The probe's response envelope (JSON) to a request envelope (JSON)."""
    request = _SERIALIZER.deserialize(json.dumps(envelope), RequestEnvelope)
    return _SERIALIZER.serialize(skill.invoke(request, None))


def event_said(speech: str | None) -> Event | None:
    """The event a probe answer names ("<speak>hurts some</speak>" -> Event("hurts", "some")); None for
    the probe's error answer or anything that is not one."""
    words = re.sub(r"<[^>]+>", "", speech or "").split()
    if not words or words[0] == ERROR:
        return None
    kind, value = words[0], " ".join(words[1:]) or None
    return Event(kind, int(value) if kind == "pain" and value and value.isdecimal() else value)


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args: object) -> None:  # one line per phrase would drown the bench's report
        pass


def label_of(event: Event | None) -> str:
    """The evaluation corpus's label for an event (bench/corpus): the red flag's kind, pain / some /
    elsewhere, rating=N, yes, no, the next-day feeling; "other" for any other event, "error" for none."""
    if event is None:
        return "error"
    if event.kind in ("red_flag", "back_feel"):
        return str(event.value)
    if event.kind == "hurts":
        return {None: "pain", "some": "some", "elsewhere": "elsewhere"}.get(event.value, "other")
    if event.kind == "pain":
        return f"rating={event.value}"
    return event.kind if event.kind in ("yes", "no") else "other"


@contextmanager
def serve(host: str = "127.0.0.1") -> Iterator[str]:
    """The probe over HTTP on a free loopback port (for virtual-alexa); yields its /alexa URL."""
    skill = probe_skill()

    @WsgiRequest.application
    def app(request: WsgiRequest) -> WsgiResponse:
        if request.method != "POST" or request.path != "/alexa":
            return WsgiResponse("not found", status=404)
        try:
            envelope = json.loads(request.get_data(as_text=True))
        except ValueError:
            return WsgiResponse("body is not JSON", status=400)
        return WsgiResponse(json.dumps(answer(skill, envelope)), mimetype="application/json")

    server = make_server(host, 0, app, threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}/alexa"
    finally:
        server.shutdown()
        thread.join()

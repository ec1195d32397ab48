"""One handler per request type or intent: each turns the request into an engine event.

The engine does the coaching; a handler only picks the event, and `respond` renders the output.
"""
from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_request_type, get_slot, is_intent_name, is_request_type
from ask_sdk_model import Response

from skill.alexa.logsafe import clip
from skill.alexa.store import StaleStateError
from skill.alexa.turn import Turns, is_silent
from skill.coach.events import Event
from skill.voice.words import number_word

log = logging.getLogger("backcoach.alexa")

# Intents that carry no value: intent name -> engine event kind.
INTENT_EVENTS: dict[str, str] = {
    "StartRoutineIntent": "start_routine",
    "StartStretchesIntent": "start_stretches",
    "ReadyIntent": "ready",
    "AMAZON.YesIntent": "yes",
    "AMAZON.NoIntent": "no",
    "HurtIntent": "hurts",
    "EasierIntent": "easier",
    "HarderIntent": "harder",
    "OutdoorsIntent": "outdoors",
    "SlowerIntent": "slower",
    "FasterIntent": "faster",
    "StatusIntent": "status",
    "ProgressIntent": "progress",
    "ExplainIntent": "explain",
    "ForgetProgressIntent": "forget",
    "AMAZON.PauseIntent": "pause",
    "AMAZON.ResumeIntent": "resume",
    "AMAZON.RepeatIntent": "repeat",
    "AMAZON.NextIntent": "skip",
    "AMAZON.StartOverIntent": "start_over",
    "AMAZON.HelpIntent": "help",
    "AMAZON.StopIntent": "stop",
    "AMAZON.CancelIntent": "stop",
    "AMAZON.NavigateHomeIntent": "stop",
    "AMAZON.FallbackIntent": "unknown",
}


class TurnHandler(AbstractRequestHandler):
    """Base: a request that becomes one engine turn."""

    def __init__(self, turns: Turns) -> None:
        self.turns = turns


class IntentEventHandler(TurnHandler):
    """An intent that maps straight onto one engine event."""

    def __init__(self, turns: Turns, intent: str, kind: str) -> None:
        super().__init__(turns)
        self.intent, self.kind = intent, kind

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name(self.intent)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.turns.run(handler_input, Event(self.kind))


class LaunchRequestHandler(TurnHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.turns.run(handler_input, Event("launch"))


class PainRatingHandler(TurnHandler):
    """"It was a four": the engine re-prompts for anything that is not a whole number 0-10."""

    intent = "PainRatingIntent"

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name(self.intent)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        slot = get_slot(handler_input, "rating")
        return self.turns.run(handler_input, Event("pain", _rating(slot.value if slot else None)))


class BackFeelHandler(TurnHandler):
    """Better / the same / worse: the resolved slot id (synonyms resolve to one of the three)."""

    intent = "BackFeelIntent"

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name(self.intent)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        feeling = _resolved_id(get_slot(handler_input, "feeling"))
        return self.turns.run(handler_input, Event("back_feel", feeling))


class RedFlagHandler(IntentEventHandler):
    """Symptoms that stop the routine at once: leg nerve symptoms, the urgent ones, or feeling unwell."""

    def __init__(self, turns: Turns, intent: str, severity: str) -> None:
        super().__init__(turns, intent, "red_flag")
        self.severity = severity

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.turns.run(handler_input, Event("red_flag", self.severity))


class SessionEndedRequestHandler(TurnHandler):
    """Timeout, "exit" or an error on Alexa's side: keep the routine resumable, say nothing."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        error = getattr(handler_input.request_envelope.request, "error", None)
        if error is not None:
            log.warning("session ended by error: %s", clip(getattr(error, "object_type", error)))
        return self.turns.run(handler_input, Event("session_ended"))


class ExceptionEncounteredHandler(AbstractRequestHandler):
    """Alexa reports that our previous response was rejected: log it; no speech is allowed."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("System.ExceptionEncountered")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        error = getattr(request, "error", None)
        log.error("Alexa rejected a response: %s %s", clip(getattr(error, "object_type", None)),
                  clip(getattr(error, "message", None), 200))
        return handler_input.response_builder.response


class SkillDisabledHandler(AbstractRequestHandler):
    """The customer disabled the skill: delete everything stored for the account."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("AlexaSkillEvent.SkillDisabled")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        handler_input.attributes_manager.delete_persistent_attributes()
        return handler_input.response_builder.response


class SilentRequestHandler(AbstractRequestHandler):
    """AudioPlayer and PlaybackController events and the other skill events (enabled, account linked,
    permissions): nothing to coach, and Alexa allows no speech. An empty reply acknowledges them."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_silent(get_request_type(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.response


class CatchAllExceptionHandler(AbstractExceptionHandler):
    """Anything unexpected: apologise, keep the microphone open; nothing is saved, so no progress
    is lost. A stale save is not handled here: the web shell replays that request."""

    def __init__(self, turns: Turns) -> None:
        self.turns = turns

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return not isinstance(exception, StaleStateError)

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.exception("turn failed: %s", type(exception).__name__, exc_info=exception)
        return self.turns.sorry(handler_input)


# Alexa fills AMAZON.NUMBER with digits; some simulators send the words heard ("four").
_NUMBER_WORDS = {number_word(n): n for n in range(0, 21)}


def _rating(raw: str | None) -> int | None:
    raw = (raw or "").strip().lower()
    # isdecimal, not isdigit: "²" is a digit that int() refuses.
    return int(raw) if raw.isdecimal() else _NUMBER_WORDS.get(raw)


def _resolved_id(slot) -> str | None:
    """The canonical value id Alexa resolved the slot to, or None when it matched nothing."""
    resolutions = getattr(getattr(slot, "resolutions", None), "resolutions_per_authority", None) or []
    for authority in resolutions:
        if getattr(getattr(authority.status, "code", None), "value", None) == "ER_SUCCESS_MATCH":
            return authority.values[0].value.id or authority.values[0].value.name
    return None


def request_handlers(turns: Turns) -> list[AbstractRequestHandler]:
    return [
        LaunchRequestHandler(turns),
        SessionEndedRequestHandler(turns),
        ExceptionEncounteredHandler(),
        SkillDisabledHandler(),
        SilentRequestHandler(),  # after the silent requests that do something
        PainRatingHandler(turns),
        BackFeelHandler(turns),
        RedFlagHandler(turns, "RedFlagIntent", "leg"),
        RedFlagHandler(turns, "UrgentRedFlagIntent", "urgent"),
        RedFlagHandler(turns, "UnwellIntent", "unwell"),
        *(IntentEventHandler(turns, intent, kind) for intent, kind in INTENT_EVENTS.items()),
    ]


def handled_intents(handlers: list[AbstractRequestHandler]) -> set[str]:
    """Every intent some handler answers (the interaction model must declare exactly these)."""
    return {h.intent for h in handlers if hasattr(h, "intent")}

"""One handler per request type or intent: each turns the request into an engine event.

The engine does the coaching; a handler only picks the event, and `respond` renders the output.
"""
from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_request_type, get_slot, is_intent_name, is_request_type
from ask_sdk_model import Response
from ask_sdk_model.canfulfill import CanFulfillIntent, CanFulfillIntentValues

from skill.alexa.deadline import DeadlineExceeded
from skill.alexa.identity import NoUserError
from skill.alexa.logsafe import clip
from skill.alexa.screen import TouchHandler
from skill.alexa.store import StaleStateError, StoreFailed
from skill.alexa.turn import Turns, is_silent
from skill.coach.events import KINDS, Event
from skill.language.carriers import RED_FLAG_INTENTS, SCREENED_INTENTS, SLOT, screen_intent
from skill.language.screen import RED_FLAGS
from skill.coach.numbers import parse_number

log = logging.getLogger("backcoach.alexa")
STORE_REASON_LIMIT = 200  # characters of a store failure's reason in the log (our words, naming the file)

# Intents whose words say all there is: intent name -> the engine event it becomes.
INTENT_EVENTS: dict[str, Event] = {
    "StartRoutineIntent": Event("start_routine"),
    "StartStretchesIntent": Event("start_stretches"),
    "StretchesFirstIntent": Event("start_stretches", "first"),
    "ReadyIntent": Event("ready"),
    "DoneIntent": Event("done"),
    "CantDoIntent": Event("cant"),
    "LostCountIntent": Event("lost_count"),
    "ThanksIntent": Event("thanks"),
    "SeverePainIntent": Event("hurts", "severe"),
    "AMAZON.YesIntent": Event("yes"),
    "AMAZON.NoIntent": Event("no"),
    **{intent: Event("red_flag", kind) for intent, kind in RED_FLAG_INTENTS.items()},
    "EasierIntent": Event("easier"),
    "HarderIntent": Event("harder"),
    "OutdoorsIntent": Event("outdoors"),
    "UpperBackIntent": Event("extra", "upper_back"),
    "SlowerIntent": Event("slower"),
    "FasterIntent": Event("faster"),
    "StatusIntent": Event("question", "sets"),
    "ProgressIntent": Event("progress"),
    "ExplainIntent": Event("explain"),
    "ForgetProgressIntent": Event("forget"),
    "AMAZON.PauseIntent": Event("pause"),
    "AMAZON.ResumeIntent": Event("resume"),
    "AMAZON.RepeatIntent": Event("repeat"),
    "AMAZON.NextIntent": Event("skip"),
    "AMAZON.StartOverIntent": Event("start_over"),
    "AMAZON.HelpIntent": Event("help"),
    "AMAZON.StopIntent": Event("stop"),
    "AMAZON.CancelIntent": Event("stop"),
    "AMAZON.NavigateHomeIntent": Event("stop"),
    "AMAZON.FallbackIntent": Event("unknown"),
}

# What screening the words finds -> the engine event: a red flag stops, pain is pain, the rest is unknown.
FINDING_EVENTS: dict[str, Event] = {
    **{kind: Event("red_flag", kind) for kind in RED_FLAGS},
    "pain": Event("hurts"),
    "pain_some": Event("hurts", "some"),
    "elsewhere": Event("hurts", "elsewhere"),
    "none": Event("unknown"),
}


class TurnHandler(AbstractRequestHandler):
    """Base: a request that becomes one engine turn."""

    def __init__(self, turns: Turns) -> None:
        self.turns = turns


class IntentEventHandler(TurnHandler):
    """An intent that maps straight onto one engine event."""

    def __init__(self, turns: Turns, intent: str, event: Event) -> None:
        super().__init__(turns)
        self.intent, self.event = intent, event

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name(self.intent)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.turns.run(handler_input, self.event)


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


class HurtHandler(TurnHandler):
    """"It hurts"; with an amount that resolved ("a little", "kind of"), some pain: the engine asks 0-10."""

    intent = "HurtIntent"

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name(self.intent)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        some = _resolved_id(get_slot(handler_input, "amount")) == "some"
        return self.turns.run(handler_input, Event("hurts", "some" if some else None))


class ShortRoutineHandler(TurnHandler):
    """"A quick one" -- or "I only have ten minutes": the routine then fits the time given."""

    intent = "ShortRoutineIntent"

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name(self.intent)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        slot = get_slot(handler_input, "minutes")
        minutes = _rating(slot.value if slot else None)         # a whole number of minutes, or None
        return self.turns.run(handler_input, Event("start_routine", minutes if minutes else "short"))


class QuestionHandler(TurnHandler):
    """"How many reps", "how long is the rest": the resolved topic; a topic Alexa could not resolve is
    taken as the usual question, how many sets are left."""

    intent = "QuestionIntent"

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name(self.intent)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        topic = _resolved_id(get_slot(handler_input, "topic"))
        return self.turns.run(handler_input, Event("question", topic if topic in QUESTION_TOPICS else "sets"))


class ScreenedHandler(TurnHandler):
    """Free words behind a carrier phrase ("my ...", "tingling ..."): screened for red flags before
    anything else; pain is pain; anything else is an unexpected answer for the engine to help with."""

    def __init__(self, turns: Turns, intent: str) -> None:
        super().__init__(turns)
        self.intent = intent

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name(self.intent)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        slot = get_slot(handler_input, SLOT)
        finding = screen_intent(self.intent, slot.value if slot else None)
        return self.turns.run(handler_input, FINDING_EVENTS[finding])


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


class SkillDisabledHandler(TurnHandler):
    """The customer disabled the skill: delete everything stored for the account."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("AlexaSkillEvent.SkillDisabled")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        self.turns.forget_account(handler_input)
        return handler_input.response_builder.response


class SilentRequestHandler(AbstractRequestHandler):
    """AudioPlayer and PlaybackController events and the other skill events (enabled, account linked,
    permissions): nothing to coach, and Alexa allows no speech. An empty reply acknowledges them."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_silent(get_request_type(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.response


class CanFulfillIntentHandler(AbstractRequestHandler):
    """Alexa asks, before routing a name-free request here, whether we can fulfil the intent. Only
    a yes or no: no speech, nothing loaded or saved (Amazon requires no observable effect)."""

    FULFILLED = frozenset({"StartRoutineIntent", "StartStretchesIntent"})  # neither has slots

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("CanFulfillIntentRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        intent = getattr(handler_input.request_envelope.request.intent, "name", None)
        answer = CanFulfillIntentValues.YES if intent in self.FULFILLED else CanFulfillIntentValues.NO
        return handler_input.response_builder.set_can_fulfill_intent(CanFulfillIntent(can_fulfill=answer)).response


class CatchAllExceptionHandler(AbstractExceptionHandler):
    """Anything unexpected: apologise, keep the microphone open; nothing is saved, so no progress
    is lost. Not handled here: a stale save (BackCoach replays the request) and a request that
    names no user (the shell refuses it as bad input)."""

    def __init__(self, turns: Turns) -> None:
        self.turns = turns

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return not isinstance(exception, (StaleStateError, NoUserError))

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        if isinstance(exception, (StoreFailed, DeadlineExceeded)):  # the store's own words say what failed
            log.error("turn apologised, nothing saved: %s", clip(exception, STORE_REASON_LIMIT))
        else:
            log.exception("turn failed: %s", type(exception).__name__, exc_info=exception)
        return self.turns.sorry(handler_input.response_builder, handler_input.request_envelope.request.object_type)


QUESTION_TOPICS = tuple(KINDS["question"].split(" | "))


def _rating(raw: str | None) -> int | None:
    """A whole number from an AMAZON.NUMBER slot: Alexa fills it with digits; some simulators send the words
    heard ("four")."""
    return parse_number((raw or "").strip().lower())


def _resolved_id(slot) -> str | None:
    """The canonical value id Alexa resolved the slot to, or None when it matched nothing."""
    resolutions = getattr(getattr(slot, "resolutions", None), "resolutions_per_authority", None) or []
    for authority in resolutions:
        code = getattr(getattr(getattr(authority, "status", None), "code", None), "value", None)
        values = getattr(authority, "values", None) or []          # a malformed match may carry none
        value = getattr(values[0], "value", None) if values else None
        if code == "ER_SUCCESS_MATCH" and value is not None:
            return value.id or value.name
    return None


def request_handlers(turns: Turns) -> list[AbstractRequestHandler]:
    return [
        LaunchRequestHandler(turns),
        SessionEndedRequestHandler(turns),
        ExceptionEncounteredHandler(),
        SkillDisabledHandler(turns),
        CanFulfillIntentHandler(),
        SilentRequestHandler(),  # after the silent requests that do something
        PainRatingHandler(turns),
        BackFeelHandler(turns),
        HurtHandler(turns),
        ShortRoutineHandler(turns),
        QuestionHandler(turns),
        TouchHandler(turns),
        *(ScreenedHandler(turns, intent) for intent in SCREENED_INTENTS),
        *(IntentEventHandler(turns, intent, event) for intent, event in INTENT_EVENTS.items()),
    ]


def handled_intents(handlers: list[AbstractRequestHandler]) -> set[str]:
    """Every intent some handler answers (the interaction model must declare exactly these)."""
    return {h.intent for h in handlers if hasattr(h, "intent")}

"""One conversational turn: the person's state is loaded, the event goes through the engine, the output
is rendered for Alexa, and a changed state is left for the save interceptor. A request whose turn was
saved already is answered again and saves nothing (skill.alexa.applied)."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timezone
from typing import Any, NamedTuple

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.response_helper import ResponseFactory
from ask_sdk_model import Response
from ask_sdk_model.ui import SimpleCard

from skill.alexa.applied import Applied, Seen
from skill.alexa.deadline import Deadline
from skill.alexa.identity import NoUserError, Owner, owner_of
from skill.alexa.screen import present
from skill.alexa.store import Store
from skill.coach.events import Event
from skill.coach.machine import Coach
from skill.coach.speech import Text
from skill.coach.state import Progress, State
from skill.voice import ssml
from skill.voice.ssml import AudioTracks

# request_attributes keys: what was loaded for this request, and what the save interceptor writes once
# the response is built
LOADED, PENDING = "backcoach.loaded", "backcoach.pending"

log = logging.getLogger("backcoach.alexa")


@dataclass(frozen=True)
class TurnContext:
    """What the shell already knows about a request, handed to the SDK as its `context`: the
    person, hashed once per request (None when the request names no user), and the turn's deadline."""

    owner: Owner | None
    platform: Any = None  # the Lambda context object, when there is one
    deadline: Deadline | None = None


class Loaded(NamedTuple):
    owner: Owner
    state: State       # the state this request is answered from (for its replay, the one it was applied to)
    saved: dict[str, Any]  # that state as stored (JSON)
    revision: int      # the revision the record was loaded at: the save lands only there
    applied: Applied
    seen: Seen | None  # None: a new request


class Pending(NamedTuple):
    owner: Owner
    state: State
    revision: int
    applied: Applied  # with this turn


def owner_in(handler_input: HandlerInput) -> Owner:
    context = handler_input.context
    if isinstance(context, TurnContext):
        if context.owner is None:
            raise NoUserError("request names no user")
        return context.owner
    return owner_of(handler_input.request_envelope)


def deadline_in(handler_input: HandlerInput) -> Deadline | None:
    context = handler_input.context
    return context.deadline if isinstance(context, TurnContext) else None


class Turns:
    def __init__(self, coach: Coach, store: Store, tracks: AudioTracks | None = None) -> None:
        self.coach, self.store, self.tracks = coach, store, tracks

    def run(self, handler_input: HandlerInput, event: Event) -> Response:
        owner, state, saved, revision, applied, seen = self.load(handler_input)
        if seen is not None:
            log.info("request applied already (%s): answered again, nothing saved", seen.value)
        if seen is Seen.EARLIER:  # the state it was applied to is gone: where the routine is now
            event = Event("repeat")
        # Alexa's timestamp is the clock (verified to be within 150 s of ours); ours if it sent none.
        timestamp = handler_input.request_envelope.request.timestamp
        if timestamp is not None and timestamp.tzinfo is None:
            timestamp = timestamp.replace(tzinfo=timezone.utc)  # as verification reads it
        now = timestamp.timestamp() if timestamp else time.time()
        output, new_state = self.coach.step(state, event, now=now)
        if output.changed and seen is None:  # a read-only turn (status, help, repeat) writes nothing; a replay neither
            request = handler_input.request_envelope.request
            # A turn that erased the person's progress ("forget my progress") keeps no copy of it.
            erased = new_state.progress == Progress() != state.progress
            applied = applied.after(request.request_id, request.object_type, None if erased else saved)
            handler_input.attributes_manager.request_attributes[PENDING] = Pending(owner, new_state, revision, applied)
        builder = handler_input.response_builder
        if is_session_ended(handler_input):
            return builder.response  # Alexa accepts no speech in reply to SessionEndedRequest
        builder.speak(ssml.render(output.speech, self.tracks))
        if output.listen:
            builder.ask(ssml.render(output.reprompt))
        builder.set_should_end_session(not output.listen)
        if output.card:
            builder.set_card(SimpleCard(title=output.card.title, content=output.card.text))
        present(handler_input, self.coach.catalog, new_state, output, event)
        return builder.response

    def load(self, handler_input: HandlerInput) -> Loaded:
        """The person, the state to answer from, the record's revision and the turns applied: read from
        the store once per request."""
        attrs = handler_input.attributes_manager.request_attributes
        if LOADED not in attrs:
            owner = owner_in(handler_input)
            record = self.store.load(owner, deadline_in(handler_input))
            applied = Applied.from_json(record.applied)
            request = handler_input.request_envelope.request
            seen = applied.seen(request.request_id, request.object_type)
            saved = applied.before if seen is Seen.LATEST else record.state
            if saved is None:
                saved = self.coach.new_state().to_json()
            # a version-1 record is migrated here; one this code cannot read raises (the turn apologises)
            attrs[LOADED] = Loaded(owner, State.from_json(saved), saved, record.revision, applied, seen)
        return attrs[LOADED]

    def state(self, handler_input: HandlerInput) -> State:
        """The person's state as loaded for this request."""
        return self.load(handler_input).state

    def forget_account(self, handler_input: HandlerInput) -> None:
        self.store.delete_account(owner_in(handler_input), deadline_in(handler_input))

    def sorry(self, builder: ResponseFactory, request_type: str) -> Response:
        """A turn that failed: apologise and keep listening (nothing was saved, so nothing is lost)."""
        if is_silent(request_type):
            return builder.response
        phrases = self.coach.catalog.phrases
        return (builder.speak(ssml.render([Text(phrases.text("technical_sorry"))]))
                .ask(ssml.render([Text(phrases.text("technical_sorry_reprompt"))]))
                .set_should_end_session(False).response)


# Requests Alexa accepts no speech in reply to: a reply may only carry AudioPlayer directives
# (AudioPlayer.*, PlaybackController.*; Amazon's AudioPlayer and PlaybackController interface
# references) or is ignored beyond its HTTP 200 (AlexaSkillEvent.*, skill events;
# SessionEndedRequest; System.ExceptionEncountered).
SILENT_REQUEST_PREFIXES = ("AudioPlayer.", "PlaybackController.", "AlexaSkillEvent.")
SILENT_REQUESTS = ("SessionEndedRequest", "System.ExceptionEncountered")


def is_silent(request_type: str) -> bool:
    return request_type in SILENT_REQUESTS or request_type.startswith(SILENT_REQUEST_PREFIXES)


def is_session_ended(handler_input: HandlerInput) -> bool:
    return handler_input.request_envelope.request.object_type == "SessionEndedRequest"

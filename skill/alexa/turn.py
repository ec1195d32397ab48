"""One conversational turn: the loaded state and an event go through the engine; the output is
rendered for Alexa; the new state is left for the save interceptor."""
from __future__ import annotations

import time
from datetime import timezone

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.ui import SimpleCard

from skill.alexa.screen import present
from skill.coach.events import Event
from skill.coach.machine import Coach
from skill.coach.speech import Text
from skill.coach.state import State
from skill.voice import ssml
from skill.voice.ssml import AudioTracks

# request_attributes keys shared with the interceptors: the loaded State, and the State to save (if changed)
STATE, NEW_STATE = "backcoach.state", "backcoach.new_state"


class Turns:
    def __init__(self, coach: Coach, tracks: AudioTracks | None = None) -> None:
        self.coach, self.tracks = coach, tracks

    def run(self, handler_input: HandlerInput, event: Event) -> Response:
        attrs = handler_input.attributes_manager.request_attributes
        # Alexa's timestamp is the clock (verified to be within 150 s of ours); ours if it sent none.
        timestamp = handler_input.request_envelope.request.timestamp
        if timestamp is not None and timestamp.tzinfo is None:
            timestamp = timestamp.replace(tzinfo=timezone.utc)  # as verification reads it
        now = timestamp.timestamp() if timestamp else time.time()
        output, new_state = self.coach.step(attrs[STATE], event, now=now)
        if output.changed:
            attrs[NEW_STATE] = new_state
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

    @staticmethod
    def state(handler_input: HandlerInput) -> State:
        """The person's state as loaded for this request."""
        return handler_input.attributes_manager.request_attributes[STATE]

    def sorry(self, handler_input: HandlerInput) -> Response:
        """A turn that failed: apologise and keep listening (nothing was saved, so nothing is lost)."""
        builder = handler_input.response_builder
        if is_session_ended(handler_input):
            return builder.response
        phrases = self.coach.catalog.phrases
        return (builder.speak(ssml.render([Text(phrases.text("technical_sorry"))]))
                .ask(ssml.render([Text(phrases.text("technical_sorry_reprompt"))]))
                .set_should_end_session(False).response)


def is_session_ended(handler_input: HandlerInput) -> bool:
    return handler_input.request_envelope.request.object_type == "SessionEndedRequest"

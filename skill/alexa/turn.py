"""One conversational turn: the loaded state and an event go through the engine; the output is
rendered for Alexa; the new state is left for the save interceptor."""
from __future__ import annotations

import time
from datetime import timezone

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.ui import SimpleCard

from skill.coach.events import Event
from skill.coach.session import Coach
from skill.coach.speech import Text
from skill.voice import ssml
from skill.voice.ssml import AudioTracks

# request_attributes keys shared with the interceptors
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
        output, attrs[NEW_STATE] = self.coach.step(attrs[STATE], event, now=now)
        builder = handler_input.response_builder
        if is_session_ended(handler_input):
            return builder.response  # Alexa accepts no speech in reply to SessionEndedRequest
        builder.speak(ssml.render(output.speech, self.tracks))
        if output.listen:
            builder.ask(ssml.render(output.reprompt))
        builder.set_should_end_session(not output.listen)
        if output.card:
            builder.set_card(SimpleCard(title=output.card.title, content=output.card.text))
        return builder.response

    def sorry(self, handler_input: HandlerInput) -> Response:
        """A turn that failed: apologise and keep listening (nothing was saved, so nothing is lost)."""
        builder = handler_input.response_builder
        if is_silent(handler_input.request_envelope.request.object_type):
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

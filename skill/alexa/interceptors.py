"""Load the person's state before a turn; save it after, only when the turn changed it."""
from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor, AbstractResponseInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.alexa.store import REVISION
from skill.alexa.turn import NEW_STATE, STATE
from skill.coach.machine import Coach
from skill.coach.state import State

log = logging.getLogger("backcoach.alexa")


class LoadStateInterceptor(AbstractRequestInterceptor):
    def __init__(self, coach: Coach) -> None:
        self.coach = coach

    def process(self, handler_input: HandlerInput) -> None:
        saved = handler_input.attributes_manager.persistent_attributes.get("state")
        # a version-1 record is migrated here; one this code cannot read raises (the turn apologises, saves nothing)
        state = State.from_json(saved) if saved else self.coach.new_state()
        handler_input.attributes_manager.request_attributes[STATE] = state


class SaveStateInterceptor(AbstractResponseInterceptor):
    """Saving every changed turn means every answered move is saved: a crash or timeout loses at most the
    sets in progress. A turn the engine says changed nothing (status, help, repeat) is not written, so a
    read-only turn on one device never overwrites a change made on another."""

    def process(self, handler_input: HandlerInput, response: Response) -> None:
        attrs = handler_input.attributes_manager.request_attributes
        if NEW_STATE not in attrs:
            return
        manager = handler_input.attributes_manager
        revision = manager.persistent_attributes.get(REVISION, 0)
        manager.persistent_attributes = {"state": attrs[NEW_STATE].to_json(), REVISION: revision}
        manager.save_persistent_attributes()

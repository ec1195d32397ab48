"""Load the person's state before a turn; save it after, only when the turn changed it."""
from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor, AbstractResponseInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.alexa.store import REVISION
from skill.alexa.turn import NEW_STATE, STATE
from skill.coach.session import Coach

log = logging.getLogger("backcoach.alexa")


class LoadStateInterceptor(AbstractRequestInterceptor):
    def __init__(self, coach: Coach) -> None:
        self.coach = coach

    def process(self, handler_input: HandlerInput) -> None:
        saved = handler_input.attributes_manager.persistent_attributes
        handler_input.attributes_manager.request_attributes[STATE] = saved.get("state") or self.coach.new_state()


class SaveStateInterceptor(AbstractResponseInterceptor):
    """Saving every changed turn means every completed set is saved: a crash or timeout loses at
    most the set in progress. An unchanged state (status, help, repeat) is not written, so a
    read-only turn on one device never overwrites a change made on another."""

    def process(self, handler_input: HandlerInput, response: Response) -> None:
        attrs = handler_input.attributes_manager.request_attributes
        if NEW_STATE not in attrs or attrs[NEW_STATE] == attrs[STATE]:
            return
        manager = handler_input.attributes_manager
        revision = manager.persistent_attributes.get(REVISION, 0)
        manager.persistent_attributes = {"state": attrs[NEW_STATE], REVISION: revision}
        manager.save_persistent_attributes()

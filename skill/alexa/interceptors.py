"""Save the person's state after a turn, only when the engine says the turn changed it."""
from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractResponseInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.alexa.store import Store
from skill.alexa.turn import PENDING, deadline_in


class SaveStateInterceptor(AbstractResponseInterceptor):
    """Saving every changed turn means every answered move is saved: a crash or timeout loses at most
    the sets in progress. Saving after the response is built means a turn that failed to render
    saves nothing. An unchanged turn is not written, so a read-only turn on one device never
    overwrites a change made on another. The request is recorded as applied in the same write.
    A lost race raises StaleStateError: BackCoach replays. Past the turn's deadline nothing is saved."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def process(self, handler_input: HandlerInput, response: Response) -> None:
        pending = handler_input.attributes_manager.request_attributes.get(PENDING)
        if pending is not None:
            self.store.save(pending.owner, pending.state.to_json(), pending.revision, pending.applied.to_json(),
                            deadline_in(handler_input))

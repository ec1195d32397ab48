"""A turn's time budget. Alexa gives up on an answer after 8 s; a turn that has not done its store work
by its deadline apologises and saves nothing, so no save can land after Alexa stopped listening."""
from __future__ import annotations

import time

# Used where no turn is running (commands, start-up, tests): how long to wait for the store.
DEFAULT_WAIT_S = 5.0


class DeadlineExceeded(TimeoutError):
    """The budget ran out before the store could do its part; nothing was saved."""


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.expires = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.expires - time.monotonic()


def or_default(deadline: Deadline | None) -> Deadline:
    return deadline if deadline is not None else Deadline(DEFAULT_WAIT_S)

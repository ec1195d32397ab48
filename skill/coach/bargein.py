"""Where a person was in a response when they spoke over it ("Alexa, that hurt").

Saying the wake word stops Alexa mid-speech, and the words reach the skill as a new request. The engine
knows what it sent (`Sent`: when each set starts and ends, by its own timeline) and the request's timestamp
says when the person spoke; allowing for delivery and recognition (SPEECH_LATENCY_SECONDS) that places
the moment, and so the set: the one being done, or the one just finished during the rest that follows.
"""
from __future__ import annotations

from dataclasses import dataclass

from .rules import SPEECH_LATENCY_SECONDS, UNCERTAIN_SECONDS
from .state import Sent


@dataclass(frozen=True)
class Cut:
    """A response interrupted. `current`: the set in hand (being done, or just finished and resting);
    `completed`: how many of the move's sets were finished; `started`: whether the set in hand had begun
    (False: still getting into position); `uncertain`: two sets were too close to tell apart."""

    current: int
    completed: int
    started: bool
    uncertain: bool


def locate(sent: Sent, now: float) -> Cut | None:
    """The interruption point, or None when the response played to its end (the request answers it).

    A timestamp from before the response (a clock that went back, a missing timestamp replaced by a slower
    clock) cannot be placed: it counts as the first set of the response, flagged uncertain."""
    elapsed = now - sent.at
    if not sent.sets:
        return None
    first_set = int(sent.sets[0][0])
    if elapsed != elapsed or elapsed < 0:           # NaN or before the response was made
        return Cut(first_set, first_set - 1, False, True)
    if elapsed >= sent.length:
        return None
    moment = elapsed - SPEECH_LATENCY_SECONDS
    last_number, _, last_end = sent.sets[-1]
    if moment >= last_end:
        return None                                  # the sets were done: this answers the closing question
    in_hand = [s for s in sent.sets if s[1] <= moment]
    current, started = (int(in_hand[-1][0]), True) if in_hand else (first_set, False)
    completed = max([int(n) for n, _, end in sent.sets if end <= moment], default=first_set - 1)
    uncertain = any(abs(start - moment) < UNCERTAIN_SECONDS for _, start, _ in sent.sets[1:])
    return Cut(current, completed, started, uncertain)

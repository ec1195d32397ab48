"""How long a turn's speech takes, estimated from its segments (Alexa caps one response at 240 s)."""
from __future__ import annotations

from collections.abc import Iterable

from .speech import Count, Countdown, CountIn, Pause, Segment, Text

MAX_TURN_SECONDS = 240.0
WORD_SECONDS = 0.4          # a generous speaking rate for short coaching sentences
COUNT_IN_SECONDS = 4.0      # "three, two, one, go"
MAX_PAUSE_SECONDS = 3.0     # the engine's longest plain silence; longer waits are Countdowns
SIDE_SWITCH_SECONDS = 3.0   # the gap between the left and right side of a set


def seconds(segments: Iterable[Segment]) -> float:
    """Estimated playing time of `segments`."""
    total = 0.0
    for segment in segments:
        match segment:
            case Text(text):
                total += len(text.split()) * WORD_SECONDS
            case Pause(pause):
                total += pause
            case Count(reps, tempo):
                total += reps * tempo
            case Countdown(length, _):
                total += length
            case CountIn():
                total += COUNT_IN_SECONDS
    return total

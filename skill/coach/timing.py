"""How long speech takes, estimated from its segments: for the timeline, the session length and the tests."""
from __future__ import annotations

from collections.abc import Iterable

from .rules import COUNT_IN_SECONDS, WORD_SECONDS
from .speech import Count, Countdown, CountIn, Pause, Segment, Text


def duration(segment: Segment) -> float:
    match segment:
        case Text(text):
            return len(text.split()) * WORD_SECONDS
        case Pause(pause):
            return pause
        case Count(reps, tempo):
            return reps * tempo + WORD_SECONDS     # the last number is said at reps x tempo
        case Countdown(length, _):
            return float(length)
        case CountIn():
            return COUNT_IN_SECONDS
    raise TypeError(f"not a speech segment: {segment!r}")


def seconds(segments: Iterable[Segment]) -> float:
    """Estimated playing time of `segments`."""
    return sum(duration(segment) for segment in segments)

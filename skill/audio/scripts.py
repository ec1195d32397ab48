"""What each track says and when: a timed list of cues per speech segment.

The words and countdown markers are the ones the SSML renderer speaks with <break>s (the same number words
and Countdown.marks()), so a track and its fallback say the same thing; only the timing is exact here.
"""
from __future__ import annotations

from dataclasses import dataclass

from skill.coach.speech import Count, CountIn, Countdown, Segment
from skill.coach.numbers import number_word

# The count-in starts a breath after whatever was said before it; its tone marks the set's start.
COUNT_IN_START_S = 0.1
COUNT_IN_STEP_S = 1.0


@dataclass(frozen=True)
class Say:
    """Words whose first audible sample lands `at` seconds into the track."""

    at: float
    text: str


@dataclass(frozen=True)
class Tone:
    """The synthesised "go" tone, starting `at` seconds into the track."""

    at: float


Cue = Say | Tone


@dataclass(frozen=True)
class Script:
    stem: str  # readable start of the file name, e.g. "count-8x4.0"
    cues: tuple[Cue, ...]
    length: float | None  # exact track length in seconds; None: until the last cue has finished

    def texts(self) -> tuple[str, ...]:
        return tuple(cue.text for cue in self.cues if isinstance(cue, Say))

    def describe(self) -> dict:
        """Everything that decides the track's sound apart from the engine (part of the recipe hash)."""
        return {
            "stem": self.stem,
            "cues": [[cue.at, cue.text] if isinstance(cue, Say) else [cue.at, "<tone>"]
                     for cue in self.cues],
            "length": self.length,
        }


def script_for(segment: Segment) -> Script:
    match segment:
        case Count(reps=reps, tempo=tempo):
            if reps < 1 or tempo <= 0:
                raise ValueError(f"cannot count {reps} reps at {tempo} s each")
            cues = tuple(Say(k * float(tempo), number_word(k)) for k in range(1, reps + 1))
            return Script(f"count-{reps}x{float(tempo)!r}", cues, None)
        case Countdown(seconds=seconds, kind=kind):
            if seconds < 4:
                raise ValueError(f"a countdown needs at least 4 s for its markers; got {seconds}")
            cues = tuple(Say(float(seconds - left), number_word(left)) for left in segment.marks())
            # a hold ends on "three, two, one"; a rest or the time to get into position on "five"
            stem = "hold" if kind == "hold" else "rest"
            return Script(f"{stem}-{seconds}", cues, float(seconds))
        case CountIn():
            at = [COUNT_IN_START_S + i * COUNT_IN_STEP_S for i in range(4)]
            cues = (Say(at[0], "three"), Say(at[1], "two"), Say(at[2], "one"), Tone(at[3]))
            return Script("countin", cues, None)
    raise ValueError(f"no audio track for {segment!r}")

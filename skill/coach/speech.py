"""The engine's output vocabulary: structured speech that every shell renders (SSML, audio, console, screen).

The engine never writes SSML. It says *what* to say and when each rep falls; the voice shell decides *how*
(Alexa's voice with <break>s, or pre-rendered tracks with an exact tempo). This module is the one place the
segment types are defined; skill.voice.ssml renders them and reads them back.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from .rules import MAX_SILENCE_SECONDS


@dataclass(frozen=True)
class Text:
    """One or more plain sentences, spoken by the voice."""

    text: str


@dataclass(frozen=True)
class Pause:
    """Silence of `seconds` (at most rules.MAX_PAUSE_SECONDS; longer waits are Countdowns)."""

    seconds: float


@dataclass(frozen=True)
class Count:
    """Count the reps aloud: number k is heard k x `tempo` seconds after the segment starts."""

    reps: int
    tempo: float


COUNTDOWN_KINDS = ("rest", "hold", "position")


@dataclass(frozen=True)
class Countdown:
    """A timed wait with a spoken marker at least every 10 s, so there is never dead air.

    rest: between sets; position: getting into position before a set. Both lead into a count-in, so they
    end on "five" rather than "three, two, one" (the count-in says that). hold: a held stretch, which
    ends on "three, two, one"."""

    seconds: int
    kind: str

    def marks(self) -> tuple[int, ...]:
        """The seconds-remaining at which the countdown speaks its number."""
        step = int(MAX_SILENCE_SECONDS)
        tens = [r for r in range(self.seconds - 1, 5, -1) if r % step == 0]
        if self.kind == "hold":
            return tuple(r for r in tens if r > 3) + tuple(r for r in (3, 2, 1) if r < self.seconds)
        return tuple(tens) + ((5,) if self.seconds > 5 else ())


@dataclass(frozen=True)
class CountIn:
    """"Three, two, one, go" before a set."""


Segment = Text | Pause | Count | Countdown | CountIn


class Budget(Protocol):
    """What one response can hold: the voice shell knows Alexa's limits (characters, audio tags and audio
    seconds) and answers for a candidate response; the engine splits a move where it would not fit."""

    def fits(self, segments: Sequence[Segment]) -> bool: ...


class NoLimit:
    """The engine's default budget: everything fits (the voice shell passes the real one)."""

    def fits(self, segments: Sequence[Segment]) -> bool:
        return True


MARK_KINDS = ("cue", "position", "count_in", "rep", "switch", "rest", "hold", "question")


@dataclass(frozen=True)
class Mark:
    """A point on a response's timeline: `at` seconds after its speech starts (estimated from the segments),
    a span of `seconds`. The screen follows it; the engine uses it to place a barge-in."""

    at: float
    kind: str
    set: int = 0            # 1-based set number; 0 when not in a set
    side: str | None = None  # "left" | "right" for one-sided moves
    rep: int = 0            # for kind "rep"
    seconds: float = 0.0


@dataclass(frozen=True)
class MoveView:
    """The move a screen shows: what is being done now, and on which form."""

    id: str                 # the move done (a ladder move, its easier form or its outdoor alternative)
    ladder_id: str
    form: str               # full | easier | outdoor
    sides: bool
    reps: int
    tempo: float
    sets: int               # sets planned today


@dataclass(frozen=True)
class Scene:
    """What a screen can show for this turn (the engine's words, not a layout)."""

    screen: str                     # move | stretch | question | message | progress
    move: MoveView | None = None
    hint: str = ""                  # what can be said now
    buttons: tuple[str, ...] = ()   # touch answers: pain_free, hurt, pause, resume
    token: str = ""                 # names this screen (a touch answer must carry it back)


@dataclass(frozen=True)
class Card:
    """A card for the Alexa app (a summary, or advice the person should have in writing)."""

    title: str
    text: str


@dataclass(frozen=True)
class Output:
    """What to say for one turn, and whether to keep listening.

    `listen` False ends the voice session (stop, pause, red flag, routine done). Whenever `listen` is True,
    `reprompt` is non-empty and says what to say now. `changed` is False when the state is unchanged (the
    shell need not save). `timeline` places the sets and reps of `speech` in time.
    """

    speech: tuple[Segment, ...]
    listen: bool
    reprompt: tuple[Segment, ...] = ()
    card: Card | None = None
    changed: bool = True
    timeline: tuple[Mark, ...] = ()
    scene: Scene | None = None

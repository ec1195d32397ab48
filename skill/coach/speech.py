"""The engine's output vocabulary: structured speech a shell renders (SSML, audio, console text).

The engine never writes SSML. It says *what* to say; the voice shell decides *how*
(Alexa's voice with <break>s, or pre-rendered tracks with an exact tempo).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """One or more plain sentences, spoken by the voice."""

    text: str


@dataclass(frozen=True)
class Pause:
    """Silence of `seconds` (the renderer splits anything over Alexa's 10 s break limit)."""

    seconds: float


@dataclass(frozen=True)
class Count:
    """Count the reps aloud: number k is heard k x `tempo` seconds after the segment starts."""

    reps: int
    tempo: float


@dataclass(frozen=True)
class Countdown:
    """A timed rest or hold: `seconds` long, with a spoken marker at least every 10 s
    and "three, two, one" at the end, so there is never dead air. `kind` is "rest" or "hold"."""

    seconds: int
    kind: str


@dataclass(frozen=True)
class CountIn:
    """"Three, two, one, go" before a set."""


Segment = Text | Pause | Count | Countdown | CountIn


@dataclass(frozen=True)
class Card:
    """A card for the Alexa app (the end-of-routine summary)."""

    title: str
    text: str


@dataclass(frozen=True)
class Output:
    """What to say for one turn, and whether to keep listening.

    `listen` False ends the voice session (stop, pause, red flag, routine done).
    Whenever `listen` is True, `reprompt` is non-empty and says what to say now.
    `changed` False: the next state equals the input state, so there is nothing to save.
    """

    speech: tuple[Segment, ...]
    listen: bool
    reprompt: tuple[Segment, ...] = ()
    card: Card | None = None
    changed: bool = True

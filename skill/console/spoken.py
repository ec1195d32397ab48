"""What an SSML reply sounds like, as a list of pieces: sentences, silences, counts, countdowns, tracks.

The console reads the skill's real SSML (not the engine's structured speech), so it shows exactly what
a device would play. Counts, countdowns and the count-in arrive as number words separated by
<break>s (see skill.voice.ssml); they are recognised here and collapsed back into one piece each.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlparse

from skill.voice.ssml import WORD_S
from skill.voice.words import number_word

# "eight" -> 8, "forty-five" -> 45, as the renderer writes them ("Eight.").
_NUMBERS = {number_word(n): n for n in range(70)}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_TRACK_HASH = re.compile(r"-[0-9a-f]{12}$")
_COUNT_IN = ("three", "two", "one", "go")


class SsmlError(ValueError):
    """The reply's SSML is not a <speak> document."""


@dataclass(frozen=True)
class Say:
    text: str

    @property
    def seconds(self) -> float:
        # An estimate: about WORD_S per word at Alexa's speaking rate.
        return WORD_S * len(self.text.split())


@dataclass(frozen=True)
class Gap:
    seconds: float


@dataclass(frozen=True)
class CountRun:
    """Reps counted aloud from one: number k is heard k x tempo seconds in."""

    reps: int
    tempo: float


@dataclass(frozen=True)
class CountdownRun:
    """A timed rest or hold: the markers spoken and the silence before each (and after the last)."""

    seconds: int
    marks: tuple[tuple[float, str], ...]  # (silence before, word)
    tail: float                           # silence after "one"


@dataclass(frozen=True)
class CountIn:
    seconds: float


@dataclass(frozen=True)
class Track:
    """A pre-rendered <audio> track; `name` is the file name, `stem` its readable part."""

    name: str

    @property
    def stem(self) -> str:
        return _TRACK_HASH.sub("", PurePosixPath(self.name).stem)


Piece = Say | Gap | CountRun | CountdownRun | CountIn | Track


def parse(ssml: str) -> tuple[Piece, ...]:
    try:
        root = ET.fromstring(ssml)
    except ET.ParseError as exc:
        raise SsmlError(f"the reply's SSML is not well-formed XML: {exc}") from None
    if root.tag != "speak":
        raise SsmlError(f"the reply's SSML starts with <{root.tag}>, not <speak>")
    parts: list[str | Gap | Track] = []
    _flatten(root, parts)
    tokens: list[Say | Gap | Track] = []
    words: list[str] = []
    for part in [*parts, None]:  # None: the end, where the last words are flushed
        if isinstance(part, str):
            words.append(part)
            continue
        tokens.extend(Say(s) for s in _SENTENCE_END.split(" ".join("".join(words).split())) if s)
        words.clear()
        if part is not None:
            tokens.append(part)
    return _collapse(tokens)


# Elements that end a sentence or paragraph, so the words either side are never run together.
_BLOCKS = {"p", "s"}


def _flatten(element: ET.Element, out: list[str | Gap | Track]) -> None:
    """Words, breaks and audio in document order; other tags (<prosody>, <emphasis>...) only hold words."""
    out.append(element.text or "")
    for child in element:
        if child.tag == "break":
            out.append(Gap(_break_seconds(child)))
        elif child.tag == "audio":
            out.append(Track(PurePosixPath(urlparse(child.get("src", "")).path).name))
        else:
            if child.tag in _BLOCKS:
                out.append(" ")
            _flatten(child, out)
            if child.tag in _BLOCKS:
                out.append(" ")
        out.append(child.tail or "")


def _break_seconds(element: ET.Element) -> float:
    """<break time="600ms"/> or "2s"; a bare <break/> is Alexa's medium pause."""
    time = element.get("time", "")
    if m := re.fullmatch(r"(\d+(?:\.\d+)?)ms", time):
        return float(m.group(1)) / 1000
    if m := re.fullmatch(r"(\d+(?:\.\d+)?)s", time):
        return float(m.group(1))
    return {"none": 0.0, "x-weak": 0.0, "weak": 0.35, "medium": 0.75, "strong": 1.0,
            "x-strong": 1.25}.get(element.get("strength", "medium"), 0.75)


def _at(tokens: list, j: int) -> Say | Gap | Track | None:
    return tokens[j] if j < len(tokens) else None


def _word(token: Say | Gap | Track | None) -> str | None:
    """The lower-case word of a one-word sentence ("Eight." -> "eight"), else None."""
    if isinstance(token, Say) and (m := re.fullmatch(r"([A-Za-z-]+)[.!]", token.text)):
        return m.group(1).lower()
    return None


def _number(token: Say | Gap | Track | None) -> int | None:
    word = _word(token)
    return _NUMBERS.get(word) if word else None


def _collapse(tokens: list[Say | Gap | Track]) -> tuple[Piece, ...]:
    pieces: list[Piece] = []
    i = 0
    while i < len(tokens):
        for match in (_count_in, _count, _countdown):
            found = match(tokens, i)
            if found:
                piece, i = found
                _append(pieces, piece)
                break
        else:
            _append(pieces, tokens[i])
            i += 1
    return tuple(pieces)


def _append(pieces: list[Piece], piece: Piece) -> None:
    # Breaks over Alexa's 10 s limit arrive split; one silence reads better as one gap.
    if isinstance(piece, Gap) and pieces and isinstance(pieces[-1], Gap):
        pieces[-1] = Gap(round(pieces[-1].seconds + piece.seconds, 3))
    else:
        pieces.append(piece)


def _count_in(tokens: list, i: int) -> tuple[Piece, int] | None:
    """Three. <break/> Two. <break/> One. <break/> Go!"""
    seconds, j = 0.0, i
    for k, expected in enumerate(_COUNT_IN):
        if k and isinstance(_at(tokens, j), Gap):
            seconds += tokens[j].seconds
            j += 1
        if _word(_at(tokens, j)) != expected:
            return None
        j += 1
    return CountIn(round(seconds + WORD_S * len(_COUNT_IN), 3)), j


def _gap_then_number(tokens: list, j: int) -> tuple[float, int] | None:
    gap, number = _at(tokens, j), _number(_at(tokens, j + 1))
    return (gap.seconds, number) if isinstance(gap, Gap) and number is not None else None


def _count(tokens: list, i: int) -> tuple[Piece, int] | None:
    """<break/> One. <break/> Two. ... counting up from one, at least two reps."""
    first = _gap_then_number(tokens, i)
    if first is None or first[1] != 1:
        return None
    tempo, reps, j = first[0], 1, i + 2
    while (step := _gap_then_number(tokens, j)) and step[1] == reps + 1:
        reps, j = reps + 1, j + 2
    return (CountRun(reps, tempo), j) if reps >= 2 else None


def _countdown(tokens: list, i: int) -> tuple[Piece, int] | None:
    """<break/> Twenty. <break/> Ten. ... <break/> One. <break/>: descending to one."""
    marks: list[tuple[float, str]] = []
    previous, j = None, i
    while (step := _gap_then_number(tokens, j)) and (previous is None or step[1] < previous):
        marks.append((step[0], number_word(step[1])))
        previous, j = step[1], j + 2
        if previous == 1:
            break
    if previous != 1 or len(marks) < 2:
        return None
    tail = 0.0
    if isinstance(_at(tokens, j), Gap):
        tail, j = tokens[j].seconds, j + 1
    total = sum(gap for gap, _ in marks) + tail + WORD_S * len(marks)
    return CountdownRun(round(total), tuple(marks), tail), j

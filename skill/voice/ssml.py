"""Structured speech <-> SSML, both directions, within Alexa's limits.

Writing: the engine's segments become a <speak> document. Counts and countdowns use pre-rendered tracks
when an audio set is configured (exact tempo), else Alexa's voice with <break>s (tempo approximate, since
each spoken word takes its own time). Reading: a <speak> document (ours, or any) becomes the same segments
again -- the console shows and plays what a device would, and it may only have the SSML (over --url).

Alexa's limits: a <break> is at most 10 s; the whole <speak> under 8000 characters; at most five <audio>
tags and 240 s of audio in one response; a re-prompt at most 90 s of audio.
"""
from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Protocol
from urllib.parse import urlparse
from xml.sax.saxutils import escape, quoteattr

from skill.coach.numbers import number_word
from skill.coach.rules import WORD_SECONDS
from skill.coach.speech import Count, CountIn, Countdown, Pause, Segment, Text

MAX_BREAK_S = 10.0
MAX_SSML_CHARS = 8000
MAX_AUDIO_TAGS = 5
MAX_AUDIO_S = 240.0
MAX_REPROMPT_AUDIO_S = 90.0
# The time Alexa takes to say one short word ("seven", "ten"); taken off the silence after it so counts and
# countdowns keep close to their tempo without tracks. The same estimate the engine's timeline uses.
WORD_S = WORD_SECONDS
COUNT_IN_GAP_S = 0.6
_COUNT_IN = ("three", "two", "one", "go")


class AudioTracks(Protocol):
    """Where pre-rendered tracks live: a URL (HTTPS) and duration for a segment, or None."""

    def url_for(self, segment: Segment) -> str | None: ...

    def duration_of(self, segment: Segment) -> float: ...


@dataclass(frozen=True)
class Track:
    """A pre-rendered <audio> track, read back from SSML: `name` is the file name, `stem` its readable part."""

    name: str

    @property
    def stem(self) -> str:
        return re.sub(r"-[0-9a-f]{12}$", "", PurePosixPath(self.name).stem)


Heard = Segment | Track


class SsmlError(ValueError):
    """The SSML is not a <speak> document."""


# -- writing ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rendered:
    ssml: str
    tracks: int             # <audio> tags used
    audio_s: float          # seconds of <audio>
    voiced_counts: int      # counts that had to be voiced although tracks were offered


def _break(seconds: float) -> str:
    parts = []
    remaining = round(seconds, 3)
    while remaining > 0:
        chunk = min(remaining, MAX_BREAK_S)
        parts.append(f'<break time="{int(round(chunk * 1000))}ms"/>')
        remaining = round(remaining - chunk, 3)
    return "".join(parts)


def _say(word: str) -> str:
    return f"{escape(word.capitalize())}."


def _count(seg: Count) -> str:
    return " ".join(_break(seg.tempo - (WORD_S if k > 1 else 0)) + " " + _say(number_word(k))
                    for k in range(1, seg.reps + 1))


def _countdown(seg: Countdown) -> str:
    out, elapsed = [], 0.0
    for remaining in seg.marks():
        at = seg.seconds - remaining
        out += [_break(at - elapsed), _say(number_word(remaining))]
        elapsed = at + WORD_S
    out.append(_break(max(seg.seconds - elapsed, 0)))
    return " ".join(p for p in out if p)


def _count_in() -> str:
    gap = _break(COUNT_IN_GAP_S)
    return f"Three. {gap} Two. {gap} One. {gap} Go!"


@functools.lru_cache(maxsize=1024)       # counts, countdowns and cues repeat from response to response
def _voiced(seg: Segment) -> str:
    match seg:
        case Text(text=text):
            return escape(text)
        case Pause(seconds=s):
            return _break(s)
        case Count():
            return _count(seg)
        case Countdown():
            return _countdown(seg)
        case CountIn():
            return _count_in()
    raise TypeError(f"not a speech segment: {seg!r}")


def render_report(segments: Sequence[Segment], tracks: AudioTracks | None = None) -> Rendered:
    """A <speak> document for the segments. With tracks, counts get them first (their tempo matters most),
    then count-ins and countdowns while Alexa's audio limits allow; anything else is voiced."""
    chosen: dict[int, str] = {}
    tags, audio_s = 0, 0.0
    if tracks is not None:
        order = sorted(range(len(segments)), key=lambda i: not isinstance(segments[i], Count))
        for i in order:
            seg = segments[i]
            if isinstance(seg, (Text, Pause)):
                continue
            url = tracks.url_for(seg)
            if url and tags < MAX_AUDIO_TAGS and audio_s + tracks.duration_of(seg) <= MAX_AUDIO_S:
                chosen[i] = url
                tags += 1
                audio_s += tracks.duration_of(seg)
    body = [f"<audio src={quoteattr(chosen[i])}/>" if i in chosen else _voiced(seg) for i, seg in enumerate(segments)]
    voiced_counts = sum(1 for i, seg in enumerate(segments) if isinstance(seg, Count) and i not in chosen) \
        if tracks is not None else 0
    return Rendered("<speak>" + " ".join(p for p in body if p) + "</speak>", tags, audio_s, voiced_counts)


def render(segments: Iterable[Segment], tracks: AudioTracks | None = None) -> str:
    rendered = render_report(list(segments), tracks)
    if len(rendered.ssml) >= MAX_SSML_CHARS:
        # The engine splits moves by the budget below, so reaching this is a bug, not input.
        raise ValueError(f"SSML is {len(rendered.ssml)} characters, Alexa's limit is {MAX_SSML_CHARS}")
    return rendered.ssml


class SsmlBudget:
    """The engine's Budget: a response fits when its SSML is under Alexa's limit and, with tracks, every count
    plays its track (a count that would fall back to the voice means: split the move here)."""

    def __init__(self, tracks: AudioTracks | None = None) -> None:
        self.tracks = tracks

    def fits(self, segments: Sequence[Segment]) -> bool:
        rendered = render_report(segments, self.tracks)
        return len(rendered.ssml) < MAX_SSML_CHARS and rendered.voiced_counts == 0


# -- reading ---------------------------------------------------------------------------------------------------------
def read(ssml: str) -> tuple[Heard, ...]:
    """A <speak> document as segments: sentences, silences, counts, countdowns, count-ins, tracks."""
    try:
        root = ET.fromstring(ssml)
    except ET.ParseError as exc:
        raise SsmlError(f"the SSML is not well-formed XML: {exc}") from None
    if root.tag != "speak":
        raise SsmlError(f"the SSML starts with <{root.tag}>, not <speak>")
    parts: list[str | Pause | Track] = []
    _flatten(root, parts)
    tokens: list[Text | Pause | Track] = []
    words: list[str] = []
    for part in [*parts, None]:  # None: the end, where the last words are flushed
        if isinstance(part, str):
            words.append(part)
            continue
        tokens.extend(Text(s) for s in re.split(r"(?<=[.!?])\s+", " ".join("".join(words).split())) if s)
        words.clear()
        if part is not None:
            tokens.append(part)
    return _collapse(tokens)


_BLOCKS = {"p", "s"}   # elements that end a sentence, so the words either side are never run together


def _flatten(element: ET.Element, out: list) -> None:
    """Words, breaks and audio in document order; other tags (<prosody>, <emphasis>...) only hold words."""
    out.append(element.text or "")
    for child in element:
        if child.tag == "break":
            out.append(Pause(_break_seconds(child)))
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


_NUMBERS = {number_word(n): n for n in range(100)}


def _at(tokens: list, j: int):
    return tokens[j] if j < len(tokens) else None


def _word(token) -> str | None:
    """The lower-case word of a one-word sentence ("Eight." -> "eight"), else None."""
    if isinstance(token, Text) and (m := re.fullmatch(r"([A-Za-z-]+)[.!]", token.text)):
        return m.group(1).lower()
    return None


def _number(token) -> int | None:
    word = _word(token)
    return _NUMBERS.get(word) if word else None


def _collapse(tokens: list) -> tuple[Heard, ...]:
    heard: list[Heard] = []
    i = 0
    while i < len(tokens):
        for match in (_read_count_in, _read_count, _read_countdown):
            found = match(tokens, i)
            if found:
                segment, i = found
                _append(heard, segment)
                break
        else:
            _append(heard, tokens[i])
            i += 1
    return tuple(heard)


def _append(heard: list[Heard], segment: Heard) -> None:
    # Breaks over Alexa's 10 s limit arrive split; one silence reads better as one pause.
    if isinstance(segment, Pause) and heard and isinstance(heard[-1], Pause):
        heard[-1] = Pause(round(heard[-1].seconds + segment.seconds, 3))
    else:
        heard.append(segment)


def _read_count_in(tokens: list, i: int):
    """Three. <break/> Two. <break/> One. <break/> Go!"""
    j = i
    for k, expected in enumerate(_COUNT_IN):
        if k and isinstance(_at(tokens, j), Pause):
            j += 1
        if _word(_at(tokens, j)) != expected:
            return None
        j += 1
    return CountIn(), j


def _gap_then_number(tokens: list, j: int) -> tuple[float, int] | None:
    gap, number = _at(tokens, j), _number(_at(tokens, j + 1))
    return (gap.seconds, number) if isinstance(gap, Pause) and number is not None else None


def _read_count(tokens: list, i: int):
    """<break/> One. <break/> Two. ... counting up from one, at least two reps."""
    first = _gap_then_number(tokens, i)
    if first is None or first[1] != 1:
        return None
    tempo, reps, j = first[0], 1, i + 2
    while (step := _gap_then_number(tokens, j)) and step[1] == reps + 1:
        reps, j = reps + 1, j + 2
    return (Count(reps, tempo), j) if reps >= 2 else None


def _read_countdown(tokens: list, i: int):
    """<break/> Twenty. <break/> Ten. ... <break/>: descending to one (a hold) or five (a rest)."""
    marks: list[int] = []
    gaps = 0.0
    j = i
    while (step := _gap_then_number(tokens, j)) and (not marks or step[1] < marks[-1]):
        marks.append(step[1])
        gaps += step[0]
        j += 2
        if marks[-1] == 1:
            break
    if not marks or marks[-1] not in (1, 5) or (marks[-1] == 5 and not isinstance(_at(tokens, j), Pause)):
        return None
    if isinstance(_at(tokens, j), Pause):
        gaps += tokens[j].seconds
        j += 1
    seconds = round(gaps + WORD_S * len(marks))
    kind = "hold" if marks[-1] == 1 else "rest"
    if Countdown(seconds, kind).marks() != tuple(marks):
        return None
    return Countdown(seconds, kind), j

"""Structured speech -> SSML within Alexa's limits.

Alexa's limits: a <break> is at most 10 s; the whole <speak> under 8000 characters; at most five
<audio> tags and 240 s of audio in one response. Counts and countdowns use pre-rendered tracks when
an audio set is configured (exact tempo), else Alexa's voice with <break>s (tempo approximate,
because each spoken word takes its own time).
"""
from __future__ import annotations

from typing import Iterable, Protocol
from xml.sax.saxutils import escape, quoteattr

from skill.coach.speech import Count, CountIn, Countdown, Pause, Segment, Text
from skill.voice.words import countdown_marks, number_word

MAX_BREAK_S = 10.0
MAX_SSML_CHARS = 8000
MAX_AUDIO_TAGS = 5
MAX_AUDIO_S = 240.0
# Rough time Alexa takes to say one short word ("seven", "ten"); subtracted from the gap after it
# so counts and countdowns keep close to their tempo without tracks.
WORD_S = 0.4


class AudioTracks(Protocol):
    """Where pre-rendered tracks live: a URL (HTTPS) and duration for a segment, or None."""

    def url_for(self, segment: Segment) -> str | None: ...

    def duration_of(self, segment: Segment) -> float: ...


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
    out = []
    for k in range(1, seg.reps + 1):
        out.append(_break(seg.tempo - (WORD_S if k > 1 else 0)))
        out.append(_say(number_word(k)))
    return " ".join(out)


def _countdown(seg: Countdown) -> str:
    out, elapsed = [], 0.0
    for remaining in countdown_marks(seg.seconds):
        at = seg.seconds - remaining
        out.append(_break(at - elapsed))
        out.append(_say(number_word(remaining)))
        elapsed = at + WORD_S
    out.append(_break(max(seg.seconds - elapsed, 0)))
    return " ".join(p for p in out if p)


def _count_in() -> str:
    return f"Three. {_break(0.6)} Two. {_break(0.6)} One. {_break(0.6)} Go!"


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


def render(segments: Iterable[Segment], tracks: AudioTracks | None = None) -> str:
    """A <speak> document for the segments; tracks replace counts, countdowns and count-ins
    while the response stays within Alexa's audio limits."""
    body, tags, audio_s = [], 0, 0.0
    for seg in segments:
        url = tracks.url_for(seg) if tracks and not isinstance(seg, (Text, Pause)) else None
        if url and tags < MAX_AUDIO_TAGS and audio_s + tracks.duration_of(seg) <= MAX_AUDIO_S:
            body.append(f"<audio src={quoteattr(url)}/>")
            tags += 1
            audio_s += tracks.duration_of(seg)
        else:
            body.append(_voiced(seg))
    ssml = "<speak>" + " ".join(p for p in body if p) + "</speak>"
    if len(ssml) >= MAX_SSML_CHARS:
        # The catalogue's limits keep every turn far below this; reaching it is a bug, not input.
        raise ValueError(f"SSML is {len(ssml)} characters, Alexa's limit is {MAX_SSML_CHARS}")
    return ssml


"""Showing a reply in the terminal: the words, silences as `…3 s…`, counts and countdowns collapsed,
whether the microphone is open, and the card. With `realtime`, the reply plays out at the pace a
device would speak it (pauses, counts and countdowns really wait; words take an estimated time)."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import click

from skill.coach.numbers import number_word
from skill.coach.speech import Count, CountIn, Countdown, Pause, Text
from skill.coach.timing import duration
from skill.voice.ssml import WORD_S, Heard, Track

LISTENING = "🎤 listening"
ENDED = "— session ended"
# A countdown marker followed by more than this much silence is shown trailing off ("twenty…").
_LONG_GAP_S = 1.5


def seconds(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") + " s"


def show(piece: Heard) -> str:
    match piece:
        case Text(text=text):
            return text
        case Pause(seconds=s):
            return f"…{seconds(s)}…"
        case Count(reps=reps, tempo=tempo):
            return f"[count 1–{reps}, every {seconds(tempo)}]"
        case Countdown(seconds=total):
            marks = piece.marks()
            gaps = [(total - r) - (total - prev) for prev, r in zip((total, *marks), marks)][1:] + [marks[-1]]
            words = "".join(number_word(r) + ("…" if gap > _LONG_GAP_S else ",") + " " for r, gap in zip(marks, gaps))
            return f"[countdown {seconds(total)}: {words.rstrip(', ')}]"
        case CountIn():
            return "[three, two, one, go]"
        case Track() as track:
            return f"[track {track.stem}]"
    raise TypeError(f"not a piece of speech: {piece!r}")


def steps(piece: Heard, track_seconds: Callable[[str], float]) -> list[tuple[str, float]]:
    """(text to show, seconds to wait after it): the piece played out in real time."""
    match piece:
        case Text() | Pause() | CountIn():
            return [(show(piece), duration(piece))]
        case Count(reps=reps, tempo=tempo):
            return [(show(piece), tempo)] + [(str(k), tempo if k < reps else WORD_S)
                                             for k in range(1, reps + 1)]
        case Countdown(seconds=total):
            marks = piece.marks()
            at = [total - r for r in marks]
            after = [b - a for a, b in zip(at, at[1:] + [total])]
            return [(show(piece), at[0])] + [(number_word(r), wait) for r, wait in zip(marks, after)]
        case Track(name=name):
            return [(show(piece), track_seconds(name))]
    raise TypeError(f"not a piece of speech: {piece!r}")


@dataclass
class Transcript:
    """Writes the conversation to the terminal (click.echo, so tests can capture it)."""

    realtime: bool = False
    sleep: Callable[[float], None] = time.sleep
    track_seconds: Callable[[str], float] = lambda name: 0.0

    def you(self, said: str) -> None:
        click.echo(f"You: {said}")

    def note(self, text: str) -> None:
        click.echo(click.style(f"  ({text})", dim=True))

    def problem(self, text: str) -> None:
        click.echo(click.style(f"  ! {text}", fg="red"))

    def alexa(self, pieces: tuple[Heard, ...], *, label: str = "Alexa") -> None:
        if not self.realtime:
            click.echo(f"{label}: " + " ".join(show(p) for p in pieces))
            return
        click.echo(f"{label}:", nl=False)
        for piece in pieces:
            for text, wait in steps(piece, self.track_seconds):
                click.echo(f" {text}", nl=False)
                self.sleep(wait)
        click.echo()

    def microphone(self, listening: bool) -> None:
        click.echo(f"  {LISTENING if listening else ENDED}")

    def card(self, title: str, text: str) -> None:
        lines = text.splitlines() or [""]
        click.echo(f"  [card] {title}")
        for line in lines:
            click.echo(f"         {line}".rstrip())

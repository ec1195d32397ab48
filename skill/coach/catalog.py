"""The move catalogue (moves.json) and the phrases, loaded and validated once at start-up.

A broken file fails loudly: CatalogError names the file and the key, e.g.
    moves.json: moves[3].easier: 'x' is not a move id
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .phrasebook import PhraseError, Phrases
from .rules import LADDER_REPS, LONGEST_SET_SECONDS, PLAN_SIZE, POSITION_SECONDS, TEMPO_GRID, WAIT_SECONDS
from .speech import Count, Countdown, CountIn, Segment

DURATION_LIMITS = (10, 90)          # rests and holds, whole seconds
KINDS = ("strength", "stretch")
EXTRAS = ("upper_back",)            # extras a person can ask for on their own
MOVE_KEYS = frozenset({"id", "name", "kind", "sides", "cues", "explain", "tempo", "min_tempo", "reps", "hold",
                       "rest", "easier", "outdoor"})
TOP_KEYS = frozenset({"rests", "holds", "ladder", "stretches", "extras", "moves"})


class CatalogError(ValueError):
    """The catalogue or phrase file is broken; the message names the file and the key."""


@dataclass(frozen=True)
class Move:
    id: str
    name: str
    kind: str                       # "strength" | "stretch"
    sides: bool                     # done on the left, then the right
    cues: tuple[str, ...]           # position, movement, the one mistake to avoid
    explain: str                    # the fuller "how do I do this"
    tempo: float | None             # seconds per rep (counted moves)
    min_tempo: float | None         # the fastest safe count: "faster" never goes below it
    reps: tuple[int, int] | None    # allowed reps per set (counted moves)
    hold: int | None                # seconds per side (held stretches)
    rest: int | None                # seconds between sets (strength moves)
    easier: str | None = None       # the easier variant's id
    outdoor: str | None = None      # an alternative for outdoors

    @property
    def counted(self) -> bool:
        return self.reps is not None


class Catalog:
    """The validated moves and phrases. Read-only after load."""

    def __init__(self, moves: dict[str, Move], ladder: tuple[str, ...], stretches: tuple[str, ...],
                 extras: dict[str, str], rests: tuple[int, ...], holds: tuple[int, ...], phrases: Phrases) -> None:
        self._moves = moves
        self.ladder = ladder
        self.stretches = stretches
        self.extras = extras
        self.rests = rests
        self.holds = holds
        self.phrases = phrases
        self._recipes = self._all_recipes()

    def move(self, move_id: str) -> Move:
        try:
            return self._moves[move_id]
        except KeyError:
            raise KeyError(f"no move with id {move_id!r}") from None

    def moves(self) -> tuple[Move, ...]:
        return tuple(self._moves.values())

    def audio_recipes(self) -> tuple[Segment, ...]:
        """Every Count, Countdown and CountIn the engine can emit: each counted move's reps range at
        every tempo on the grid, every rest and hold, and the count-in."""
        return self._recipes

    def _all_recipes(self) -> tuple[Segment, ...]:
        counts = {
            Count(reps, tempo)
            for move in self._moves.values() if move.reps is not None
            for reps in range(move.reps[0], move.reps[1] + 1)
            for tempo in tempos(move)
        }
        ordered: list[Segment] = sorted(counts, key=lambda c: (c.reps, c.tempo))
        ordered += [Countdown(seconds, "rest") for seconds in self.rests]
        ordered += [Countdown(seconds, "hold") for seconds in self.holds]
        ordered += [Countdown(seconds, "position") for seconds in (POSITION_SECONDS, WAIT_SECONDS)]
        ordered.append(CountIn())
        return tuple(ordered)


def tempos(move: Move) -> tuple[float, ...]:
    """The counts a move may go at: the grid from its fastest safe tempo up."""
    return tuple(t for t in TEMPO_GRID if move.min_tempo is not None and t >= move.min_tempo)


def tempo_step(move: Move, tempo: float, step: int) -> float | None:
    """The tempo one step slower (+1) or faster (-1) for `move`, or None past its limits."""
    allowed = tempos(move)
    i = allowed.index(tempo) + step if tempo in allowed else -1
    return allowed[i] if 0 <= i < len(allowed) else None


def load_catalog(moves_path: str | Path | None = None, phrases_path: str | Path | None = None) -> Catalog:
    """Load and validate the catalogue; defaults are the packaged moves.json and phrases/en.json."""
    package = resources.files(__package__)
    moves_file = Path(moves_path) if moves_path else Path(str(package / "moves.json"))
    phrases_file = Path(phrases_path) if phrases_path else Path(str(package / "phrases" / "en.json"))
    phrases_label = f"{phrases_file.parent.name}/{phrases_file.name}"
    try:
        phrases = Phrases(_read_json(phrases_file, phrases_label))
    except PhraseError as exc:
        raise CatalogError(f"{phrases_label}: {exc}") from None
    return _Reader(moves_file.name, _read_json(moves_file, moves_file.name)).catalog(phrases)


def _read_json(path: Path, label: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogError(f"{label}: cannot read ({exc.strerror})") from None
    except json.JSONDecodeError as exc:
        raise CatalogError(f"{label}: not valid JSON (line {exc.lineno}: {exc.msg})") from None


class _Reader:
    """Validates the moves file, naming the file and key of the first problem."""

    def __init__(self, label: str, data: Any) -> None:
        self.label = label
        self.data = data

    def fail(self, where: str, problem: str) -> CatalogError:
        return CatalogError(f"{self.label}: {where}: {problem}")

    def catalog(self, phrases: Phrases) -> Catalog:
        if not isinstance(self.data, dict):
            raise CatalogError(f"{self.label}: must hold a JSON object")
        if unknown := sorted(set(self.data) - TOP_KEYS):
            raise self.fail(unknown[0], "not a catalogue key")
        rests = self._durations("rests")
        holds = self._durations("holds")
        raw = self.data.get("moves")
        if not isinstance(raw, list) or not raw:
            raise self.fail("moves", "must be a non-empty list")
        moves: dict[str, Move] = {}
        for i, entry in enumerate(raw):
            move = self._move(f"moves[{i}]", entry, rests, holds)
            if move.id in moves:
                raise self.fail(f"moves[{i}].id", f"duplicate id {move.id!r}")
            moves[move.id] = move
        for i, move in enumerate(moves.values()):
            for ref in ("easier", "outdoor"):
                target = getattr(move, ref)
                if target is None:
                    continue
                if target not in moves:
                    raise self.fail(f"moves[{i}].{ref}", f"{target!r} is not a move id")
                if target == move.id or moves[target].kind != "strength" or move.kind != "strength":
                    raise self.fail(f"moves[{i}].{ref}", f"{target!r} must be another strength move")
        ladder = self._ids("ladder", moves, "strength")
        stretches = self._ids("stretches", moves, "stretch")
        if len(ladder) < PLAN_SIZE:
            raise self.fail("ladder", f"needs at least {PLAN_SIZE} moves (a plan has {PLAN_SIZE})")
        for j, move_id in enumerate(ladder):
            if moves[move_id].easier is None:
                raise self.fail(f"ladder[{j}]", f"{move_id!r} has no easier variant")
        extras = self.data.get("extras")
        if not isinstance(extras, dict) or sorted(extras) != sorted(EXTRAS):
            raise self.fail("extras", f"must map {', '.join(EXTRAS)} to a move id")
        for name, move_id in extras.items():
            if move_id not in moves or moves[move_id].kind != "strength" or move_id in ladder:
                raise self.fail(f"extras.{name}", f"{move_id!r} must be a strength move outside the ladder")
        return Catalog(moves, ladder, stretches, dict(extras), rests, holds, phrases)

    def _durations(self, key: str) -> tuple[int, ...]:
        values = self.data.get(key)
        if not isinstance(values, list) or not values:
            raise self.fail(key, "must be a non-empty list of whole seconds")
        low, high = DURATION_LIMITS
        for i, value in enumerate(values):
            if type(value) is not int or not low <= value <= high:
                raise self.fail(f"{key}[{i}]", f"{value!r} is not whole seconds in {low}..{high}")
        if len(set(values)) != len(values):
            raise self.fail(key, "has a duplicate")
        return tuple(values)

    def _ids(self, key: str, moves: dict[str, Move], kind: str) -> tuple[str, ...]:
        ids = self.data.get(key)
        if not isinstance(ids, list) or not ids:
            raise self.fail(key, "must be a non-empty list of move ids")
        for i, move_id in enumerate(ids):
            if move_id not in moves:
                raise self.fail(f"{key}[{i}]", f"{move_id!r} is not a move id")
            if moves[move_id].kind != kind:
                raise self.fail(f"{key}[{i}]", f"{move_id!r} is not a {kind} move")
        if len(set(ids)) != len(ids):
            raise self.fail(key, "lists a move twice")
        return tuple(ids)

    def _move(self, where: str, entry: Any, rests: tuple[int, ...], holds: tuple[int, ...]) -> Move:
        if not isinstance(entry, dict):
            raise self.fail(where, "must be an object")
        if unknown := sorted(set(entry) - MOVE_KEYS):
            raise self.fail(f"{where}.{unknown[0]}", "not a move field")

        def text(key: str) -> str:
            value = entry.get(key)
            if not isinstance(value, str) or not value.strip():
                raise self.fail(f"{where}.{key}", "must be non-empty text")
            return value

        def optional(key: str, kind: type) -> Any:
            value = entry.get(key)
            if value is not None and type(value) is not kind:
                raise self.fail(f"{where}.{key}", f"must be {kind.__name__}")
            return value

        move_id, name, explain = text("id"), text("name"), text("explain")
        kind = entry.get("kind")
        if kind not in KINDS:
            raise self.fail(f"{where}.kind", f"{kind!r} is not one of {', '.join(KINDS)}")
        sides = entry.get("sides")
        if type(sides) is not bool:
            raise self.fail(f"{where}.sides", "must be true or false")
        cues = entry.get("cues")
        if not isinstance(cues, list) or not 2 <= len(cues) <= 3:
            raise self.fail(f"{where}.cues", "must list 2 or 3 cues")
        for i, cue in enumerate(cues):
            if not isinstance(cue, str) or not cue.strip():
                raise self.fail(f"{where}.cues[{i}]", "must be non-empty text")
            if sum(cue.count(mark) for mark in ".!?") > 2:
                raise self.fail(f"{where}.cues[{i}]", "must be at most 2 sentences")
        tempo, min_tempo = entry.get("tempo"), entry.get("min_tempo")
        reps = entry.get("reps")
        hold = optional("hold", int)
        rest = optional("rest", int)
        if (reps is None) == (hold is None):
            raise self.fail(where, "needs either reps (counted) or hold (timed), not both")
        if reps is not None:
            for key, value in (("tempo", tempo), ("min_tempo", min_tempo)):
                if type(value) not in (int, float) or value not in TEMPO_GRID:
                    raise self.fail(f"{where}.{key}", f"{value!r} is not on the grid {list(TEMPO_GRID)}")
            tempo, min_tempo = float(tempo), float(min_tempo)
            if min_tempo > tempo:
                raise self.fail(f"{where}.min_tempo", f"{min_tempo} is slower than the move's tempo {tempo}")
            if not (isinstance(reps, list) and len(reps) == 2 and all(type(r) is int for r in reps)):
                raise self.fail(f"{where}.reps", "must be [min, max]")
            if kind == "strength" and tuple(reps) != LADDER_REPS:
                raise self.fail(f"{where}.reps", f"{reps}: every strength move uses the article's {list(LADDER_REPS)}")
            if not 1 <= reps[0] <= reps[1]:
                raise self.fail(f"{where}.reps", f"{reps} is not a range")
            longest_set = reps[1] * TEMPO_GRID[-1] * (2 if sides else 1)
            if longest_set > LONGEST_SET_SECONDS:
                raise self.fail(where, f"its longest set (~{longest_set:.0f} s) does not fit one response")
        else:
            for key, value in (("tempo", tempo), ("min_tempo", min_tempo)):
                if value is not None:
                    raise self.fail(f"{where}.{key}", "a held stretch has no tempo")
            if hold not in holds:
                raise self.fail(f"{where}.hold", f"{hold!r} is not one of the holds {list(holds)}")
        if kind == "strength":
            if rest not in rests:
                raise self.fail(f"{where}.rest", f"{rest!r} is not one of the rests {list(rests)}")
            if reps is None:
                raise self.fail(f"{where}.reps", "a strength move is counted: give [min, max]")
        elif rest is not None:
            raise self.fail(f"{where}.rest", "a stretch has no rest")
        return Move(
            id=move_id, name=name, kind=kind, sides=sides, cues=tuple(cues), explain=explain,
            tempo=tempo, min_tempo=min_tempo, reps=tuple(reps) if reps is not None else None, hold=hold,
            rest=rest, easier=optional("easier", str), outdoor=optional("outdoor", str),
        )

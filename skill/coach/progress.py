"""A person's long-term record, and what a finished session changes in it.

Sets done on a move's outdoor alternative ("I'm outside") count as full-form sets of that ladder move: the
alternative is the same level. Being outside is not remembered: the next session starts on the full form.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass

from .catalog import Catalog, tempos
from .rules import HISTORY_KEPT, MASTERY_SESSIONS, PROGRESS_GAP_SECONDS
from .state import Form, HistoryEntry, Item, MoveRecord, Progress, Result, Status


def record(catalog: Catalog, progress: Progress, move_id: str) -> MoveRecord:
    """A copy of the ladder move's record, with the defaults for a move never done."""
    rec = progress.moves.get(move_id)
    return copy.copy(rec) if rec is not None else MoveRecord(reps=catalog.move(move_id).reps[0])


def tempo(catalog: Catalog, progress: Progress, move_id: str) -> float:
    move = catalog.move(move_id)
    chosen = progress.tempo.get(move_id)
    return chosen if chosen in tempos(move) else move.tempo


def needs_checkup(progress: Progress) -> bool:
    """Pain that keeps coming back: the last routine parked two moves, or the last two routines each hurt
    in at least half their answered sets. Then the coach advises getting the back checked."""
    history = progress.history
    if history and history[-1].parked >= 2:
        return True
    painful = [entry.sets > 0 and 2 * (entry.sets - entry.pain_free) >= entry.sets for entry in history[-2:]]
    return len(painful) == 2 and all(painful)


@dataclass(frozen=True)
class Change:
    """What changes next time for one move: kind is up | at_max | mastered | easier | back_up | hold |
    parked | same | today (a level already changed today: no second rise)."""

    kind: str
    move: str
    reps: int


def finished(item: Item) -> bool:
    return item.status in (Status.DONE, Status.PARKED)


def apply_session(catalog: Catalog, progress: Progress, items: list[Item], at: float) -> tuple[Progress, list[Change]]:
    """The record after a routine ends (completed, or closed after it was left).

    Finished moves (all sets answered, or set aside because the easier form hurt) progress; a move that hurt
    starts on its easier form next time even if unfinished; anything else is unchanged. The session counts
    (sessions, last_session_at, history) only if a move finished.
    """
    new = copy.deepcopy(progress)
    session_no = new.sessions
    if any(finished(item) for item in items):
        sets = [s for item in items for s in item.sets if s.result != Result.PENDING]
        new.sessions += 1
        new.last_session_at = at
        new.history = (new.history + [HistoryEntry(
            at=at, moves=sum(finished(item) for item in items), sets=len(sets),
            pain_free=sum(s.result == Result.OK for s in sets),
            parked=sum(item.status == Status.PARKED for item in items))])[-HISTORY_KEPT:]
    changes: list[Change] = []
    for item in items:
        change = _outcome(catalog, new, item, session_no, at)
        if change is not None:
            changes.append(change)
        for done in item.sets:
            move_id = catalog.move(item.move)
            seen = {Form.FULL: move_id.id, Form.EASIER: move_id.easier, Form.OUTDOOR: move_id.outdoor}[done.form]
            if seen is not None and seen not in new.seen:
                new.seen.append(seen)
    return new, changes


def _outcome(catalog: Catalog, progress: Progress, item: Item, session_no: int, at: float) -> Change | None:
    move_id = item.move
    if move_id not in catalog.ladder:
        return None                 # an extra asked for on its own: no level to keep
    rec = record(catalog, progress, move_id)
    results = [s.result for s in item.sets]
    if item.sets and rec.started is None:
        rec.started = session_no
    if item.status == Status.PARKED:
        rec.form, rec.parked_at, rec.at_max, rec.mastered = Form.EASIER, progress.sessions, 0, False
        kind = "parked"
    elif item.hurt or (item.status == Status.DONE and item.dropped):
        rec.form, rec.parked_at, rec.at_max, rec.mastered = Form.EASIER, None, 0, False
        kind = "easier"
    elif item.status != Status.DONE:
        if not item.sets:
            return None
        progress.moves[move_id] = rec
        return None
    elif rec.mastered:
        kind = "same"
    elif results and all(r == Result.OK for r in results):
        rec.parked_at = None
        if rec.changed_at is not None and at - rec.changed_at < PROGRESS_GAP_SECONDS:
            kind = "today"          # it already went up today: once a day is enough
        elif any(s.form == Form.EASIER for s in item.sets):
            rec.form, rec.at_max, rec.changed_at = Form.FULL, 0, at
            kind = "back_up"
        elif rec.reps < catalog.move(move_id).reps[1]:
            rec.form, rec.reps, rec.at_max, rec.changed_at = Form.FULL, rec.reps + 1, 0, at
            kind = "up"
        else:
            rec.at_max += 1
            rec.mastered = rec.at_max >= MASTERY_SESSIONS
            rec.changed_at = at
            kind = "mastered" if rec.mastered else "at_max"
    else:
        rec.form = Form.EASIER if item.form == Form.EASIER else Form.FULL
        rec.parked_at, rec.at_max = None, 0
        kind = "hold"
    progress.moves[move_id] = rec
    return Change(kind, move_id, rec.reps)

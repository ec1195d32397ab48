"""A person's long-term record (plain JSON, schema_version 1) and applying a finished session to it.

progress = {
  "schema_version": 1,
  "sessions": int,                 # routines that finished at least one move
  "last_session_at": float|None,   # epoch seconds of the last such routine (drives the next-day check)
  "safety_note_given": bool,
  "red_flag": None | {"at": float, "kind": "leg"|"urgent"|"unwell"},  # until they confirm they were checked
  "worse_checks": int,             # next-day checks answered "worse" in a row
  "moves": {ladder id: {"form": "full"|"easier", "reps": int, "at_max": int,
                        "parked_at": int|None, "mastered": bool}},
  "tempo": {move id: seconds per rep},   # the person's slower/faster choice per move
  "seen": [move id, ...],                # moves already coached once (cues get shorter)
  "skip_stretches": [stretch id, ...],   # stretches that did not feel OK
  "history": [{"at": float, "moves": int, "sets": int, "pain_free": int, "parked": int}, ...]
                                   # the latest HISTORY_KEPT
}

Sets done on a move's outdoor alternative ("I'm outside") count as full-form sets of that ladder move: the
alternative is the same level, so pain-free outdoor sets raise its reps and count towards mastery. Being
outside is not remembered here: the next session starts on the usual full form.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from .catalog import TEMPO_GRID, Catalog

SCHEMA_VERSION = 1
HISTORY_KEPT = 30
MASTERY_SESSIONS = 2     # sessions in a row at the top of the range, pain-free, to master a move
_KEYS = ("schema_version", "sessions", "last_session_at", "safety_note_given", "red_flag", "worse_checks",
         "moves", "tempo", "seen", "skip_stretches", "history")


def new_progress() -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION, "sessions": 0, "last_session_at": None,
        "safety_note_given": False, "red_flag": None, "worse_checks": 0, "moves": {}, "tempo": {}, "seen": [],
        "skip_stretches": [], "history": [],
    }


def check(progress: Any) -> None:
    """Refuse a record this code does not understand, rather than guess."""
    if not isinstance(progress, dict):
        raise ValueError("progress must be a JSON object")
    version = progress.get("schema_version")
    if version != SCHEMA_VERSION:
        raise ValueError(f"progress schema_version {version!r} is not supported (this engine reads {SCHEMA_VERSION})")
    for key in _KEYS:
        if key not in progress:
            raise ValueError(f"progress is missing {key!r}")


def needs_checkup(progress: dict[str, Any]) -> bool:
    """Pain that keeps coming back: the last routine parked two moves, or the last two routines each hurt
    in at least half their answered sets. Then the coach advises getting the back checked."""
    history = progress["history"]
    if history and history[-1].get("parked", 0) >= 2:
        return True
    painful = [entry["sets"] > 0 and 2 * (entry["sets"] - entry["pain_free"]) >= entry["sets"]
               for entry in history[-2:]]
    return len(painful) == 2 and all(painful)


def record(catalog: Catalog, progress: dict[str, Any], move_id: str) -> dict[str, Any]:
    """A copy of the ladder move's record, with the defaults for a move never done."""
    default = {"form": "full", "reps": catalog.move(move_id).reps[0], "at_max": 0, "parked_at": None,
               "mastered": False}
    return {**default, **progress["moves"].get(move_id, {})}


def tempo(catalog: Catalog, progress: dict[str, Any], move_id: str) -> float:
    chosen = progress["tempo"].get(move_id)
    return chosen if chosen in TEMPO_GRID else catalog.move(move_id).tempo


def form_move_id(catalog: Catalog, move_id: str, form: str) -> str:
    """The move actually done for ladder move `move_id` on a plan form: full, easier or outdoor."""
    move = catalog.move(move_id)
    done = {"full": move.id, "easier": move.easier, "outdoor": move.outdoor}[form]
    if done is None:
        raise ValueError(f"{move_id!r} has no {form} form")
    return done


@dataclass(frozen=True)
class Change:
    """What changes next time for one move: kind is up | at_max | mastered | easier | back_up | hold |
    parked | same."""

    kind: str
    move: str
    reps: int


def apply_session(catalog: Catalog, progress: dict[str, Any], items: list[dict[str, Any]],
                  at: float) -> tuple[dict[str, Any], list[Change]]:
    """The record after a routine ends (completed, or closed after it was left).

    Finished moves (all sets answered, or set aside because the easier form hurt) progress; a move
    that hurt starts on its easier form next time even if unfinished; anything else is unchanged.
    The session counts (sessions, last_session_at, history) only if a move finished.
    """
    new = copy.deepcopy(progress)
    finished = [item for item in items if item["status"] in ("done", "parked")]
    if finished:
        sets = [s for item in items for s in item["sets"]]
        new["sessions"] += 1
        new["last_session_at"] = at
        new["history"] = (new["history"] + [{
            "at": at, "moves": len(finished), "sets": len(sets),
            "pain_free": sum(s["result"] == "ok" for s in sets),
            "parked": sum(item["status"] == "parked" for item in items),
        }])[-HISTORY_KEPT:]
    changes: list[Change] = []
    for item in items:
        change = _outcome(catalog, new, item)
        if change is not None:
            changes.append(change)
        for done in item["sets"]:
            move_id = form_move_id(catalog, item["move"], done["form"])
            if move_id not in new["seen"]:
                new["seen"].append(move_id)
    return new, changes


def _outcome(catalog: Catalog, progress: dict[str, Any], item: dict[str, Any]) -> Change | None:
    move_id = item["move"]
    rec = record(catalog, progress, move_id)
    status, results = item["status"], [s["result"] for s in item["sets"]]
    if status == "parked":
        rec.update(form="easier", parked_at=progress["sessions"], at_max=0, mastered=False)
        kind = "parked"
    elif item["hurt"] or (status == "done" and item["dropped"]):
        rec.update(form="easier", parked_at=None, at_max=0, mastered=False)
        kind = "easier"
    elif status != "done":
        return None
    elif rec["mastered"]:
        kind = "same"
    elif all(r == "ok" for r in results):
        rec["parked_at"] = None
        if any(s["form"] == "easier" for s in item["sets"]):
            rec.update(form="full", at_max=0)
            kind = "back_up"
        elif rec["reps"] < catalog.move(move_id).reps[1]:
            rec.update(form="full", reps=rec["reps"] + 1, at_max=0)
            kind = "up"
        else:
            rec["at_max"] += 1
            rec["mastered"] = rec["at_max"] >= MASTERY_SESSIONS
            kind = "mastered" if rec["mastered"] else "at_max"
    else:
        rec.update(form="easier" if item["form"] == "easier" else "full", parked_at=None, at_max=0)
        kind = "hold"
    progress["moves"][move_id] = rec
    return Change(kind, move_id, rec["reps"])

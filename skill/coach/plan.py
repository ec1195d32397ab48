"""Today's plan from a person's progress: the article's "how to train", made precise.

- The plan is the first PLAN_SIZE ladder moves that are neither mastered nor resting (parked).
- A parked move rests for PARK_SESSIONS sessions, then returns on its easier form.
- If the ladder runs short, mastered moves (hardest first) come back at full reps, then resting ones.
- Pain must not climb the ladder: a move that is in the plan only because a parked move left a gap starts
  on its easier form, and a move whose easier form is itself a resting ladder move is left out.
- A plan item is plain JSON; `form` says which version is being done now: "full", "easier", or "outdoor"
  (the move's outdoor alternative, chosen for today only); `outdoors` records that the person said they
  are outside for this move, so "harder" from the easier form returns to the outdoor alternative.
"""
from __future__ import annotations

from typing import Any

from .catalog import Catalog, Move
from .progress import form_move_id, record

PLAN_SIZE = 4
PARK_SESSIONS = 3


def todays_plan(catalog: Catalog, progress: dict[str, Any]) -> list[dict[str, Any]]:
    active: list[str] = []
    mastered: list[str] = []
    resting: list[tuple[int, str]] = []
    for move_id in catalog.ladder:
        rec = record(catalog, progress, move_id)
        if rec["mastered"]:
            mastered.append(move_id)
        elif rec["parked_at"] is not None and progress["sessions"] - rec["parked_at"] < PARK_SESSIONS:
            resting.append((rec["parked_at"], move_id))
        else:
            active.append(move_id)
    resting_ids = {move_id for _, move_id in resting}
    # the plan as it would be with nothing resting: anything beyond it is filling a parked move's gap
    usual = set(([m for m in catalog.ladder if m not in mastered] + list(reversed(mastered)))[:PLAN_SIZE])
    safe = [m for m in active if m in usual or catalog.move(m).easier not in resting_ids]
    fill = list(reversed(mastered)) + [move_id for _, move_id in sorted(resting, key=lambda r: r[0])]
    chosen = (safe + [m for m in fill if m in usual or catalog.move(m).easier not in resting_ids])[:PLAN_SIZE]
    chosen.sort(key=catalog.ladder.index)
    items = []
    for move_id in chosen:
        item = new_item(catalog, move_id, record(catalog, progress, move_id))
        if move_id not in usual and item["form"] != "easier":
            switch_form(catalog, item, "easier")
        items.append(item)
    return items


def new_item(catalog: Catalog, move_id: str, rec: dict[str, Any]) -> dict[str, Any]:
    form = "easier" if rec["parked_at"] is not None else rec["form"]
    item = {
        "move": move_id, "form": form, "full_reps": rec["reps"], "reps": 0,
        "hurt": False, "dropped": False, "stepped_down": False, "outdoors": False, "sets": [], "status": "todo",
    }
    item["reps"] = reps_for(catalog, item)
    return item


def current_move(catalog: Catalog, item: dict[str, Any]) -> Move:
    return catalog.move(form_move_id(catalog, item["move"], item["form"]))


def reps_for(catalog: Catalog, item: dict[str, Any]) -> int:
    """The person's reps, kept inside the range of the form being done."""
    low, high = current_move(catalog, item).reps
    return max(low, min(high, item["full_reps"]))


def switch_form(catalog: Catalog, item: dict[str, Any], form: str) -> None:
    item["form"] = form
    item["reps"] = reps_for(catalog, item)


def step_down(catalog: Catalog, items: list[dict[str, Any]]) -> None:
    """A worse back: every move down one level (full or outdoor -> easier form; easier -> its fewest reps)."""
    for item in items:
        if item["form"] != "easier":
            switch_form(catalog, item, "easier")
        else:
            item["reps"] = current_move(catalog, item).reps[0]
        item["stepped_down"] = True

"""Today's plan from a person's progress: the article's "how to train", made precise.

- The plan holds PLAN_SIZE ladder moves, easiest first: the moves in progress (started, not mastered, not
  resting), then new moves -- all four at the very start, then one at a time (NEW_MOVES_PER_SESSION), so a
  move joins only when one has been mastered and the person has had a session to settle.
- Short of moves, mastered ones come back at full reps (hardest first), then resting ones.
- A parked move rests PARK_SESSIONS sessions, then returns on its easier form.
- Pain must not climb the ladder: a move that is in the plan only because a parked move left a gap starts on
  its easier form the first time (after that its own record decides), and a move whose easier form is itself
  a resting ladder move is left out.
"""
from __future__ import annotations

from .catalog import Catalog, Move
from .progress import record
from .rules import NEW_MOVES_PER_SESSION, PARK_SESSIONS, PLAN_SIZE, SETS, SHORT_SETS
from .state import Form, Item, Progress


def todays_plan(catalog: Catalog, progress: Progress, short: bool = False) -> list[Item]:
    chosen = _choose(catalog, progress, resting=_resting(catalog, progress))
    usual = set(_choose(catalog, progress, resting=set()))
    items = []
    for move_id in sorted(chosen, key=catalog.ladder.index):
        rec = record(catalog, progress, move_id)
        form = Form.EASIER if rec.parked_at is not None else rec.form
        if move_id not in usual and rec.started is None:
            form = Form.EASIER          # filling a parked move's gap, first time: no climbing while in pain
        item = Item(move=move_id, form=form, full_reps=rec.reps, planned=SHORT_SETS if short else SETS)
        item.reps = reps_for(catalog, item)
        items.append(item)
    return items


def _resting(catalog: Catalog, progress: Progress) -> set[str]:
    return {move_id for move_id in catalog.ladder
            if (rec := record(catalog, progress, move_id)).parked_at is not None
            and progress.sessions - rec.parked_at < PARK_SESSIONS}


def _choose(catalog: Catalog, progress: Progress, resting: set[str]) -> list[str]:
    records = {move_id: record(catalog, progress, move_id) for move_id in catalog.ladder}
    # a first plan takes its moves all at once; after that, new moves join one at a time
    started_any = any(rec.started is not None for rec in records.values())
    allowance = NEW_MOVES_PER_SESSION if started_any else PLAN_SIZE
    chosen: list[str] = []
    for move_id, rec in records.items():
        if len(chosen) == PLAN_SIZE or move_id in resting or rec.mastered:
            continue
        if rec.started is None:
            if allowance == 0:
                continue
            allowance -= 1
        chosen.append(move_id)
    mastered = [m for m in reversed(catalog.ladder) if records[m].mastered and m not in resting]
    by_rest = sorted(resting, key=lambda m: records[m].parked_at or 0)
    for move_id in mastered + by_rest:
        if len(chosen) < PLAN_SIZE and move_id not in chosen:
            chosen.append(move_id)
    # never a move whose easier form is a ladder move that is resting (pain would climb back in)
    return [m for m in chosen if catalog.move(m).easier not in resting]


def current_move(catalog: Catalog, item: Item) -> Move:
    return catalog.move(form_move_id(catalog, item.move, item.form))


def form_move_id(catalog: Catalog, move_id: str, form: Form) -> str:
    """The move actually done for ladder move `move_id` on a plan form: full, easier or outdoor."""
    move = catalog.move(move_id)
    done = {Form.FULL: move.id, Form.EASIER: move.easier, Form.OUTDOOR: move.outdoor}[form]
    if done is None:
        raise ValueError(f"{move_id!r} has no {form} form")
    return done


def reps_for(catalog: Catalog, item: Item) -> int:
    """The person's reps, kept inside the range of the form being done."""
    move = current_move(catalog, item)
    low, high = move.reps if move.reps else (item.full_reps, item.full_reps)
    return max(low, min(high, item.full_reps))


def switch_form(catalog: Catalog, item: Item, form: Form) -> None:
    item.form = form
    item.reps = reps_for(catalog, item)


def step_down(catalog: Catalog, items: list[Item]) -> None:
    """A worse back: every move down one level (full or outdoor -> easier form; easier -> its fewest reps)."""
    for item in items:
        if item.form != Form.EASIER:
            switch_form(catalog, item, Form.EASIER)
        else:
            item.reps = current_move(catalog, item).reps[0]
        item.stepped_down = True

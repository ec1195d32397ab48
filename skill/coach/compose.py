"""What the coach says: speech segments built from the catalogue, the phrases and the state.

Pure functions of their arguments (the only thing they change is the phrase-variant counters in `Words`).
Transitions (skill.coach.machine and actions) decide *what happens*; this module decides *how it sounds*.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from .catalog import Catalog, Move
from .phrasebook import Phrases
from .plan import current_move, form_move_id
from .progress import Change, tempo
from .rules import ANSWER_SECONDS, POSITION_SECONDS, SIDE_SWITCH_SECONDS
from .speech import Budget, Card, Count, Countdown, CountIn, Mark, NoLimit, Pause, Segment, Text
from .state import Form, Item, Kind, Offer, Phase, Progress, Result, Routine, Sent, State, Status
from .numbers import number_word
from .timing import duration


class Words:
    """Phrases with this session's variant counters (the same praise never comes twice in a row)."""

    def __init__(self, phrases: Phrases, said: dict[str, int]) -> None:
        self.phrases, self.said = phrases, said

    def say(self, key: str, **values: object) -> str:
        return self.phrases.text(key, **values)

    def vary(self, key: str, **values: object) -> str:
        n = self.said.get(key, 0)
        self.said[key] = n + 1
        return self.phrases.text(key, n, **values)

    def plural(self, unit: str, n: int) -> str:
        return self.phrases.plural(unit, n)

    def join(self, names: Sequence[str]) -> str:
        return self.phrases.join(names)


def word(n: int | float) -> str:
    """A number as the coach says it; a tempo such as 2.5 as digits (never on the grid today)."""
    return number_word(int(n)) if int(n) == n and 0 <= n < 100 else str(n)


# -- a response under construction, with its timeline -----------------------------------------------------
@dataclass
class Timeline:
    segments: list[Segment] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)           # cues, waits, count-ins, the question
    counts: list[tuple[float, int, str | None, Count]] = field(default_factory=list)   # where each count starts
    sets: list[list[float]] = field(default_factory=list)    # [set, count starts, last rep ends]
    at: float = 0.0

    def add(self, segment: Segment, kind: str | None = None, set_no: int = 0, side: str | None = None) -> None:
        length = duration(segment)
        if kind is not None:
            self.marks.append(Mark(round(self.at, 3), kind, set_no, side, 0, round(length, 3)))
        if isinstance(segment, Count):
            self.counts.append((self.at, set_no, side, segment))
        self.segments.append(segment)
        self.at += length

    def all_marks(self) -> tuple[Mark, ...]:
        """Every mark in time order, a rep's when its number is heard (made only for the response sent)."""
        reps = [Mark(round(at + rep * count.tempo, 3), "rep", set_no, side, rep, count.tempo)
                for at, set_no, side, count in self.counts for rep in range(1, count.reps + 1)]
        return tuple(sorted(self.marks + reps, key=lambda m: m.at))

    def text(self, text: str, kind: str | None = None, set_no: int = 0) -> None:
        if text:
            self.add(Text(text), kind, set_no)

    def after(self, seconds: float) -> Timeline:
        """This timeline placed `seconds` into a response (what is said before it)."""
        shift = lambda x: round(x + seconds, 3)  # noqa: E731
        marks = [Mark(shift(m.at), m.kind, m.set, m.side, m.rep, m.seconds) for m in self.marks]
        counts = [(at + seconds, set_no, side, count) for at, set_no, side, count in self.counts]
        sets = [[n, shift(start), shift(end)] for n, start, end in self.sets]
        return Timeline(list(self.segments), marks, counts, sets, self.at + seconds)

    def copy(self) -> Timeline:
        return Timeline(list(self.segments), list(self.marks), list(self.counts), [list(s) for s in self.sets],
                        self.at)

    def sent(self, at: float) -> Sent:
        return Sent(at=at, length=round(self.at, 3), sets=[list(s) for s in self.sets])


@dataclass
class Block:
    """A move's sets, as many as fit one response: ends with the move's question, or splits ("ready for set
    three?") when the rest would not fit."""

    timeline: Timeline
    first: int
    last: int
    ends_move: bool


def merge(segments: Sequence[Segment]) -> tuple[Segment, ...]:
    """Join neighbouring Text segments, so each spoken stretch is one segment."""
    merged: list[Segment] = []
    for segment in segments:
        if isinstance(segment, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(f"{merged[-1].text} {segment.text}")
        else:
            merged.append(segment)
    return tuple(merged)


# -- a move's sets --------------------------------------------------------------------------------------------
def opening(words: Words, catalog: Catalog, routine: Routine, item: Item) -> str:
    """How a move is introduced the first time today: "First, X." / "Next, X." / "Last one: X." and where to be."""
    move = current_move(catalog, item)
    todo = [i for i, it in enumerate(routine.items) if it.status == Status.TODO]
    if routine.kind == Kind.EXTRA:
        key = "intro_extra"
    elif routine.index == 0 and not any(it.sets for it in routine.items):
        key = "intro_first"
    elif todo and routine.index == todo[-1]:
        key = "intro_last"
    else:
        key = "intro_next"
    return f"{words.say(key, name=move.name)} {move.cues[0]}"


def sets_block(catalog: Catalog, words: Words, progress: Progress, item: Item, *, lead: str, position: int | None,
               budget: Budget, base: int) -> Block:
    """The item's next sets from set len(item.sets)+1, after `lead` and (if given) time to get into position.
    `base` is the day's sets per move: a set beyond it (after pain) is "one more set"."""
    move = current_move(catalog, item)
    first, planned = len(item.sets) + 1, item.planned
    start = Timeline()
    start.text(lead, "cue")
    if position:
        start.add(Countdown(position, "position"), "position")

    def build(last: int) -> Timeline:
        tl = start.copy()
        for n in range(first, last + 1):
            _one_set(tl, catalog, words, progress, item, move, n, base)
            if n < planned:
                tl.text(words.say("rest", seconds=word(move.rest)))
                tl.add(Countdown(move.rest, "rest"), "rest", n)
        if last == planned:
            tl.text(words.say("pain_question"), "question")
        else:
            tl.text(words.say("split_question", n=word(last + 1)), "question")
        return tl

    # all the move's sets if they fit (by far the usual case), else as many as fit, at least one
    last = planned
    block = build(last)
    while last > first and not budget.fits(merge(block.segments)):
        last -= 1
        block = build(last)
    return Block(block, first, last, last == planned)


def _one_set(tl: Timeline, catalog: Catalog, words: Words, progress: Progress, item: Item, move: Move, n: int,
             base: int) -> None:
    head = [words.say("set_start", n=word(n), total=word(base)) if n <= base else words.say("one_more_set")]
    on_form_before = any(s.form == item.form for s in item.sets) or n > len(item.sets) + 1
    if not on_form_before and move.id not in progress.seen:
        head.append(move.cues[1])
    elif n == 2 and len(move.cues) > 2:
        head.append(move.cues[2])
    count = Count(item.reps, tempo(catalog, progress, move.id))
    if move.sides:
        head.append(words.say("left_side"))
    tl.text(" ".join(head), "cue", n)
    tl.add(CountIn(), "count_in", n)
    begins = tl.at
    tl.add(count, None, n, "left" if move.sides else None)
    if move.sides:
        tl.text(words.say("switch_sides"), "switch", n)
        tl.add(Pause(SIDE_SWITCH_SECONDS))
        tl.text(words.say("right_side"))
        tl.add(count, None, n, "right")
    tl.sets.append([n, round(begins, 3), round(tl.at, 3)])


def stretch_block(catalog: Catalog, words: Words, progress: Progress, routine: Routine, *, lead: str) -> Timeline:
    """One stretch: where to be, time to get there, the stretch itself, and "Did that feel okay?"."""
    move = catalog.move(routine.items[routine.index].move)
    key = "stretch_intro_first" if routine.index == 0 else "stretch_intro_next"
    tl = Timeline()
    tl.text(" ".join(p for p in (lead, words.say(key, name=move.name), move.cues[0]) if p), "cue")
    tl.add(Countdown(POSITION_SECONDS, "position"), "position")
    if move.counted:
        tl.text(move.cues[1], "cue", 1)
        tl.add(CountIn(), "count_in", 1)
        begins = tl.at
        tl.add(Count(move.reps[0], tempo(catalog, progress, move.id)), None, 1)
    elif not move.sides:
        tl.text(move.cues[1], "cue", 1)
        begins = tl.at
        tl.add(Countdown(move.hold, "hold"), "hold", 1)
    else:
        tl.text(f"{words.say('left_side')} {move.cues[1]}", "cue", 1)
        begins = tl.at
        tl.add(Countdown(move.hold, "hold"), "hold", 1, "left")
        tl.text(words.say("switch_sides"), "switch", 1)
        tl.add(Pause(SIDE_SWITCH_SECONDS))
        tl.text(words.say("right_side"))
        tl.add(Countdown(move.hold, "hold"), "hold", 1, "right")
    tl.sets.append([1, round(begins, 3), round(tl.at, 3)])
    tl.text(words.say("stretch_question"), "question")
    return tl


# -- how long things take ----------------------------------------------------------------------------------------
def minutes(catalog: Catalog, words: Words, progress: Progress, items: Sequence[Item]) -> int:
    """The session's length, estimated from the speech it will be (unsplit), plus a few seconds per answer."""
    quiet = Words(words.phrases, {})
    total = 0.0
    for item in items:
        todo = dataclasses.replace(item, sets=list(item.sets))
        if len(todo.sets) >= todo.planned:
            continue
        block = sets_block(catalog, quiet, progress, todo, lead="", position=POSITION_SECONDS, budget=NoLimit(),
                           base=todo.planned)
        total += block.timeline.at + ANSWER_SECONDS
    return max(1, math.ceil(total / 60))


def stretch_minutes(catalog: Catalog, words: Words, progress: Progress, stretch_ids: Sequence[str]) -> int:
    quiet = Words(words.phrases, {})
    routine = Routine(Kind.STRETCHES, 0.0, 0, [Item(move=m) for m in stretch_ids])
    total = 0.0
    for i in range(len(stretch_ids)):
        routine.index = i
        total += stretch_block(catalog, quiet, progress, routine, lead="").at + ANSWER_SECONDS
    return max(1, math.ceil(total / 60))


def plan_summary(catalog: Catalog, words: Words, progress: Progress, items: Sequence[Item]) -> str:
    names = words.join([current_move(catalog, item).name for item in items])
    sets = {item.planned for item in items}
    reps = {item.reps for item in items}
    about = words.plural("minute", minutes(catalog, words, progress, items))
    set_words = words.plural("set", sets.pop()) if len(sets) == 1 else words.say("some_sets")
    if len(reps) == 1:
        return words.say("plan_same", moves=words.plural("move", len(items)), names=names, sets=set_words,
                         reps=word(reps.pop()), minutes=about)
    return words.say("plan_mixed", moves=words.plural("move", len(items)), names=names, sets=set_words,
                     minutes=about)


# -- what each phase asks, and its re-prompt ----------------------------------------------------------------------
def prompt(catalog: Catalog, words: Words, state: State) -> tuple[str, str]:
    """The question a phase asks (when entered afresh or repeated) and its re-prompt."""
    session, phase = state.session, state.phase
    if phase == Phase.OFFER:
        return offer_prompt(catalog, words, state)
    if phase == Phase.CHECKED:
        return words.say("checked_question"), words.say("checked_reprompt")
    if phase == Phase.BACK_CHECK:
        return words.say("back_check"), words.say("back_check_reprompt")
    if phase == Phase.RESUME:
        routine = session.routine
        item = routine.items[routine.index]
        if routine.kind == Kind.STRETCHES:
            ask = words.say("confirm_resume_stretch", name=catalog.move(item.move).name)
        else:
            ask = words.say("confirm_resume", name=current_move(catalog, item).name, n=word(len(item.sets) + 1))
        return ask, words.say("confirm_resume_reprompt")
    if phase == Phase.READY:
        item = session.routine.items[session.routine.index]
        n = word(len(item.sets) + 1)
        return words.say("split_question", n=n), words.say("split_reprompt", n=n)
    if phase == Phase.MOVING:
        name = current_move(catalog, session.routine.items[session.routine.index]).name
        return words.say("pain_question_named", name=name), words.say("pain_reprompt", name=name)
    if phase == Phase.RATING:
        return words.say("rating_question"), words.say("rating_reprompt")
    if phase == Phase.STRETCH:
        return words.say("stretch_question"), words.say("stretch_reprompt")
    if phase == Phase.PAUSED:
        name = current_move(catalog, session.routine.items[session.routine.index]).name \
            if session.routine.kind != Kind.STRETCHES else catalog.move(session.routine.items[session.routine.index].move).name
        return words.say("paused_at", name=name), words.say("paused_reprompt")
    if phase == Phase.CONFIRM_SKIP:
        name = catalog.move(session.routine.items[session.routine.index].move).name
        return words.say("skip_confirm", name=name), words.say("skip_confirm_reprompt", name=name)
    if phase == Phase.FORGET:
        return words.say("forget_confirm"), words.say("forget_confirm_reprompt")
    return words.say("idle_prompt"), words.say("idle_prompt")


def offer_prompt(catalog: Catalog, words: Words, state: State) -> tuple[str, str]:
    offer = state.session.offer
    if offer in (Offer.STRETCHES, Offer.STRETCHES_INSTEAD):
        ids, _ = stretch_ids(catalog, state.progress)
        values = {"stretches": words.plural("the_stretch", len(ids)),
                  "minutes": words.plural("minute", stretch_minutes(catalog, words, state.progress, ids))}
        return words.say(f"offer_{offer}", **values), words.say(f"offer_{offer}_reprompt")
    if offer == Offer.CARRY_ON:
        routine = state.session.suspended
        name = current_move(catalog, routine.items[routine.index]).name
        return words.say("offer_carry_on", name=name), words.say("offer_carry_on_reprompt")
    return words.say(f"offer_{offer}"), words.say(f"offer_{offer}_reprompt")


def stretch_ids(catalog: Catalog, progress: Progress) -> tuple[list[str], bool]:
    """The stretches to offer, and whether they were all set aside before (then all are offered)."""
    kept = [s for s in catalog.stretches if s not in progress.skip_stretches]
    return (kept, False) if kept else (list(catalog.stretches), True)


def help_text(catalog: Catalog, words: Words, state: State) -> str:
    phase, session = state.phase, state.session
    key = f"help_{phase}"
    if phase == Phase.OFFER:
        key = f"help_offer_{session.offer}"
    elif phase in (Phase.MOVING, Phase.READY):
        item = session.routine.items[session.routine.index]
        if item.form == Form.FULL and catalog.move(item.move).outdoor is not None:
            key = f"help_{phase}_outdoor"     # "I'm outside" only where it changes something
    return words.say(key)


def hint(catalog: Catalog, words: Words, state: State, level: int) -> str:
    """Unexpected words: a short hint for this step, then what can be said, then (in a routine) offer a pause."""
    if level <= 1:
        return f"{words.say('unexpected')} {prompt(catalog, words, state)[1]}"
    if level == 2:
        return help_text(catalog, words, state)
    in_routine = state.session is not None and state.session.routine is not None
    return words.say("offer_pause" if in_routine else "offer_stop")


# -- reports ---------------------------------------------------------------------------------------------------------
def summary(catalog: Catalog, words: Words, items: Sequence[Item], changes: Sequence[Change], joining: Sequence[str],
            pain: bool, checkup: bool) -> tuple[list[str], Card]:
    """The end-of-routine summary (spoken sentences) and the card with the same content."""
    sets = [s for item in items for s in item.sets if s.result != Result.PENDING]
    done = sum(1 for item in items if item.sets)
    if sets:
        spoken = [words.say("summary_head", moves=words.plural("move", done),
                            ok=word(sum(s.result == Result.OK for s in sets)), total=word(len(sets)))]
    else:
        spoken = [words.say("summary_empty")]
    next_time = change_sentences(catalog, words, changes, joining)
    advice = [words.say("checkup_advice")] if checkup else []
    advice += [words.say("keep_runs_easy")] if pain or checkup else []
    lines = [card_line(catalog, words, item) for item in items]
    card = Card(words.say("card_title"), "\n".join(lines + [""] + next_time + advice).strip())
    return spoken + next_time + advice, card


# The order in which the summary reports what changes next time, and the phrase for each.
_CHANGE_ORDER = ("mastered", "up", "at_max", "back_up", "today", "hold", "easier", "parked")
_WITH_REPS = frozenset({"up", "at_max", "hold", "today"})


def change_sentences(catalog: Catalog, words: Words, changes: Sequence[Change], joining: Sequence[str]) -> list[str]:
    groups: dict[tuple[str, int], list[str]] = {}
    for change in changes:
        if change.kind in _CHANGE_ORDER:
            reps = change.reps if change.kind in _WITH_REPS else 0
            groups.setdefault((change.kind, reps), []).append(catalog.move(change.move).name)
    sentences = []
    for kind in _CHANGE_ORDER:
        for (group_kind, reps), names in groups.items():
            if group_kind != kind:
                continue
            key = f"next_{kind}" + ("_many" if len(names) > 1 and kind != "mastered" else "")
            values: dict[str, object] = {"names": words.join(names)}
            if kind in _WITH_REPS:
                values["reps"] = word(reps)
            sentences.append(words.say(key, **values))
        if kind == "mastered" and joining:
            names = [catalog.move(move_id).name for move_id in joining]
            key = "next_joins_many" if len(names) > 1 else "next_joins"
            sentences.append(words.say(key, names=words.join(names)))
    return sentences


def card_line(catalog: Catalog, words: Words, item: Item) -> str:
    move = catalog.move(item.move)
    if item.status == Status.PARKED:
        return words.say("card_parked", name=move.name)
    answered = [s for s in item.sets if s.result != Result.PENDING]
    if not answered:
        return words.say("card_skipped", name=move.name)
    ok, done = sum(s.result == Result.OK for s in answered), len(answered)
    for form, key in ((Form.EASIER, "card_line_easier"), (Form.OUTDOOR, "card_line_outdoor")):
        if any(s.form == form for s in answered):
            variant = catalog.move(form_move_id(catalog, move.id, form)).name
            return words.say(key, name=move.name, variant=variant, ok=ok, done=done, reps=item.reps)
    return words.say("card_line", name=move.name, ok=ok, done=done, reps=item.reps)


def progress_report(catalog: Catalog, words: Words, state: State, plan: Sequence[Item]) -> list[str]:
    """"How am I doing": sessions and levels, and today so far when a routine is under way."""
    progress, session = state.progress, state.session
    routine = session.suspended or session.routine if session is not None else None
    today = []
    if routine is not None and routine.kind == Kind.STRENGTH:
        answered = [s for item in routine.items for s in item.sets if s.result != Result.PENDING]
        if answered:
            today = [words.say("progress_today", ok=word(sum(s.result == Result.OK for s in answered)),
                               total=word(len(answered)))]
    if progress.sessions == 0:
        if routine is not None:
            return [words.say("progress_first")] + today
        return [words.say("progress_none")]
    levels = []
    for item in plan:
        name = catalog.move(item.move).name
        if item.form == Form.FULL:
            levels.append(words.say("level_full", name=name, reps=word(item.reps)))
        else:
            levels.append(words.say("level_easier", name=name))
    report = [words.say("progress_sessions", sessions=words.plural("session", progress.sessions)),
              words.say("progress_levels", levels=words.join(levels))]
    mastered = [catalog.move(m).name for m in catalog.ladder if (rec := progress.moves.get(m)) and rec.mastered]
    if mastered:
        report.append(words.say("progress_mastered", names=words.join(mastered)))
    return report + today

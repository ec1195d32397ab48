"""What each row of the transition table does to the state, and what it says first.

An action changes the turn's working copy and returns the phase it leads to when its row allows more than
one (the table lists them); it never builds the response itself -- the machine adds the next phase's speech.
Returned pseudo-phases: SETS (the move's next sets: MOVING, or READY when the move is split), STAY, END.
"""
from __future__ import annotations

from collections.abc import Callable

from .catalog import tempo_step
from .compose import help_text, hint, minutes as compose_minutes, opening, plan_summary, progress_report, \
    stretch_minutes, word
from .plan import current_move, step_down, switch_form, todays_plan
from .progress import tempo
from .rules import (CHECK_AFTER_SECONDS, EASIER_MAX, EXTRA_SETS, HOLD_MAX, MISSES_BEFORE_PAUSE, PAIN_FREE_MAX,
                    POSITION_SECONDS, RECENT_SECONDS, SETS, SHORT_SETS, WAIT_SECONDS)
from .speech import Card
from .state import Form, Item, Kind, Offer, Phase, Result, Routine, SetDone, Status, Then
from .turn import Turn

SETS_NEXT, STAY, END = "sets", "stay", "end"
Next = Phase | str | None

# -- starting -----------------------------------------------------------------------------------------------------
def greeting(t: Turn, welcome_back: bool) -> list[str]:
    """Welcome, and the safety note (once ever)."""
    if not t.progress.safety_note_given:
        t.progress.safety_note_given = True
        return [t.say("welcome_new"), t.say("safety")]
    return [t.say("welcome_back")] if welcome_back else []


def launch(t: Turn) -> Next:
    if t.routine is not None:
        t.add(t.say("welcome_back"))
        return offer_resume(t)
    t.add(*greeting(t, welcome_back=True))
    if t.progress.checkup_pending:
        t.new_session(Phase.CHECKED, then=Then.OFFER)
        return Phase.CHECKED
    if _back_check_due(t):            # the check is the first question: no "shall we start?" before it
        t.new_session(Phase.BACK_CHECK, then=Then.ROUTINE)
        return Phase.BACK_CHECK
    t.new_session(Phase.OFFER, offer=Offer.ROUTINE)
    return Phase.OFFER


def _back_check_due(t: Turn) -> bool:
    last = t.progress.last_session_at
    return last is not None and CHECK_AFTER_SECONDS <= t.now - last <= RECENT_SECONDS


def offer_resume(t: Turn) -> Next:
    """A routine left unfinished: its open question again, or "shall we carry on?"."""
    if t.routine.kind != Kind.STRETCHES and t.phase == Phase.RATING:
        return Phase.RATING          # "how much did it hurt?" was left open: ask it
    if t.routine.kind != Kind.STRETCHES and t.phase == Phase.MOVING and len(t.item.sets) >= t.item.planned:
        t.follow = "prompt"
        return Phase.MOVING          # sets done, answer still open: ask it
    return Phase.RESUME


def start_routine(t: Turn) -> Next:
    routine, session = t.routine, t.session
    if routine is not None and routine.kind == Kind.STRENGTH:
        return offer_resume(t)
    if session is not None and session.suspended is not None:
        return carry_on(t)
    stretched = routine is not None and routine.kind == Kind.STRETCHES and routine.then_routine
    t.add(*greeting(t, welcome_back=False))
    value = t.event.value
    minutes = value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None
    return begin_routine(t, short=value == "short" or minutes is not None, stretched=stretched, minutes=minutes)


def begin_routine(t: Turn, short: bool, stretched: bool = False, minutes: int | None = None) -> Next:
    then = Then.SHORT if short else Then.ROUTINE
    if t.progress.checkup_pending:
        t.new_session(Phase.CHECKED, then=then, minutes=minutes)
        return Phase.CHECKED
    if _back_check_due(t):
        t.new_session(Phase.BACK_CHECK, then=then, minutes=minutes)
        return Phase.BACK_CHECK
    return begin_plan(t, short, worse=False, stretched=stretched, minutes=minutes)


def begin_plan(t: Turn, short: bool, worse: bool, stretched: bool = False, minutes: int | None = None) -> Next:
    items, short = _fitting_plan(t, short, minutes)
    ease = t.session is not None and t.session.ease
    if worse or ease:
        step_down(t.catalog, items)
    if ease and not worse:
        t.add(t.say("ease_after_check"))
    routine = Routine(Kind.STRENGTH, t.now, 0, items, short=short, stretched=stretched)
    t.new_session(Phase.MOVING, routine=routine, ease=False)
    t.add(plan_summary(t.catalog, t.words, t.progress, items))
    return SETS_NEXT


def _fitting_plan(t: Turn, short: bool, minutes: int | None):
    """Today's plan; with a time given, the full one if it fits, else the short one, else fewer moves of it."""
    if minutes is None:
        return todays_plan(t.catalog, t.progress, short=short), short
    full = todays_plan(t.catalog, t.progress)
    if compose_minutes(t.catalog, t.words, t.progress, full) <= minutes:
        return full, False
    items = todays_plan(t.catalog, t.progress, short=True)
    while len(items) > 1 and compose_minutes(t.catalog, t.words, t.progress, items) > minutes:
        items.pop()
    return items, True


def back_feel(t: Turn) -> Next:
    feeling = t.event.value if t.event.kind == "back_feel" else "worse"   # "it hurts" at the check: worse
    if feeling not in ("better", "same", "worse"):
        return unexpected(t)
    worse = feeling == "worse"
    t.progress.worse_checks = t.progress.worse_checks + 1 if worse else 0
    t.add(t.say(f"back_{feeling}"))
    if t.progress.worse_checks >= 2:
        t.add(t.say("checkup_advice"))
    return begin_plan(t, short=t.session.then == Then.SHORT, worse=worse, minutes=t.session.minutes)


def checked_yes(t: Turn) -> Next:
    t.progress.checkup_pending = False
    then = t.session.then
    t.session.ease = True
    t.add(t.say("checked_yes"))
    if then in (Then.ROUTINE, Then.SHORT):
        return begin_routine(t, short=then == Then.SHORT, minutes=t.session.minutes)
    if then in (Then.STRETCHES, Then.STRETCHES_FIRST):
        return begin_stretches(t, first=then == Then.STRETCHES_FIRST)
    if then == Then.EXTRA:
        return begin_extra(t)
    t.new_session(Phase.OFFER, offer=Offer.ROUTINE)
    return Phase.OFFER


def checked_no(t: Turn) -> Next:
    t.state.session = None
    t.end(t.say("checked_no"))
    return END


def start_stretches(t: Turn) -> Next:
    routine = t.routine
    if routine is not None and routine.kind == Kind.STRETCHES:
        return offer_resume(t)
    return begin_stretches(t, first=t.event.value == "first" and routine is None)


def begin_stretches(t: Turn, first: bool) -> Next:
    if t.progress.checkup_pending:
        t.new_session(Phase.CHECKED, then=Then.STRETCHES_FIRST if first else Then.STRETCHES)
        return Phase.CHECKED
    suspended = _set_aside(t)
    ids, all_again = t.stretch_list()
    routine = Routine(Kind.STRETCHES, t.now, 0, [Item(move=m, planned=1) for m in ids], then_routine=first)
    t.new_session(Phase.STRETCH, routine=routine, suspended=suspended)
    if suspended is not None:
        t.add(t.say("stretches_mid_routine"))
    if all_again:
        t.add(t.say("stretches_all_again"))
    return Phase.STRETCH


def _set_aside(t: Turn):
    """A strength routine under way waits while the stretches or an extra are done."""
    session = t.session
    if session is None:
        return None
    if session.routine is not None and session.routine.kind == Kind.STRENGTH:
        return session.routine
    return session.suspended


def start_extra(t: Turn) -> Next:
    if t.event.value not in t.catalog.extras:
        return unexpected(t)
    if t.routine is not None and t.routine.kind == Kind.EXTRA:
        return offer_resume(t)
    if t.progress.checkup_pending:
        t.new_session(Phase.CHECKED, then=Then.EXTRA)
        return Phase.CHECKED
    return begin_extra(t)


def begin_extra(t: Turn) -> Next:
    suspended = _set_aside(t)
    move = t.catalog.move(t.catalog.extras["upper_back"])
    item = Item(move=move.id, full_reps=move.reps[0], reps=move.reps[0], planned=EXTRA_SETS)
    t.new_session(Phase.MOVING, routine=Routine(Kind.EXTRA, t.now, 0, [item]), suspended=suspended)
    t.add(t.say("extra_intro"))
    return SETS_NEXT


# -- offers ----------------------------------------------------------------------------------------------------------
def accept_offer(t: Turn) -> Next:
    offer = t.session.offer
    if offer in (Offer.STRETCHES, Offer.STRETCHES_INSTEAD):
        return begin_stretches(t, first=False)
    if offer == Offer.CARRY_ON:
        return carry_on(t)
    return begin_routine(t, short=False, stretched=offer == Offer.ROUTINE_NEXT)


def carry_on(t: Turn) -> Next:
    session = t.session
    session.routine, session.suspended = session.suspended, None
    return resume(t)


def decline_offer(t: Turn) -> Next:
    if t.session.offer == Offer.CARRY_ON:
        t.close_routine(at=t.now)
        t.end(t.say("leave_routine"))
        return END
    t.state.session = None
    t.end(t.say("goodbye"))
    return END


def feeling_at_offer(t: Turn) -> Next:
    """"My back is sore today" (worse) when a routine is offered: the stretches instead; "I'm good": yes."""
    if t.event.value == "worse":
        return hurts_rest(t)
    if t.phase == Phase.OFFER and t.event.value in ("better", "same"):
        return accept_offer(t)
    return unexpected(t)


def hurts_rest(t: Turn) -> Next:
    """"My back hurts" with no move under way: the safety advice, and the stretches (or a rest) instead."""
    offer = Offer.STRETCHES if t.session is not None and t.session.offer == Offer.STRETCHES else Offer.STRETCHES_INSTEAD
    t.new_session(Phase.OFFER, offer=offer)
    t.add(t.say("hurts_rest"))
    return Phase.OFFER


# -- resuming and starting over ----------------------------------------------------------------------------------------
def resume(t: Turn) -> Next:
    """Back to the routine: the stretch again, the open question, or the sets from the interrupted one."""
    routine = t.routine
    if routine.kind == Kind.STRETCHES:
        t.block_lead = t.say("resume_stretch")
        return Phase.STRETCH
    if len(t.item.sets) >= t.item.planned:
        return Phase.MOVING
    move = t.move_now()
    t.block_lead = f"{t.say('resume_at', name=move.name)} {move.cues[0]}"
    t.position = POSITION_SECONDS
    return SETS_NEXT


def resume_if_any(t: Turn) -> Next:
    if t.routine is None:
        t.keep(t.say("no_routine"))
        return STAY
    if t.session.suspended is not None and t.routine.kind != Kind.STRENGTH:
        return carry_on(t)
    return resume(t)


def leave_for_restart(t: Turn) -> Next:
    """No to "shall we carry on?": close the old routine and ask whether to start again or stop."""
    t.close_routine(at=t.now)
    t.new_session(Phase.OFFER, offer=Offer.RESTART)
    t.add(t.say("leave_routine"))
    return Phase.OFFER


def start_over(t: Turn) -> Next:
    """Today's routine again from the top, as the same session: nothing progresses twice in a day."""
    routine = t.routine
    if routine is None:
        return start_routine(t)
    if routine.kind == Kind.STRETCHES:
        return begin_stretches_again(t)
    if routine.kind == Kind.EXTRA:
        return begin_extra(t)
    for item in routine.items:
        item.sets = []
        item.planned = SHORT_SETS if routine.short else SETS
        if item.status != Status.PARKED:
            item.status = Status.TODO
    routine.index = next(i for i, item in enumerate(routine.items) if item.status == Status.TODO) \
        if any(item.status == Status.TODO for item in routine.items) else 0
    t.session.phase = Phase.MOVING
    t.add(t.say("start_over"))
    if all(item.status == Status.PARKED for item in routine.items):
        return t.complete()
    return SETS_NEXT


def begin_stretches_again(t: Turn) -> Next:
    first = t.routine.then_routine
    t.add(t.say("start_over_stretches"))
    t.state.session.routine = None
    return begin_stretches(t, first=first)


# -- answers about a move ----------------------------------------------------------------------------------------------
def _continuing(t: Turn) -> bool:
    """The sets still to do (an interruption, or an answer before the move's last set)."""
    return len(t.item.sets) < t.item.planned


def pain_free(t: Turn, lead: str | None = None) -> Next:
    """Yes (or good, done, a rating of 0-3): the sets answered so far were pain-free."""
    item = t.item
    if t.cut is not None and t.cut.completed < item.planned:
        t.add(t.say("carry_on_sets"))           # a yes spoken over the sets: back into them
        return SETS_NEXT
    t.pending_to(Result.OK)
    if _continuing(t):
        t.add(lead or t.vary("praise"))
        return SETS_NEXT
    item.status = Status.DONE
    t.add(lead or t.vary("praise"))
    if t.following():
        t.add(done_sentence(t))
    return t.advance()


def done_sentence(t: Turn) -> str:
    """Name what was actually done: the one form all sets were on, or the move "finished for today"."""
    forms = {s.form for s in t.item.sets}
    if len(forms) == 1:
        return t.say("move_done", name=current_move(t.catalog, Item(move=t.item.move, form=forms.pop())).name)
    return t.say("move_finished", name=t.ladder_name())


def held(t: Turn) -> Next:
    """A rating of 4-5: done, but no step up next time."""
    t.routine.pain = True
    t.pending_to(Result.HOLD)
    ack = t.vary("hold_ack", name=t.ladder_name())
    if _continuing(t):
        t.add(ack)
        return SETS_NEXT
    t.item.status = Status.DONE
    t.add(ack)
    return t.advance()


def hurt(t: Turn) -> Next:
    """Pain on a move (no, it hurt, a rating of 6-8, pain elsewhere): the rest of it on the easier version,
    at least one more set; already on the easier version, the move is set aside for today. The one pain rule.

    Spoken over the sets, the timeline says which set: the one in progress or just finished. Before the first
    rep of a move whose reply opened by finishing another ("Good. That's Superman done. Next, Beetle..."),
    it is about the move just done. Before any rep of this move, no set is counted at all."""
    item, cut = t.item, t.cut
    elsewhere = t.event.value == "elsewhere"
    lead = [t.vary("hurt_ack")] + ([t.say("hurt_elsewhere")] if elsewhere else [])
    if cut is not None and not cut.started:
        after = t.session.sent.after if t.session.sent is not None else None
        if after is not None and not item.sets:
            return _hurt_the_move_before(t, after, lead, elsewhere)
    elif cut is not None:
        if cut.uncertain:
            lead.append(t.say("assumed_set", n=word(cut.current)))
        t.pending_to(Result.OK)                  # the sets before it went by without a word
        if cut.current > len(item.sets):
            item.sets.append(SetDone(item.form, Result.PENDING))
        item.sets[cut.current - 1].result = Result.HOLD if elsewhere else Result.HURT
    elif t.phase == Phase.READY:                 # at a split: the set just done hurt
        pending = [s for s in item.sets if s.result == Result.PENDING]
        t.pending_to(Result.OK)
        if pending:
            pending[-1].result = Result.HOLD if elsewhere else Result.HURT
    else:
        t.pending_to(Result.HOLD if elsewhere else Result.HURT)
    if not elsewhere:
        t.routine.pain = True                    # the summary's "keep your runs easy" is about the back
    item.hurt = True
    if not _can_ease(t):
        item.status = Status.PARKED
        t.add(*lead, t.say("park_today", name=t.ladder_name()))
        return t.advance()
    item.dropped = True
    switch_form(t.catalog, item, Form.EASIER)
    item.planned = max(item.planned, len(item.sets) + 1)
    move = t.move_now()
    t.block_lead = " ".join(lead + [t.say("switch_easier", name=move.name), move.cues[0]])
    t.position = POSITION_SECONDS
    return SETS_NEXT


def _hurt_the_move_before(t: Turn, index: int, lead: list[str], elsewhere: bool) -> Next:
    """"That hurt" as the next move was being introduced: it was the move just answered."""
    before = t.routine.items[index]
    before.hurt = True
    if before.sets:
        before.sets[-1].result = Result.HOLD if elsewhere else Result.HURT
    if not elsewhere:
        t.routine.pain = True
    name = t.catalog.move(before.move).name
    t.block_lead = " ".join(lead + [t.say("hurt_before", name=name),
                                    opening(t.words, t.catalog, t.routine, t.item)])
    t.position = POSITION_SECONDS
    return SETS_NEXT


def rate(t: Turn) -> Next:
    rating = parse_rating(t.event.value)
    if rating is None:
        t.keep(t.say("pain_invalid"), follow="nothing")
        return STAY
    if rating <= PAIN_FREE_MAX:
        return pain_free(t)
    if t.cut is not None:
        _count_interrupted_set(t)
    if rating <= HOLD_MAX:
        return held(t)
    if rating <= EASIER_MAX:
        return hurt(t)
    return severe(t)


def _count_interrupted_set(t: Turn) -> None:
    """A rating spoken over a set: that set counts as done (once begun), the rating is about it."""
    if t.cut.started and t.cut.current > len(t.item.sets):
        t.item.sets.append(SetDone(t.item.form, Result.PENDING))
    t.cut = None


def severe(t: Turn) -> Next:
    """A rating of 9-10: stop the move, end the session with advice, and ask about a check-up next time."""
    item = t.item
    t.routine.pain = True
    t.pending_to(Result.HURT)
    item.hurt, item.status = True, Status.PARKED
    t.close_routine(at=t.now)
    t.progress.checkup_pending = True
    t.card = Card(t.say("advice_card_title"), t.say("severe_pain_card"))
    t.end(t.say("severe_pain"))
    return END


def hurts(t: Turn) -> Next:
    """"It hurt" -- or "a little", which asks how much first; so does "it's agony" (9-10 stops the session)."""
    if t.event.value == "severe":
        t.add(t.say("severe_check"))
        return ask_rating(t)
    return ask_rating(t) if t.event.value == "some" else hurt(t)


def ease_paused(t: Turn) -> Next:
    """Pain told while a routine waits ("Alexa, tell back coach that hurt" after a pause): it carries on, when
    it does, on the easier version -- or, already easier, without that move."""
    if t.event.kind == "pain":
        rating = parse_rating(t.event.value)
        if rating is None or rating <= HOLD_MAX:
            t.add(t.say("pain_invalid") if rating is None else t.vary("praise"))
            return Phase.RESUME
        if rating > EASIER_MAX:
            return severe(t)
    item = t.item
    if t.routine.kind == Kind.STRETCHES:
        return hurts_aside(t)
    t.routine.pain = t.event.value != "elsewhere"
    item.hurt = True
    lead = [t.vary("hurt_ack")]
    if _can_ease(t):
        item.dropped = True
        switch_form(t.catalog, item, Form.EASIER)
        t.add(*lead, t.say("switch_easier", name=t.move_now().name))
        return Phase.RESUME
    item.status = Status.PARKED
    t.add(*lead, t.say("park_today", name=t.ladder_name()))
    if t.following():
        t.routine.index = t.following()[0]
        return Phase.RESUME
    return t.complete()


def ask_rating(t: Turn) -> Next:
    """"A little", "kind of", "not great": how much, from zero to ten?"""
    if t.cut is not None:
        _count_interrupted_set(t)
    return Phase.RATING


def parse_rating(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdecimal():
        value = int(value.strip())
    return value if isinstance(value, int) and 0 <= value <= 10 else None


def good_answer(t: Turn) -> Next:
    """"Good", "fine", "done" after a move: pain-free; "not great", "sore": how much?"""
    if t.event.kind == "back_feel" and t.event.value == "worse":
        return ask_rating(t)
    return pain_free(t)


def skip(t: Turn) -> Next:
    """"Next" at the question: move on (unanswered, so no step up); mid-move: ask first."""
    if t.cut is None and not _continuing(t):
        t.pending_to(Result.HOLD)
        t.item.status = Status.DONE
        t.add(t.say("skip_unanswered", name=t.ladder_name()))
        return t.advance()
    return Phase.CONFIRM_SKIP


def skip_move(t: Turn) -> Next:
    t.item.status = Status.SKIPPED
    t.add(t.say("skip_move", name=t.ladder_name()))
    return t.advance()


def keep_going(t: Turn) -> Next:
    """"No" to skipping: back to the move -- from where to be, if none of it was done yet."""
    if not t.item.sets:
        move = t.move_now()
        t.block_lead = f"{t.say('carry_on_sets')} {t.say('resume_at', name=move.name)} {move.cues[0]}"
        t.position = POSITION_SECONDS
    else:
        t.add(t.say("carry_on_sets"))
    return SETS_NEXT


def go_on(t: Turn) -> Next:
    """Ready (or yes) at a split, or over the count-in: straight into the sets."""
    return SETS_NEXT


def _can_ease(t: Turn) -> bool:
    """Whether the move in hand has an easier form left (an extra has none)."""
    return t.item.form != Form.EASIER and t.catalog.move(t.item.move).easier is not None


def easier(t: Turn) -> Next:
    item = t.item
    if not _can_ease(t):
        if t.event.kind == "cant":
            item.status = Status.SKIPPED
            t.add(t.say("cant_leave", name=t.ladder_name()))
            return t.advance()
        t.keep(t.say("easier_already"))
        return STAY
    item.dropped = True
    if t.event.kind == "cant":
        t.add(t.say("cant_ack"))
    switch_form(t.catalog, item, Form.EASIER)
    return _switched(t, "switch_easier")


def _switched(t: Turn, key: str) -> Next:
    move = t.move_now()
    t.block_lead = " ".join(t.lead + [t.say(key, name=move.name), move.cues[0]])
    t.lead = []
    t.item.planned = max(t.item.planned, len(t.item.sets) + 1)
    t.position = POSITION_SECONDS
    return SETS_NEXT


def harder(t: Turn) -> Next:
    item = t.item
    if item.form == Form.FULL:
        t.keep(t.say("harder_already"))
        return STAY
    if item.form == Form.OUTDOOR:
        t.keep(t.say("harder_outdoor"))
        return STAY
    if item.hurt:
        t.keep(t.say("harder_blocked"))
        return STAY
    item.dropped = False
    switch_form(t.catalog, item, Form.OUTDOOR if item.outdoors else Form.FULL)
    return _switched(t, "harder_to_outdoor" if item.outdoors else "harder_switch")


def outdoors(t: Turn) -> Next:
    """Switch the remaining sets to the move's outdoor alternative (same level), for today."""
    item = t.item
    if t.catalog.move(item.move).outdoor is None:
        t.keep(t.say("works_anywhere"))
        return STAY
    if item.form == Form.OUTDOOR:
        t.keep(t.say("outdoor_already"))
        return STAY
    if item.form == Form.EASIER:
        t.keep(t.say("outdoor_easier", name=t.move_now().name))
        return STAY
    item.outdoors = True
    switch_form(t.catalog, item, Form.OUTDOOR)
    return _switched(t, "switch_outdoor")


def lost_count(t: Turn) -> Next:
    cut = t.cut
    if cut is not None and cut.started and cut.current > cut.completed:
        t.add(t.say("lost_count_redo", n=word(cut.current)))     # mid-set: that set again, counted
        return SETS_NEXT
    if cut is not None and _continuing(t):
        t.add(t.say("lost_count_done"))                          # in a rest: that set was done
        return SETS_NEXT
    t.keep(t.say("lost_count_done"), follow="prompt")
    return STAY


def change_tempo(t: Turn) -> Next:
    step = 1 if t.event.kind == "slower" else -1
    move = t.move_now() if t.routine is not None else None
    if move is None or not move.counted:
        t.keep(t.say("no_count"))
        return STAY
    new = tempo_step(move, tempo(t.catalog, t.progress, move.id), step)
    if new is None:
        t.keep(t.say("slowest" if step > 0 else "fastest"))
        return STAY
    t.progress.tempo[move.id] = new
    changed = t.say("slower" if step > 0 else "faster", seconds=word(new))
    if t.routine.kind == Kind.STRETCHES:
        t.add(changed, t.say("tempo_next_time"))
        return STAY
    if t.phase in (Phase.MOVING, Phase.READY) and _continuing(t):
        t.add(changed)
        return SETS_NEXT
    t.add(changed, t.say("tempo_next_time"))
    return STAY


# -- stretches ---------------------------------------------------------------------------------------------------------
def stretch_ok(t: Turn) -> Next:
    if t.event.kind == "back_feel" and t.event.value == "worse":
        return stretch_not_ok(t)
    t.add(t.vary("praise"))
    return next_stretch(t)


def stretch_not_ok(t: Turn) -> Next:
    if t.item.move not in t.progress.skip_stretches:
        t.progress.skip_stretches.append(t.item.move)
    t.add(t.say("stretch_skip_next"))
    return next_stretch(t)


def stretch_rating(t: Turn) -> Next:
    rating = parse_rating(t.event.value)
    if rating is None:
        t.keep(t.say("pain_invalid"), follow="nothing")
        return STAY
    return stretch_ok(t) if rating <= PAIN_FREE_MAX else stretch_not_ok(t)


def skip_stretch(t: Turn) -> Next:
    t.item.status = Status.SKIPPED
    t.add(t.say("skip_stretch", name=t.move_now().name))
    return t.advance()


def next_stretch(t: Turn) -> Next:
    t.item.status = Status.DONE
    if t.item.move not in t.progress.seen:
        t.progress.seen.append(t.item.move)
    return t.advance()


# -- stopping, pausing, leaving ------------------------------------------------------------------------------------------
def pause(t: Turn) -> Next:
    """Over the time to get into position, "wait" buys more time; anywhere else it pauses the routine."""
    cut = t.cut
    if cut is not None and not cut.started and t.routine is not None and t.routine.kind != Kind.STRETCHES:
        move = t.move_now()
        t.block_lead = f"{t.say('wait_more', seconds=word(WAIT_SECONDS), name=move.name)} {move.cues[0]}"
        t.position = WAIT_SECONDS
        return SETS_NEXT
    return leave(t, t.say("pause"))


def stop(t: Turn) -> Next:
    return leave(t, t.say("stop_saved"))


def session_ended(t: Turn) -> Next:
    return leave(t)


def leave(t: Turn, *words: str) -> Next:
    """Keep a routine resumable; anything else (an offer, a question) just ends."""
    if t.routine is None:
        t.state.session = None
        t.end(t.say("goodbye") if words else "")
        return END
    t.end(*words)
    if t.phase == Phase.RATING or (t.phase == Phase.MOVING and t.routine.kind != Kind.STRETCHES
                                   and not _continuing(t)):
        return STAY                              # the sets are done: the question stays open
    if t.phase == Phase.STRETCH and t.cut is None:
        return STAY
    return Phase.PAUSED


def goodbye(t: Turn) -> Next:
    t.unchanged = True
    t.end(t.say("goodbye"))
    return STAY


def silent(t: Turn) -> Next:
    t.unchanged = True
    t.end()
    return STAY


def red_flag(t: Turn) -> Next:
    """Stop at once, with advice that matches the symptom; only that a check-up is pending is kept."""
    kind = t.event.value if t.event.value in ("urgent", "leg", "unwell") else "leg"
    t.progress.checkup_pending = True
    t.state.session = None                       # no progression from a session stopped for a red flag
    t.card = Card(t.say("advice_card_title"), t.say(f"red_flag_{kind}_card"))
    t.end(t.say(f"red_flag_{kind}"))
    return END


# -- forgetting ------------------------------------------------------------------------------------------------------------
def ask_forget(t: Turn) -> Next:
    phase = t.phase
    if t.session is None:
        t.new_session(Phase.FORGET, return_to=Phase.IDLE)
    elif phase != Phase.FORGET:
        t.session.return_to = phase
    return Phase.FORGET


def forget_now(t: Turn) -> Next:
    t.state.progress = type(t.progress)()
    t.state.session = None
    t.end(t.say("forget_done"))
    return END


def keep_progress(t: Turn) -> Next:
    back = t.session.return_to
    t.add(t.say("forget_kept"))
    t.session.return_to = None
    if back in (None, Phase.IDLE):
        t.state.session = None
        return Phase.IDLE
    if back in (Phase.MOVING, Phase.READY) and _continuing(t):
        return SETS_NEXT
    return back


# -- answers that change nothing (or only what "repeat" repeats) ----------------------------------------------------
def answer(t: Turn, text: str) -> Next:
    """Answer a question; "repeat" says it again. Over the sets, they start again from the set in hand."""
    t.add(text)
    if t.session is not None:
        t.session.info = text
        t.follow = "reprompt"
    else:
        t.keep(follow="reprompt")
    return STAY


def question(t: Turn) -> Next:
    topic, routine = t.event.value, t.routine
    plural = t.words.plural
    if routine is None:
        if topic in ("sets", "reps"):
            return answer(t, plan_summary(t.catalog, t.words, t.progress, todays_plan(t.catalog, t.progress)))
        if topic != "time":
            return answer(t, t.say("no_routine"))
        full = compose_minutes(t.catalog, t.words, t.progress, todays_plan(t.catalog, t.progress))
        quick = compose_minutes(t.catalog, t.words, t.progress, todays_plan(t.catalog, t.progress, short=True))
        return answer(t, t.say("time_idle", minutes=plural("minute", full), quick=plural("minute", quick)))
    left = [it for it in routine.items[routine.index:] if it.status == Status.TODO]
    if routine.kind == Kind.STRETCHES:
        if topic == "time":
            return answer(t, t.say("time_left", minutes=plural(
                "minute", stretch_minutes(t.catalog, t.words, t.progress, [it.move for it in left]))))
        return answer(t, status_text(t) if topic == "sets" else t.say("one_level"))
    if topic == "reps":
        move = t.move_now()
        return answer(t, t.say("reps_each_side" if move.sides else "reps_now", reps=word(t.item.reps), name=move.name))
    if topic == "rest":
        return answer(t, t.say("rest_now", seconds=word(t.move_now().rest)))
    if topic == "time":
        return answer(t, t.say("time_left", minutes=plural("minute", compose_minutes(t.catalog, t.words, t.progress, left))))
    return answer(t, status_text(t))


def status_text(t: Turn) -> str:
    routine = t.routine
    todo = [i for i, item in enumerate(routine.items) if item.status == Status.TODO and i >= routine.index]
    if routine.kind == Kind.STRETCHES:
        return t.say("status_stretches", stretches=t.words.plural("stretch", len(todo)))
    left = max(t.item.planned - len(t.item.sets), 0)
    name = t.move_now().name
    later = len([i for i in todo if i > routine.index])
    if left == 0:
        following = t.following()
        if not following:
            return t.say("status_last_set_last", name=name)
        return f"{t.say('status_last_set', name=name)} " \
               f"{t.say('status_next_up', name=current_move(t.catalog, routine.items[following[0]]).name)}"
    sets = t.words.plural("set", left)
    if later:
        return t.say("status_routine", sets=sets, name=name, moves=t.words.plural("more_move", later))
    return t.say("status_last", sets=sets, name=name)


def explain(t: Turn) -> Next:
    if t.routine is None:
        return answer(t, t.say("explain_none"))
    return answer(t, t.move_now().explain)


def report_progress(t: Turn) -> Next:
    """"How am I doing": said, and on a card too (the screen shell shows a chart instead)."""
    report = " ".join(progress_report(t.catalog, t.words, t.state, todays_plan(t.catalog, t.progress)))
    t.card = Card(t.say("progress_card_title"), report)
    return answer(t, report)


def repeat(t: Turn) -> Next:
    info = t.session.info if t.session is not None else None
    if info and t.cut is None:
        t.keep(info, follow="reprompt")
        return STAY
    t.keep(follow="prompt")
    return STAY


def help_(t: Turn) -> Next:
    if t.cut is not None:                        # over the sets: what can be said while they run
        if t.routine.kind == Kind.STRETCHES:
            t.add(t.say("help_over_stretch"))
        elif t.item.form == Form.FULL and t.catalog.move(t.item.move).outdoor is not None:
            t.add(t.say("help_over_sets_outdoor"))
        else:
            t.add(t.say("help_over_sets"))
        return STAY
    t.keep(help_text(t.catalog, t.words, t.state), follow="nothing")
    return STAY


def unexpected(t: Turn) -> Next:
    """Escalating help: a short hint for this step, then the options, then (in a routine) offer a pause --
    and round again, so no sentence comes back every time. Over the sets: one short hint, and on."""
    if t.session is None:
        t.keep(hint(t.catalog, t.words, t.state, 1), follow="nothing")
        return STAY
    if t.cut is not None:
        t.add(t.say("hint_over_sets"))
        return STAY
    t.session.misses += 1
    t.add(hint(t.catalog, t.words, t.state, (t.session.misses - 1) % MISSES_BEFORE_PAUSE + 1))
    t.follow = "nothing"
    return STAY


def _keeps(key: str, follow: str = "reprompt") -> Callable[[Turn], Next]:
    """An answer that changes nothing: the phrase, then the phase's re-prompt (or its question again)."""
    def action(t: Turn) -> Next:
        t.keep(t.say(key), follow=follow)
        return STAY
    action.__name__ = action.__qualname__ = key
    return action


nothing_to_resume = _keeps("no_routine")
already_running = _keeps("already_running", follow="prompt")
outdoors_not_now = _keeps("outdoor_not_now")
hurts_aside = _keeps("hurts_aside")
one_level = _keeps("one_level")
works_anywhere = _keeps("works_anywhere")
take_your_time = _keeps("take_your_time")
thanks = _keeps("thanks")

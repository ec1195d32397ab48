"""The conversation as one transition table: (phase, event) -> (action, next phase).

    step(state, event, now) -> (Output, state)        pure: no clock, no disk, no Alexa

Each row names its action (skill.coach.actions) and where it leads. Where the outcome depends on the person's
data the row lists every phase it may lead to, and the action picks one of them (checked on every turn).
Pseudo-phases: SETS = the move's next sets (MOVING, or READY when the move must be split between responses),
STAY = this phase again, END = the voice session ends (the state says what is kept).

An event a phase does not list falls back to ANYWHERE; anything else is unexpected (a hint; nothing changes).
When a response was interrupted (someone spoke over the sets), every row first knows where: `Turn.cut`.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from hashlib import blake2b

from . import actions as a
from .actions import END, SETS_NEXT as SETS, STAY
from .catalog import Catalog
from .compose import Words, merge, opening, prompt, sets_block, stretch_block
from .events import Event
from .plan import current_move
from .progress import tempo
from .rules import POSITION_SECONDS, SETS as SETS_PER_MOVE, SHORT_SETS
from .speech import Budget, MoveView, NoLimit, Output, Scene, Text
from .state import Kind, Phase, Result, SetDone, State
from .timing import seconds
from .turn import Turn

P = Phase


@dataclass(frozen=True)
class Row:
    action: Callable[[Turn], object]
    to: object                       # a Phase or pseudo-phase, or a frozenset of them (the action picks)


def R(action: Callable[[Turn], object], *to: object) -> Row:
    return Row(action, to[0] if len(to) == 1 else frozenset(to))


AFTER_MOVE = (P.MOVING, P.STRETCH, P.OFFER, END)          # the next move, or the routine's end
NEW_SESSION = (P.OFFER, P.CHECKED, P.BACK_CHECK, SETS, P.STRETCH, P.RESUME, P.MOVING)

# Rows shared by a move's sets (MOVING) and a split between them (READY).
_MOVE: dict[str, Row] = {
    "hurts": R(a.hurts, SETS, P.RATING, *AFTER_MOVE),
    "pain": R(a.rate, SETS, *AFTER_MOVE, STAY),
    "skip": R(a.skip, P.CONFIRM_SKIP, *AFTER_MOVE),
    "easier": R(a.easier, SETS, STAY, *AFTER_MOVE),
    "cant": R(a.easier, SETS, STAY, *AFTER_MOVE),
    "harder": R(a.harder, SETS, STAY),
    "outdoors": R(a.outdoors, SETS, STAY),
    "slower": R(a.change_tempo, SETS, STAY),
    "faster": R(a.change_tempo, SETS, STAY),
    "lost_count": R(a.lost_count, SETS, STAY),
    "pause": R(a.pause, SETS, P.PAUSED, STAY),
    "stop": R(a.stop, P.PAUSED, STAY),
    "session_ended": R(a.session_ended, P.PAUSED, STAY),
    "start_routine": R(a.already_running, STAY),
    "resume": R(a.go_on, SETS),
}

TABLE: dict[Phase, dict[str, Row]] = {
    P.IDLE: {
        "stop": R(a.goodbye, STAY), "pause": R(a.goodbye, STAY), "session_ended": R(a.silent, STAY),
        "hurts": R(a.hurts_rest, P.OFFER), "resume": R(a.nothing_to_resume, STAY),
    },
    P.OFFER: {
        "yes": R(a.accept_offer, *NEW_SESSION), "ready": R(a.accept_offer, *NEW_SESSION),
        "done": R(a.accept_offer, *NEW_SESSION),
        "no": R(a.decline_offer, END), "stop": R(a.decline_offer, END), "hurts": R(a.hurts_rest, P.OFFER),
    },
    P.CHECKED: {
        "yes": R(a.checked_yes, *NEW_SESSION), "no": R(a.checked_no, END),
    },
    P.BACK_CHECK: {
        "back_feel": R(a.back_feel, SETS, STAY), "hurts": R(a.back_feel, SETS),
    },
    P.RESUME: {
        "yes": R(a.resume, SETS, P.MOVING, P.STRETCH), "ready": R(a.resume, SETS, P.MOVING, P.STRETCH),
        "resume": R(a.resume, SETS, P.MOVING, P.STRETCH), "no": R(a.leave_for_restart, P.OFFER),
    },
    P.READY: {
        **_MOVE,
        "ready": R(a.go_on, SETS), "yes": R(a.go_on, SETS), "done": R(a.go_on, SETS),
        "no": R(a.take_your_time, STAY),
    },
    P.MOVING: {
        **_MOVE,
        "yes": R(a.pain_free, SETS, *AFTER_MOVE), "done": R(a.pain_free, SETS, *AFTER_MOVE),
        "back_feel": R(a.good_answer, SETS, P.RATING, *AFTER_MOVE),
        "no": R(a.hurt, SETS, *AFTER_MOVE), "ready": R(a.go_on, SETS),
    },
    P.RATING: {
        "pain": R(a.rate, SETS, *AFTER_MOVE, STAY), "hurts": R(a.hurts, SETS, P.RATING, *AFTER_MOVE),
        "stop": R(a.stop, P.PAUSED, STAY), "session_ended": R(a.session_ended, P.PAUSED, STAY),
    },
    P.STRETCH: {
        "yes": R(a.stretch_ok, *AFTER_MOVE), "done": R(a.stretch_ok, *AFTER_MOVE),
        "back_feel": R(a.stretch_ok, *AFTER_MOVE),
        "no": R(a.stretch_not_ok, *AFTER_MOVE), "hurts": R(a.stretch_not_ok, *AFTER_MOVE),
        "pain": R(a.stretch_rating, *AFTER_MOVE, STAY), "skip": R(a.skip_stretch, *AFTER_MOVE),
        "easier": R(a.one_level, STAY), "harder": R(a.one_level, STAY), "outdoors": R(a.works_anywhere, STAY),
        "pause": R(a.pause, P.PAUSED, STAY), "stop": R(a.stop, P.PAUSED, STAY),
        "session_ended": R(a.session_ended, P.PAUSED, STAY), "start_stretches": R(a.already_running, STAY),
        "resume": R(a.already_running, STAY),
    },
    P.PAUSED: {
        "resume": R(a.resume, SETS, P.MOVING, P.STRETCH), "ready": R(a.resume, SETS, P.MOVING, P.STRETCH),
        "yes": R(a.resume, SETS, P.MOVING, P.STRETCH),
    },
    P.CONFIRM_SKIP: {
        "yes": R(a.skip_move, *AFTER_MOVE), "skip": R(a.skip_move, *AFTER_MOVE),
        "no": R(a.keep_going, SETS), "resume": R(a.keep_going, SETS), "ready": R(a.keep_going, SETS),
    },
    P.FORGET: {
        "yes": R(a.forget_now, END),
        "no": R(a.keep_progress, P.IDLE, SETS, P.OFFER, P.CHECKED, P.BACK_CHECK, P.RESUME, P.MOVING, P.RATING,
                P.STRETCH, P.PAUSED, P.CONFIRM_SKIP),
    },
}

ANYWHERE: dict[str, Row] = {
    "red_flag": R(a.red_flag, END),
    "launch": R(a.launch, P.OFFER, P.CHECKED, P.RESUME, P.MOVING, P.STRETCH),
    "start_routine": R(a.start_routine, *NEW_SESSION),
    "start_stretches": R(a.start_stretches, *NEW_SESSION),
    "extra": R(a.start_extra, *NEW_SESSION, STAY),
    "start_over": R(a.start_over, *NEW_SESSION, *AFTER_MOVE),
    "resume": R(a.resume_if_any, SETS, P.MOVING, P.STRETCH, STAY),
    "pause": R(a.pause, P.PAUSED, STAY, END),
    "stop": R(a.stop, P.PAUSED, STAY, END),
    "session_ended": R(a.session_ended, P.PAUSED, STAY, END),
    "help": R(a.help_, STAY), "repeat": R(a.repeat, STAY), "question": R(a.question, STAY),
    "explain": R(a.explain, STAY), "progress": R(a.report_progress, STAY), "thanks": R(a.thanks, STAY),
    "slower": R(a.change_tempo, STAY), "faster": R(a.change_tempo, STAY),
    "forget": R(a.ask_forget, P.FORGET), "outdoors": R(a.outdoors_not_now, STAY),
    "hurts": R(a.hurts_aside, STAY), "unknown": R(a.unexpected, STAY),
}
UNEXPECTED = R(a.unexpected, STAY)


def row_for(phase: Phase, kind: str) -> Row:
    return TABLE[phase].get(kind) or ANYWHERE.get(kind) or UNEXPECTED


class Coach:
    """The coaching engine. `step` is pure: it never mutates its input and never raises for an event."""

    def __init__(self, catalog: Catalog, budget: Budget | None = None) -> None:
        self.catalog = catalog
        self.budget = budget or NoLimit()

    def new_state(self) -> State:
        """The state of a person with no saved data."""
        return State()

    def step(self, state: State, event: Event, now: float) -> tuple[Output, State]:
        work = state.copy()                              # a working copy: the caller's state stays as it was
        turn = Turn(self.catalog, self.budget, work, event, float(now))
        phase = turn.phase
        row = row_for(phase, event.kind)
        chosen = row.action(turn)
        to = row.to if chosen is None else chosen
        allowed = row.to if isinstance(row.to, frozenset) else {row.to}
        if to not in allowed:
            raise AssertionError(f"{row.action.__name__} led {phase}/{event.kind} to {to}, not one of {allowed}")
        if turn.cut is not None:
            turn.unchanged = False                       # the sets were interrupted: they resume from there
        if turn.unchanged:
            return self._respond(turn, phase if to in (STAY, END) else to), state
        if work.session is not None:
            if event.kind != "unknown":
                work.session.misses = 0
            work.session.updated_at = turn.now
        return self._respond(turn, to), work

    # -- the response --------------------------------------------------------------------------------------------
    def _respond(self, turn: Turn, to: object) -> Output:
        """The lead the action said, then what the phase it leads to says: the move's next sets, a stretch, a
        question -- or, staying put, the re-prompt. Sets and stretches are sent afresh when entered, or when
        the person spoke over them."""
        state, words = turn.state, turn.words
        session, stay = state.session, to in (STAY, END)
        target = state.phase if stay else to
        timeline = None
        if turn.listen and session is not None and session.routine is not None:
            fresh = turn.cut is not None or not stay
            if (target == SETS or fresh and target in (P.MOVING, P.READY)) and _sets_left(turn):
                block = self._sets(turn)
                target, timeline = (P.MOVING if block.ends_move else P.READY), block.timeline
            elif target == P.STRETCH and fresh and turn.follow == "prompt":
                timeline = stretch_block(self.catalog, words, state.progress, session.routine,
                                         lead=turn.block_lead or "")
        if target == SETS:
            target = P.MOVING                            # no sets left: the move's question
        if timeline is not None and turn.lead:
            timeline = timeline.after(seconds(Text(t) for t in turn.lead))
        if isinstance(target, Phase) and session is not None and target != P.IDLE:
            session.phase = target
        if session is not None and not turn.unchanged:
            session.sent = timeline.sent(turn.now) if timeline is not None else None
        speech = [Text(t) for t in turn.lead]
        asked, reprompt = prompt(self.catalog, words, state)
        if timeline is not None:
            speech += timeline.segments
        elif turn.listen and turn.follow == "prompt":
            speech.append(Text(asked))
        elif turn.listen and turn.follow == "reprompt":
            speech.append(Text(reprompt))
        if turn.listen and not speech:
            speech = [Text(asked)]
        return Output(merge(speech), turn.listen, (Text(reprompt),) if turn.listen else (), turn.card,
                      changed=not turn.unchanged, timeline=timeline.all_marks() if timeline is not None else (),
                      scene=scene(self.catalog, words, state, turn.listen))

    def _sets(self, turn: Turn):
        """Compose the item's next sets, and record them as sent (done unless an interruption says otherwise)."""
        state, item = turn.state, turn.item
        lead, position = turn.block_lead, turn.position
        if lead is None:
            if not item.sets:
                lead, position = opening(turn.words, self.catalog, state.session.routine, item), POSITION_SECONDS
            else:
                lead = ""
        routine = state.session.routine
        base = item.planned if routine.kind == Kind.EXTRA else SHORT_SETS if routine.short else SETS_PER_MOVE
        block = sets_block(self.catalog, turn.words, state.progress, item, lead=lead, position=position,
                           budget=self.budget, base=base)
        item.sets.extend(SetDone(item.form, Result.PENDING) for _ in range(block.first, block.last + 1))
        return block


def _sets_left(turn: Turn) -> bool:
    routine = turn.routine
    return routine is not None and routine.kind != Kind.STRETCHES and len(turn.item.sets) < turn.item.planned


def screen_token(state: State) -> str:
    """Names what a screen shows for `state`: it changes whenever a touch answer would mean something else."""
    session = state.session
    if session is None:
        key = "idle"
    else:
        routine = session.routine
        item = routine.items[routine.index] if routine is not None else None
        key = ":".join(str(part) for part in (
            session.phase, session.offer, routine.started if routine else "", routine.index if routine else "",
            len(item.sets) if item else "", item.form if item else "", item.status if item else ""))
    return "bc-" + blake2b(key.encode(), digest_size=8).hexdigest()


def scene(catalog: Catalog, words: Words, state: State, listening: bool) -> Scene:
    """What a screen shows now: the move and its sets, a stretch, the move's question, or a message."""
    session, token = state.session, screen_token(state)
    if session is None or session.routine is None or session.phase not in (P.MOVING, P.READY, P.STRETCH, P.PAUSED, P.RESUME):
        return Scene("message", token=token)
    routine = session.routine
    item = routine.items[routine.index]
    if routine.kind == Kind.STRETCHES:
        move = catalog.move(item.move)
        view = MoveView(move.id, move.id, "full", move.sides, move.reps[0] if move.counted else 0,
                        move.tempo or 0.0, 1)
    else:
        move = current_move(catalog, item)
        view = MoveView(move.id, item.move, str(item.form), move.sides, item.reps,
                        tempo(catalog, state.progress, move.id), item.planned)
    if session.phase in (P.PAUSED, P.RESUME) or not listening:
        return Scene("move", view, words.say("hint_paused"), ("resume",), token)
    if session.phase == P.STRETCH:
        return Scene("stretch", view, words.say("hint_stretch"), ("pain_free", "hurt", "pause"), token)
    if session.sent is None:
        return Scene("question", view, words.say("hint_question"), ("pain_free", "hurt"), token)
    return Scene("move", view, words.say("hint_sets"), ("pain_free", "hurt", "pause"), token)

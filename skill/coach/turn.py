"""One turn in progress: a working copy of the state, the event, and what is to be said.

Actions (skill.coach.actions) change the working copy through a Turn; the machine (skill.coach.machine)
picks the action from its table and builds the Output from what the turn collected.
"""
from __future__ import annotations

from .bargein import Cut, locate
from .catalog import Catalog, Move
from .compose import Words, stretch_ids, summary
from .events import Event
from .plan import current_move, todays_plan
from .progress import apply_session, needs_checkup
from .rules import STALE_SECONDS
from .speech import Budget, Card
from .state import Item, Kind, Offer, Phase, Result, Routine, Session, State, Status


class Turn:
    def __init__(self, catalog: Catalog, budget: Budget, state: State, event: Event, now: float) -> None:
        self.catalog, self.budget, self.event, self.now = catalog, budget, event, now
        self.state = state                       # a working copy: the caller's state is never touched
        self.lead: list[str] = []
        self.card: Card | None = None
        self.listen = True
        self.follow = "prompt"                   # after the lead, staying in a phase: prompt | reprompt | nothing
        self.unchanged = False                   # nothing to save: the caller gets its own state back
        self.block_lead: str | None = None       # how the next sets are introduced (None: the usual way)
        self.position: int | None = None         # time to get into position before them
        session = state.session
        if session is not None and now - session.updated_at > STALE_SECONDS:
            self.close_routine(at=session.updated_at)   # too old to resume: close it out
            session = None
        self.cut: Cut | None = None
        if session is not None and session.sent is not None and session.phase in (
                Phase.MOVING, Phase.READY, Phase.STRETCH):
            self.cut = locate(session.sent, now)
            if self.cut is not None and session.routine.kind != Kind.STRETCHES:
                del self.item.sets[self.cut.completed:]     # the sets after the last one finished were not done
        self.words = Words(catalog.phrases, session.said if session is not None else {})

    # -- reading the state -----------------------------------------------------------------------------------
    @property
    def progress(self):
        return self.state.progress

    @property
    def session(self) -> Session | None:
        return self.state.session

    @property
    def phase(self) -> Phase:
        return self.state.phase

    @property
    def routine(self) -> Routine | None:
        return self.session.routine if self.session is not None else None

    @property
    def item(self) -> Item:
        routine = self.routine
        return routine.items[routine.index]

    def move_now(self) -> Move:
        """The move (or stretch) in hand, in the form being done."""
        if self.routine.kind == Kind.STRETCHES:
            return self.catalog.move(self.item.move)
        return current_move(self.catalog, self.item)

    def ladder_name(self) -> str:
        return self.catalog.move(self.item.move).name

    # -- saying -------------------------------------------------------------------------------------------------
    def say(self, key: str, **values: object) -> str:
        return self.words.say(key, **values)

    def vary(self, key: str, **values: object) -> str:
        return self.words.vary(key, **values)

    def add(self, *texts: str) -> None:
        self.lead.extend(t for t in texts if t)

    def keep(self, *texts: str, follow: str = "reprompt") -> None:
        """Answer without changing anything."""
        self.add(*texts)
        self.unchanged, self.follow = True, follow

    def end(self, *texts: str) -> None:
        self.add(*texts)
        self.listen = False

    # -- sessions and routines ------------------------------------------------------------------------------------
    def new_session(self, phase: Phase, **fields) -> Session:
        old = self.session
        carried = {"said": old.said, "ease": old.ease} if old is not None else {}
        self.state.session = Session(phase=phase, updated_at=self.now, **{**carried, **fields})
        self.words.said = self.state.session.said
        return self.state.session

    def close_routine(self, at: float) -> None:
        """End the session; a strength routine's finished moves progress (a suspended one too)."""
        session = self.state.session
        for routine in (session.routine, session.suspended) if session is not None else ():
            if routine is not None and routine.kind == Kind.STRENGTH:
                self.state.progress, _ = apply_session(self.catalog, self.state.progress, routine.items, at)
        self.state.session = None

    def pending_to(self, result: Result) -> None:
        for done in self.item.sets:
            if done.result == Result.PENDING:
                done.result = result

    def following(self) -> list[int]:
        routine = self.routine
        return [i for i, it in enumerate(routine.items) if i > routine.index and it.status == Status.TODO]

    def advance(self) -> Phase | str:
        """On to the next move still to do, or the end of the routine."""
        routine = self.routine
        following = self.following()
        if following:
            routine.index = following[0]
            return Phase.STRETCH if routine.kind == Kind.STRETCHES else Phase.MOVING
        return self.complete()

    def complete(self) -> Phase | str:
        """The routine is done: progress, the summary, and what is offered next."""
        routine = self.routine
        if routine.kind == Kind.STRETCHES:
            self.add(self.say("stretches_done"))
            return self.after_aside(routine, offer_routine=routine.then_routine)
        if routine.kind == Kind.EXTRA:
            self.add(self.say("extra_done", name=self.catalog.move(routine.items[0].move).name))
            return self.after_aside(routine, offer_routine=False)
        before = {item.move for item in routine.items}
        sessions = self.progress.sessions
        self.state.progress, changes = apply_session(self.catalog, self.progress, routine.items, self.now)
        joining = [i.move for i in todays_plan(self.catalog, self.progress) if i.move not in before]
        checkup = self.progress.sessions > sessions and needs_checkup(self.progress)
        spoken, self.card = summary(self.catalog, self.words, routine.items, changes, joining, routine.pain, checkup)
        self.add(*spoken)
        if routine.stretched:             # the stretches were done first
            self.state.session = None
            self.end(self.say("goodbye_done"))
            return "end"
        self.new_session(Phase.OFFER, offer=Offer.STRETCHES, ease=False)
        return Phase.OFFER

    def after_aside(self, routine: Routine, offer_routine: bool) -> Phase | str:
        """Stretches or an extra are done: back to a waiting routine, on to the routine, or goodbye."""
        suspended = self.session.suspended
        if suspended is not None:
            self.new_session(Phase.OFFER, offer=Offer.CARRY_ON, suspended=suspended)
            return Phase.OFFER
        if offer_routine:
            self.new_session(Phase.OFFER, offer=Offer.ROUTINE_NEXT)
            return Phase.OFFER
        self.state.session = None
        self.end()
        return "end"

    def stretch_list(self) -> tuple[list[str], bool]:
        return stretch_ids(self.catalog, self.progress)

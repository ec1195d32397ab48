"""The conversation: (state, event, now) -> (what to say, next state). Pure: no clock, no disk, no Alexa.

State is plain JSON: {"progress": <progress.py record>, "session": None | session}, where

session = {
  "phase": one of PHASES except "idle" (no session means idle),
  "updated_at": epoch seconds of the last change (a session older than STALE_SECONDS is closed),
  "said": {phrase key: times said},         # rotates praise variants deterministically
  "offer": "routine" | "stretches" | "stretches_instead" | "restart_routine" | "restart_stretches" | None,
  "return_to": phase | None,                # where "no" in confirm_forget goes back to
  "paused_from": phase | None,              # the phase a pause or timeout interrupted (a late answer counts)
  "skip_asked": bool,                       # "skip" at "Pain-free?" asked for the answer first
  "ease": bool,                             # first routine after a red flag was cleared: step down once
  "then": "launch" | "routine" | "stretches" | None,  # what a yes in confirm_checked goes on to
  "routine": None | {"kind": "routine" | "stretches", "id": started_at, "index": int,
                     "pain": bool, "items": [plan items (plan.py) | {"move", "status"}]},
}

Decisions worth knowing:
- Progression is applied only when a routine ends: completed, declined on resume ("no" to "shall we carry
  on?"), left for stretches, or found stale (then dated at its last activity). Only finished moves
  progress; a move that hurt still starts easier next time. A red flag never progresses anything.
- Stop, pause and the voice session ending keep the routine resumable; resume restarts the interrupted
  set (an unanswered set does not count). Left at "Pain-free?", the next yes / no / it hurts / rating is
  taken as that set's answer ("paused_from"); at "Shall we carry on?" yes and no answer that question,
  and "no" closes the routine and offers to start again from the top.
- "start over" restarts today's routine from the first move as a new session, carrying today's pain
  (a move that hurt stays on its easier form; one set aside stays aside).
- After a red flag, training waits until the person says a doctor has checked them (asked on every start);
  the first routine after that steps down a level.
- Pain must not climb: pain in half the sets two routines running, two moves parked at once, or "worse"
  twice running at the next-day check brings the advice to get the back checked.
- Tempo choices and stretches that did not feel OK are remembered at once (preferences, not progression).
- "I'm outside" switches the rest of a move's sets to its outdoor alternative, for today only (the plan
  item's form); those sets progress like full-form sets (see progress.py).
"""
from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from .catalog import SETS, Catalog, tempo_step
from .events import Event
from .plan import current_move, step_down, switch_form, todays_plan
from .progress import apply_session, check as check_progress, form_move_id, needs_checkup, new_progress
from .script import Script
from .speech import Card, Output, Segment, Text

STALE_SECONDS = 12 * 3600        # an untouched session older than this is closed, not offered for resume
RECENT_SECONDS = 4 * 24 * 3600   # a last session this recent triggers the next-day back check ...
CHECK_AFTER_SECONDS = 6 * 3600   # ... if it is at least this old (not the same day's second go)
PHASES = ("idle", "offer", "back_check", "confirm_resume", "await_ready", "await_answer",
          "stretch_ready", "stretch_answer", "paused", "confirm_forget", "confirm_checked")
BACK_FEELINGS = ("better", "same", "worse")
SESSION_KEYS = frozenset({"phase", "updated_at", "said", "offer", "return_to", "routine", "paused_from",
                          "skip_asked", "ease", "then"})

# What each phase does with each event: phase -> {event kind -> handler}. An event a phase does not
# list falls back to ANYWHERE, and anything else is `unexpected` (say what is expected; change nothing).
_ROUTINE_MOVE = {"skip": "skip_move", "easier": "easier", "harder": "harder", "outdoors": "outdoors",
                 "resume": "already_running", "start_routine": "already_running", "start_stretches": "busy_routine"}
_STRETCH = {"skip": "skip_stretch", "easier": "one_level", "harder": "one_level", "outdoors": "works_anywhere",
            "resume": "already_running", "start_stretches": "already_running"}
TRANSITIONS: dict[str, dict[str, str]] = {
    "idle": {"stop": "goodbye", "pause": "goodbye", "session_ended": "silent", "resume": "nothing_to_resume",
             "start_over": "start_routine", "hurts": "hurts_rest"},
    "offer": {"yes": "accept_offer", "ready": "accept_offer", "no": "goodbye_now", "hurts": "hurts_rest"},
    "back_check": {"back_feel": "back_feel", "hurts": "hurts_rest"},
    "confirm_resume": {"yes": "resume", "ready": "resume", "resume": "resume", "no": "leave_for_restart",
                       "start_over": "fresh_start", "hurts": "late_answer", "pain": "late_answer"},
    "await_ready": {"ready": "start_set", "yes": "start_set", "no": "not_ready", **_ROUTINE_MOVE,
                    "hurts": "hurts_ready"},
    "await_answer": {"yes": "pain_free", "no": "hurt", "hurts": "hurt", "pain": "pain_rating", **_ROUTINE_MOVE,
                     "skip": "skip_unanswered"},
    "stretch_ready": {"ready": "start_stretch", "yes": "start_stretch", "no": "take_your_time",
                      "hurts": "stretch_not_ok", **_STRETCH},
    "stretch_answer": {"yes": "stretch_ok", "no": "stretch_not_ok", "hurts": "stretch_not_ok",
                       "pain": "stretch_rating", **_STRETCH},
    # a pause or timeout at "Pain-free?": the next words are often the answer (late_answer)
    "paused": {"resume": "resume", "ready": "resume", "yes": "late_answer", "no": "late_answer",
               "hurts": "late_answer", "pain": "late_answer"},
    "confirm_forget": {"yes": "forget_now", "no": "keep_progress"},
    "confirm_checked": {"yes": "checked_yes", "no": "checked_no"},
}
ANYWHERE: dict[str, str] = {
    "red_flag": "red_flag", "launch": "launch", "start_routine": "start_routine",
    "start_stretches": "start_stretches", "start_over": "start_over", "resume": "resume_if_any",
    "pause": "pause", "stop": "stop", "session_ended": "session_ended",
    "help": "help", "repeat": "repeat", "status": "status", "explain": "explain", "progress": "report_progress",
    "slower": "slower", "faster": "faster", "forget": "ask_forget", "outdoors": "outdoors_not_now",
    "hurts": "hurts_aside", "unknown": "unexpected",
}


class Coach:
    """The coaching engine. `step` is pure: it never mutates its input and never raises for an event."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def new_state(self) -> dict[str, Any]:
        """The state of a person with no saved data."""
        return {"progress": new_progress(), "session": None}

    def step(self, state: dict[str, Any], event: Event, now: float) -> tuple[Output, dict[str, Any]]:
        check_state(state)
        return _Turn(self.catalog, state, event, float(now)).run()


def check_state(state: Any) -> None:
    """Refuse a state this engine cannot read (the shell decides what to do), rather than repair it."""
    if not isinstance(state, dict) or set(state) != {"progress", "session"}:
        raise ValueError("state must be an object with exactly 'progress' and 'session'")
    check_progress(state["progress"])
    session = state["session"]
    if session is None:
        return
    if not isinstance(session, dict) or session.get("phase") not in PHASES[1:]:
        raise ValueError("state session must be null or an object with a known phase")
    if missing := sorted(SESSION_KEYS - set(session)):
        raise ValueError(f"state session is missing {missing[0]!r}")


def handler_names() -> set[str]:
    """Every handler the tables name (each must be a method of the turn)."""
    return {name for row in TRANSITIONS.values() for name in row.values()} | set(ANYWHERE.values())


def _parse_rating(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and 0 <= value <= 10 else None


def _copy(data: Any) -> Any:
    """A deep copy of plain JSON data (several times faster than copy.deepcopy)."""
    return json.loads(json.dumps(data))


def _merge(segments: list[Segment]) -> tuple[Segment, ...]:
    """Join neighbouring Text segments, so each spoken stretch is one segment."""
    merged: list[Segment] = []
    for segment in segments:
        if isinstance(segment, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(f"{merged[-1].text} {segment.text}")
        else:
            merged.append(segment)
    return tuple(merged)


class _Turn(Script):
    """One event applied to a working copy of the state. Handlers return the Output; a handler that
    changes nothing returns `self.keep(...)`, and the caller gets the input state back unchanged."""

    def __init__(self, catalog: Catalog, state: dict[str, Any], event: Event, now: float) -> None:
        self.catalog, self.state, self.event, self.now = catalog, state, event, now
        self.progress = _copy(state["progress"])
        self.session = _copy(state["session"])
        self.unchanged = False
        if self.session is not None and now - self.session["updated_at"] > STALE_SECONDS:
            self.close_routine(at=self.session["updated_at"])   # too old to resume: close it out

    def run(self) -> tuple[Output, dict[str, Any]]:
        phase = self.session["phase"] if self.session is not None else "idle"
        name = TRANSITIONS[phase].get(self.event.kind) or ANYWHERE.get(self.event.kind, "unexpected")
        output: Output = getattr(self, name)()
        if self.unchanged:
            return replace(output, changed=False), _copy(self.state)
        if self.session is not None:
            self.session["updated_at"] = self.now
            if self.event.kind != "skip":
                self.session["skip_asked"] = False     # only two skips in a row skip an unanswered set
        return output, {"progress": self.progress, "session": self.session}

    # -- building outputs ----------------------------------------------------------------------------
    def ask(self, *lead: Segment | str, card: Card | None = None) -> Output:
        """Say `lead`, then the current phase's prompt, and listen with its re-prompt."""
        speech, reprompt = self.prompt()
        return Output(_merge(self._segments(lead) + speech), True, _merge(reprompt), card)

    def ask_ready(self, lead: str) -> Output:
        """await_ready with a lead other than the usual introduction ("Let's make it easier: X.")."""
        return Output(_merge(self.intro(lead)), True, _merge(self.prompt()[1]))

    def end(self, *speech: Segment | str) -> Output:
        return Output(_merge(self._segments(speech)), False)

    def keep(self, *lead: Segment | str, then: str = "reprompt") -> Output:
        """Answer without changing anything: `lead`, then the phase's "prompt", its "reprompt" or "nothing"."""
        self.unchanged = True
        speech, reprompt = self.prompt()
        follow = {"prompt": speech, "reprompt": reprompt, "nothing": []}[then]
        return Output(_merge(self._segments(lead) + follow), True, _merge(reprompt))

    @staticmethod
    def _segments(parts: tuple[Segment | str, ...]) -> list[Segment]:
        return [Text(part) if isinstance(part, str) else part for part in parts]

    def new_session(self, phase: str, **fields: Any) -> dict[str, Any]:
        said = self.session["said"] if self.session is not None else {}
        ease = self.session["ease"] if self.session is not None else False
        return {"phase": phase, "updated_at": self.now, "said": said, "offer": None, "return_to": None,
                "routine": None, "paused_from": None, "skip_asked": False, "ease": ease, "then": None,
                **fields}

    def set_phase(self, phase: str) -> None:
        self.session["phase"] = phase

    def close_routine(self, at: float) -> None:
        """End the session; a strength routine's finished moves progress."""
        routine = self.routine
        if routine is not None and routine["kind"] == "routine":
            self.progress, _ = apply_session(self.catalog, self.progress, routine["items"], at)
        self.session = None

    def greeting(self, welcome_back: bool) -> list[str]:
        """Welcome and the safety note (once ever)."""
        texts = []
        if not self.progress["safety_note_given"]:
            texts += [self.say("welcome_new"), self.say("safety")]
            self.progress["safety_note_given"] = True
        elif welcome_back:
            texts.append(self.say("welcome_back"))
        return texts

    def checked_first(self, then: str, lead: list[str]) -> Output | None:
        """After a red flag, ask whether a doctor has checked them before any training (None: no flag)."""
        if self.progress["red_flag"] is None:
            return None
        self.session = self.new_session("confirm_checked", then=then)
        return self.ask(*lead)

    def checked_yes(self) -> Output:
        self.progress["red_flag"] = None
        then = self.session["then"]
        self.session["ease"] = True
        lead = [self.say("checked_yes")]
        if then == "routine":
            return self.begin_routine(lead)
        if then == "stretches":
            return self.begin_stretches(lead)
        self.session = self.new_session("offer", offer="routine")
        return self.ask(*lead)

    def checked_no(self) -> Output:
        self.session = None
        return self.end(self.say("checked_no"))

    # -- starting --------------------------------------------------------------------------------------
    def launch(self) -> Output:
        if self.routine is not None:
            return self.offer_resume(self.say("welcome_back"))
        texts = self.greeting(welcome_back=True)
        if (asked := self.checked_first("launch", texts)) is not None:
            return asked
        self.session = self.new_session("offer", offer="routine")
        return self.ask(*texts)

    def start_routine(self) -> Output:
        if self.routine is not None and self.routine["kind"] == "routine":
            return self.offer_resume()
        return self.begin_routine(self.greeting(welcome_back=False))

    def start_stretches(self) -> Output:
        if self.routine is not None and self.routine["kind"] == "stretches":
            return self.offer_resume()
        self.close_routine(at=self.now)
        return self.begin_stretches(self.greeting(welcome_back=False))

    def accept_offer(self) -> Output:
        if self.session["offer"] in ("stretches", "stretches_instead", "restart_stretches"):
            return self.begin_stretches([])
        return self.begin_routine([])

    def begin_routine(self, lead: list[str]) -> Output:
        if (asked := self.checked_first("routine", lead)) is not None:
            return asked
        last = self.progress["last_session_at"]
        if last is not None and CHECK_AFTER_SECONDS <= self.now - last <= RECENT_SECONDS:
            self.session = self.new_session("back_check")
            return self.ask(*lead)
        return self.begin_plan(lead, worse=False)

    def back_feel(self) -> Output:
        if self.event.value not in BACK_FEELINGS:
            return self.keep()
        worse = self.event.value == "worse"
        self.progress["worse_checks"] = self.progress["worse_checks"] + 1 if worse else 0
        lead = [self.say(f"back_{self.event.value}")]
        if self.progress["worse_checks"] >= 2:
            lead.append(self.say("checkup_advice"))
        return self.begin_plan(lead, worse=worse)

    def begin_plan(self, lead: list[str], worse: bool) -> Output:
        items = todays_plan(self.catalog, self.progress)
        ease = self.session is not None and self.session["ease"]
        if worse or ease:
            step_down(self.catalog, items)
        if ease and not worse:
            lead = [*lead, self.say("ease_after_check")]
        routine = {"kind": "routine", "id": self.now, "index": 0, "pain": False, "items": items}
        self.session = self.new_session("await_ready", routine=routine, ease=False)
        return self.ask(*lead, self.plan_summary(items))

    def begin_stretches(self, lead: list[str]) -> Output:
        if (asked := self.checked_first("stretches", lead)) is not None:
            return asked
        ids, all_again = self.stretch_ids()
        items = [{"move": move_id, "status": "todo"} for move_id in ids]
        routine = {"kind": "stretches", "id": self.now, "index": 0, "pain": False, "items": items}
        self.session = self.new_session("stretch_ready", routine=routine)
        return self.ask(*lead, *([self.say("stretches_all_again")] if all_again else []))

    # -- resuming and starting over --------------------------------------------------------------------
    def offer_resume(self, *lead: str) -> Output:
        self.set_phase("confirm_resume")
        return self.ask(*lead)

    def resume(self) -> Output:
        """Restart the interrupted set (or stretch): back to "say ready"."""
        if self.routine["kind"] == "stretches":
            self.set_phase("stretch_ready")
            return self.ask(self.say("resume_stretch"))
        self.session["paused_from"] = None
        self.set_phase("await_ready")
        lead = self.say("resume_at", name=self.move_now().name, n=self.number(len(self.item()["sets"]) + 1),
                        total=self.number(SETS))
        return self.ask_ready(lead)

    def resume_if_any(self) -> Output:
        return self.resume() if self.routine is not None else self.nothing_to_resume()

    def nothing_to_resume(self) -> Output:
        return self.keep(self.say("no_routine"))

    def late_answer(self) -> Output:
        """yes / no / it hurts / a rating after a pause or timeout at "Pain-free?": the answer to that set.
        Anywhere else yes resumes, and the rest is answered as usual."""
        if self.session["paused_from"] == "await_answer":
            self.session["paused_from"] = None
            self.set_phase("await_answer")
            return {"yes": self.pain_free, "pain": self.pain_rating}.get(self.event.kind, self.hurt)()
        if self.event.kind == "yes":
            return self.resume()
        return self.hurts_aside() if self.event.kind == "hurts" else self.unexpected()

    def leave_for_restart(self) -> Output:
        """No to "shall we carry on?": close the old routine and ask whether to start again or stop."""
        kind = self.routine["kind"]
        self.close_routine(at=self.now)
        self.session = self.new_session("offer", offer=f"restart_{kind}")
        return self.ask(self.say("leave_routine"))

    def fresh_start(self) -> Output:
        kind = self.routine["kind"]
        self.close_routine(at=self.now)
        if kind == "stretches":
            return self.begin_stretches([self.say("fresh_start")])
        return self.begin_routine([self.say("fresh_start")])

    def start_over(self) -> Output:
        routine = self.routine
        if routine is None:
            return self.start_routine()
        if routine["kind"] == "stretches":
            return self.begin_stretches([self.say("start_over_stretches")])
        items = _copy(routine["items"])
        for item in items:
            item["sets"] = []
            if item["status"] != "parked":
                item["status"] = "todo"
        fresh = {**routine, "id": self.now, "items": items, "index": -1}
        self.session = self.new_session("await_ready", routine=fresh)
        return self.advance([self.say("start_over")])

    # -- a strength set --------------------------------------------------------------------------------
    def start_set(self) -> Output:
        self.set_phase("await_answer")
        return self.ask(*self.set_segments())

    def pain_free(self, result: str = "ok") -> Output:
        item, move = self.item(), self.move_now()
        item["sets"].append({"form": item["form"], "result": result})
        if result == "ok":
            ack = self.vary("praise")
        else:
            self.routine["pain"] = True
            ack = self.vary("hold_ack", name=move.name)
        if len(item["sets"]) < SETS:
            return self.ask(*self.rest_segments(ack), *self.set_segments())
        item["status"] = "done"
        # the last move's "done" is left to the summary that follows
        return self.advance([ack, self.done_sentence(item)] if self.following() else [ack])

    def done_sentence(self, item: dict[str, Any]) -> str:
        """Name what was actually done: the one form all sets were on, or the move "finished for today"."""
        forms = {s["form"] for s in item["sets"]}
        if len(forms) == 1:
            done = self.catalog.move(form_move_id(self.catalog, item["move"], forms.pop()))
            return self.say("move_done", name=done.name)
        return self.say("move_finished", name=self.catalog.move(item["move"]).name)

    def following(self) -> list[int]:
        """The indexes of the moves still to do after this one."""
        routine = self.routine
        return [i for i, item in enumerate(routine["items"]) if i > routine["index"] and item["status"] == "todo"]

    def hurt(self) -> Output:
        item = self.item()
        item["sets"].append({"form": item["form"], "result": "hurt"})
        self.routine["pain"] = True
        ack = self.vary("hurt_ack")
        ladder_name = self.catalog.move(item["move"]).name
        if item["form"] == "easier":
            item["status"] = "parked"
            return self.advance([ack, self.say("park_today", name=ladder_name)])
        item.update(hurt=True, dropped=True)
        switch_form(self.catalog, item, "easier")
        if len(item["sets"]) < SETS:
            self.set_phase("await_ready")
            return self.ask_ready(f"{ack} {self.say('switch_easier', name=self.move_now().name)}")
        item["status"] = "done"
        return self.advance([ack, self.say("easier_next_time", name=ladder_name)])

    def pain_rating(self) -> Output:
        rating = _parse_rating(self.event.value)
        if rating is None:
            return self.keep(self.say("pain_invalid"))
        if rating <= 3:
            return self.pain_free("ok")
        if rating <= 5:
            return self.pain_free("hold")
        return self.hurt()

    def not_ready(self) -> Output:
        return self.keep(self.say("not_ready"))

    def hurts_ready(self) -> Output:
        """"It hurts" before a set: the easier form, or, already on it, leave the move for today."""
        item = self.item()
        self.routine["pain"] = True
        ack = self.vary("hurt_ack")
        item.update(hurt=True, dropped=True)
        if item["form"] == "easier":
            item["status"] = "parked"
            return self.advance([ack, self.say("park_today", name=self.catalog.move(item["move"]).name)])
        switch_form(self.catalog, item, "easier")
        return self.ask_ready(f"{ack} {self.say('switch_easier', name=self.move_now().name)}")

    def hurts_rest(self) -> Output:
        """"My back hurts" between routines: the safety advice, and the stretches (or a rest) instead."""
        offer = "stretches" if self.session is not None and self.session["offer"] == "stretches" else "stretches_instead"
        self.session = self.new_session("offer", offer=offer)
        return self.ask(self.say("hurts_rest"))

    def hurts_aside(self) -> Output:
        return self.keep(self.say("hurts_aside"))

    def skip_unanswered(self) -> Output:
        """Skip at "Pain-free?": the answer first (it decides next time); a second skip in a row skips."""
        if self.session["skip_asked"]:
            return self.skip_move()
        self.session["skip_asked"] = True
        ask = self.say("skip_ask", name=self.catalog.move(self.item()["move"]).name)
        return Output((Text(ask),), True, _merge(self.prompt()[1]))

    def skip_move(self) -> Output:
        self.session["skip_asked"] = False
        self.item()["status"] = "skipped"
        return self.advance([self.say("skip_move", name=self.catalog.move(self.item()["move"]).name)])

    def easier(self) -> Output:
        item = self.item()
        if item["form"] == "easier":
            return self.keep(self.say("easier_already"))
        item["dropped"] = True
        switch_form(self.catalog, item, "easier")
        self.set_phase("await_ready")
        return self.ask_ready(self.say("switch_easier", name=self.move_now().name))

    def harder(self) -> Output:
        item = self.item()
        if item["form"] == "full":
            return self.keep(self.say("harder_already"))
        if item["form"] == "outdoor":
            return self.keep(self.say("harder_outdoor"))
        if item["hurt"]:
            return self.keep(self.say("harder_blocked"))
        item["dropped"] = False
        outdoors = item["outdoors"]
        switch_form(self.catalog, item, "outdoor" if outdoors else "full")
        self.set_phase("await_ready")
        key = "harder_to_outdoor" if outdoors else "harder_switch"
        return self.ask_ready(self.say(key, name=self.move_now().name))

    def outdoors(self) -> Output:
        """Switch the remaining sets to the move's outdoor alternative (same level), for today."""
        item = self.item()
        if self.catalog.move(item["move"]).outdoor is None:
            return self.keep(self.say("works_anywhere"))
        if item["form"] == "outdoor":
            return self.keep(self.say("outdoor_already"))
        if item["form"] == "easier":
            return self.keep(self.say("outdoor_easier", name=self.move_now().name))
        item["outdoors"] = True
        switch_form(self.catalog, item, "outdoor")
        self.set_phase("await_ready")
        return self.ask_ready(self.say("switch_outdoor", name=self.move_now().name))

    def advance(self, lead: list[str]) -> Output:
        """On to the next move still to do, or the end of the routine."""
        routine = self.routine
        following = self.following()
        if not following:
            return self.complete(lead)
        routine["index"] = following[0]
        self.set_phase("await_ready")
        return self.ask(*lead)

    def complete(self, lead: list[str]) -> Output:
        routine = self.routine
        before = {item["move"] for item in routine["items"]}
        sessions = self.progress["sessions"]
        self.progress, changes = apply_session(self.catalog, self.progress, routine["items"], self.now)
        joining = [item["move"] for item in todays_plan(self.catalog, self.progress) if item["move"] not in before]
        checkup = self.progress["sessions"] > sessions and needs_checkup(self.progress)
        spoken, card = self.summary(routine["items"], changes, joining, routine["pain"], checkup)
        self.session = self.new_session("offer", offer="stretches")
        return self.ask(*lead, *spoken, card=card)

    # -- stretches -------------------------------------------------------------------------------------
    def start_stretch(self) -> Output:
        self.set_phase("stretch_answer")
        return self.ask(*self.stretch_segments())

    def stretch_ok(self) -> Output:
        return self.next_stretch(self.vary("praise"))

    def stretch_not_ok(self) -> Output:
        move_id = self.item()["move"]
        if move_id not in self.progress["skip_stretches"]:
            self.progress["skip_stretches"].append(move_id)
        return self.next_stretch(self.say("stretch_skip_next"))

    def stretch_rating(self) -> Output:
        rating = _parse_rating(self.event.value)
        if rating is None:
            return self.keep(self.say("pain_invalid"))
        return self.stretch_ok() if rating <= 3 else self.stretch_not_ok()

    def skip_stretch(self) -> Output:
        self.item()["status"] = "skipped"
        return self.next_stretch(self.say("skip_stretch", name=self.move_now().name), done=False)

    def next_stretch(self, lead: str, done: bool = True) -> Output:
        routine, item = self.routine, self.item()
        if done:
            item["status"] = "done"
            if item["move"] not in self.progress["seen"]:
                self.progress["seen"].append(item["move"])
        if routine["index"] + 1 < len(routine["items"]):
            routine["index"] += 1
            self.set_phase("stretch_ready")
            return self.ask(lead)
        self.session = None
        return self.end(lead, self.say("stretches_done"))

    def one_level(self) -> Output:
        return self.keep(self.say("one_level"))

    def works_anywhere(self) -> Output:
        return self.keep(self.say("works_anywhere"))

    def outdoors_not_now(self) -> Output:
        return self.keep(self.say("outdoor_not_now"))

    def take_your_time(self) -> Output:
        return self.keep(self.say("take_your_time"))

    # -- ending and pausing ----------------------------------------------------------------------------
    def red_flag(self) -> Output:
        # any red flag stops; an unclear one gets the leg advice
        kind = self.event.value if self.event.value in ("urgent", "unwell") else "leg"
        self.progress["red_flag"] = {"at": self.now, "kind": kind}
        self.session = None
        return self.end(self.say(f"red_flag_{kind}"))

    def pause(self) -> Output:
        return self._leave(self.say("pause"))

    def stop(self) -> Output:
        return self._leave(self.say("stop_saved"))

    def session_ended(self) -> Output:
        return self._leave()

    def _leave(self, *routine_words: str) -> Output:
        """Keep a routine resumable; anything else (an offer, a question) just ends."""
        if self.routine is None:
            self.session = None
            return self.end(self.say("goodbye")) if routine_words else self.end()
        if self.session["phase"] not in ("paused", "confirm_resume"):
            self.session["paused_from"] = self.session["phase"]
        self.set_phase("paused")
        return self.end(*routine_words)

    def goodbye_now(self) -> Output:
        self.session = None
        return self.end(self.say("goodbye"))

    def goodbye(self) -> Output:
        self.unchanged = True
        return self.end(self.say("goodbye"))

    def silent(self) -> Output:
        self.unchanged = True
        return self.end()

    # -- questions that change nothing -----------------------------------------------------------------
    def help(self) -> Output:
        phase = self.session["phase"] if self.session is not None else "idle"
        key = f"help_{phase}"
        if phase == "offer" and self.session["offer"] != "routine":
            key = "help_offer_restart" if self.session["offer"].startswith("restart") else "help_offer_stretches"
        if phase == "await_ready" and self.item()["form"] == "full":
            if self.catalog.move(self.item()["move"]).outdoor is not None:
                key = "help_await_ready_outdoor"     # "I'm outside" only where it changes something
        return self.keep(self.say(key), then="nothing")

    def repeat(self) -> Output:
        return self.keep(then="prompt")

    def unexpected(self) -> Output:
        return self.keep(self.say("unexpected"))

    def already_running(self) -> Output:
        return self.keep(self.say("already_running"), then="prompt")

    def busy_routine(self) -> Output:
        return self.keep(self.say("busy_routine"))

    def status(self) -> Output:
        routine = self.routine
        if routine is None:
            return self.keep(self.say("no_routine"))
        todo = [i for i, item in enumerate(routine["items"]) if item["status"] == "todo" and i >= routine["index"]]
        if routine["kind"] == "stretches":
            return self.keep(self.say("status_stretches", stretches=self.plural("stretch", len(todo))))
        answered = len(self.item()["sets"]) + (1 if self.session["phase"] == "await_answer" else 0)
        sets, name = self.plural("set", SETS - answered), self.move_now().name
        later = len([i for i in todo if i > routine["index"]])
        if answered >= SETS:      # at the last set's "Pain-free?"
            following = self.following()
            if not following:
                return self.keep(self.say("status_last_set_last", name=name))
            next_name = current_move(self.catalog, routine["items"][following[0]]).name
            return self.keep(self.say("status_last_set", name=name), self.say("status_next_up", name=next_name))
        if later:
            return self.keep(self.say("status_routine", sets=sets, name=name, moves=self.plural("more_move", later)))
        return self.keep(self.say("status_last", sets=sets, name=name))

    def explain(self) -> Output:
        if self.routine is None:
            return self.keep(self.say("explain_none"))
        return self.keep(self.move_now().explain)

    def report_progress(self) -> Output:
        return self.keep(*self.progress_report())

    # -- count tempo (remembered per move) -------------------------------------------------------------
    def slower(self) -> Output:
        return self._tempo(+1, "slower", "slowest")

    def faster(self) -> Output:
        return self._tempo(-1, "faster", "fastest")

    def _tempo(self, step: int, changed: str, limit: str) -> Output:
        move = self.move_now() if self.routine is not None else None
        if move is None or not move.counted:
            return self.keep(self.say("no_count"))
        tempo = tempo_step(self.tempo(move), step)
        if tempo is None:
            return self.keep(self.say(limit))
        self.progress["tempo"][move.id] = tempo
        return self.ask(self.say(changed, seconds=self.number(tempo)))

    # -- forgetting --------------------------------------------------------------------------------------
    def ask_forget(self) -> Output:
        phase = self.session["phase"] if self.session is not None else "idle"
        if self.session is None:
            self.session = self.new_session("confirm_forget", return_to="idle")
        elif phase != "confirm_forget":
            self.session.update(phase="confirm_forget", return_to=phase)
        return self.ask()

    def forget_now(self) -> Output:
        flag = self.progress["red_flag"]
        self.progress = new_progress()
        self.progress["red_flag"] = flag       # an unchecked red flag is safety, not progress: it stays
        self.session = None
        return self.end(self.say("forget_done"))

    def keep_progress(self) -> Output:
        back = self.session["return_to"]
        if back == "idle":
            self.session = None
        else:
            self.session.update(phase=back, return_to=None)
        return self.ask(self.say("forget_kept"))


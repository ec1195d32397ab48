"""What the coach says: builds speech segments from the catalogue, the phrases and the state.

`Script` is mixed into the turn in session.py; it reads the turn's progress and session and never
changes anything except the phrase-variant counters in session["said"].
"""
from __future__ import annotations

from typing import Any

from . import progress as progress_mod
from .catalog import SETS, Catalog, Move
from .plan import current_move, todays_plan
from .progress import Change, form_move_id
from .speech import Card, Count, Countdown, CountIn, Pause, Segment, Text
from .timing import SIDE_SWITCH_SECONDS

# The order in which the end-of-routine summary reports what changes next time.
_CHANGE_ORDER = ("mastered", "up", "at_max", "back_up", "hold", "easier", "parked")
_CHANGE_PHRASE = {"mastered": "next_mastered", "up": "next_up", "at_max": "next_at_max", "back_up": "next_back_up",
                  "hold": "next_hold", "easier": "next_easier", "parked": "next_parked"}
_WITH_REPS = frozenset({"up", "at_max", "hold"})


class Script:
    catalog: Catalog
    progress: dict[str, Any]
    session: dict[str, Any] | None

    # -- words -----------------------------------------------------------------------------------
    def say(self, key: str, **values: object) -> str:
        return self.catalog.phrases.text(key, **values)

    def vary(self, key: str, **values: object) -> str:
        """The next variant of a repeated phrase (a counter kept in the session, never random)."""
        said = self.session["said"] if self.session is not None else {}
        n = said.get(key, 0)
        said[key] = n + 1
        return self.catalog.phrases.text(key, n, **values)

    def number(self, n: int | float) -> str:
        return self.catalog.phrases.number(n)

    def plural(self, unit: str, n: int) -> str:
        return self.catalog.phrases.plural(unit, n)

    # -- the routine in progress -------------------------------------------------------------------
    @property
    def routine(self) -> dict[str, Any] | None:
        return self.session["routine"] if self.session is not None else None

    def item(self) -> dict[str, Any]:
        routine = self.routine
        return routine["items"][routine["index"]]

    def move_now(self) -> Move:
        """The move (or stretch) the routine is on, in the form being done."""
        if self.routine["kind"] == "stretches":
            return self.catalog.move(self.item()["move"])
        return current_move(self.catalog, self.item())

    def tempo(self, move: Move) -> float:
        return progress_mod.tempo(self.catalog, self.progress, move.id)

    # -- prompts: what the coach asks in each phase, and the re-prompt -----------------------------
    def prompt(self) -> tuple[list[Segment], list[Segment]]:
        phase = self.session["phase"] if self.session is not None else "idle"
        if phase == "offer" and self.session["offer"] == "routine":
            return [Text(self.say("offer_routine"))], [Text(self.say("offer_routine_reprompt"))]
        if phase == "offer" and self.session["offer"].startswith("restart"):
            return [Text(self.say("offer_restart"))], [Text(self.say("offer_restart_reprompt"))]
        if phase == "offer":
            key = "offer_stretches_instead" if self.session["offer"] == "stretches_instead" else "offer_stretches"
            stretches = self.plural("the_stretch", len(self.stretch_ids()[0]))
            return [Text(self.say(key, stretches=stretches))], [Text(self.say(f"{key}_reprompt"))]
        if phase == "confirm_checked":
            symptoms = self.say(f"flag_{self.progress['red_flag']['kind']}")
            return [Text(self.say("checked_question", symptoms=symptoms))], [Text(self.say("checked_reprompt"))]
        if phase == "back_check":
            return [Text(self.say("back_check"))], [Text(self.say("back_check_reprompt"))]
        if phase == "confirm_resume":
            if self.routine["kind"] == "stretches":
                ask = self.say("confirm_resume_stretch", name=self.move_now().name)
            else:
                ask = self.say("confirm_resume", name=self.move_now().name, n=self.number(len(self.item()["sets"]) + 1))
            return [Text(ask)], [Text(self.say("confirm_resume_reprompt"))]
        if phase == "await_ready":
            return self.intro(None), [Text(self.say("ready_reprompt"))]
        if phase == "await_answer":
            return [Text(self.say("pain_question"))], [Text(self.say("pain_reprompt"))]
        if phase == "stretch_ready":
            return self.stretch_intro(), [Text(self.say("stretch_ready_reprompt"))]
        if phase == "stretch_answer":
            return [Text(self.say("stretch_question"))], [Text(self.say("stretch_reprompt"))]
        if phase == "paused":
            return [Text(self.say("paused_at", name=self.move_now().name))], [Text(self.say("paused_reprompt"))]
        if phase == "confirm_forget":
            return [Text(self.say("forget_confirm"))], [Text(self.say("forget_confirm"))]
        return [Text(self.say("idle_prompt"))], [Text(self.say("idle_prompt"))]

    def intro(self, lead: str | None) -> list[Segment]:
        """A move's introduction: lead (default: "First, X." or "X, set 2 of 3."), position cue, "say ready"."""
        routine, item, move = self.routine, self.item(), self.move_now()
        if lead is None and item["sets"]:
            lead = self.say("intro_again", name=move.name, n=self.number(len(item["sets"]) + 1),
                            total=self.number(SETS))
        elif lead is None:
            last = max(i for i, it in enumerate(routine["items"]) if it["status"] == "todo")
            key = "intro_first" if routine["index"] == 0 else "intro_last" if routine["index"] == last else "intro_next"
            lead = self.say(key, name=move.name)
        return [Text(lead), Text(move.cues[0]), Text(self.say("say_ready"))]

    def stretch_intro(self) -> list[Segment]:
        move = self.move_now()
        key = "stretch_intro_first" if self.routine["index"] == 0 else "stretch_intro_next"
        return [Text(self.say(key, name=move.name)), Text(move.cues[0]), Text(self.say("say_ready"))]

    # -- counted sets and holds --------------------------------------------------------------------
    def set_segments(self) -> list[Segment]:
        """Set N: a cue that gets shorter as the move becomes familiar, the count-in and the count."""
        item, move = self.item(), self.move_now()
        n = len(item["sets"]) + 1
        head = [self.say("set_start", n=self.number(n), total=self.number(SETS))]
        first_on_form = not any(s["form"] == item["form"] for s in item["sets"])
        if first_on_form and move.id not in self.progress["seen"]:
            head.append(move.cues[1])
        elif n == 2 and len(move.cues) > 2:
            head.append(move.cues[2])
        count = Count(item["reps"], self.tempo(move))
        if not move.sides:
            return [Text(" ".join(head)), CountIn(), count]
        return [Text(" ".join(head + [self.say("left_side")])), CountIn(), count,
                Text(self.say("switch_sides")), Pause(SIDE_SWITCH_SECONDS), Text(self.say("right_side")), count]

    def rest_segments(self, ack: str) -> list[Segment]:
        seconds = self.move_now().rest
        return [Text(f"{ack} {self.say('rest', seconds=self.number(seconds))}"), Countdown(seconds, "rest")]

    def stretch_segments(self) -> list[Segment]:
        move = self.move_now()
        if move.counted:
            return [Text(move.cues[1]), CountIn(), Count(move.reps[0], self.tempo(move))]
        hold = Countdown(move.hold, "hold")
        if not move.sides:
            return [Text(move.cues[1]), hold]
        return [Text(f"{self.say('left_side')} {move.cues[1]}"), hold, Text(self.say("switch_sides")),
                Pause(SIDE_SWITCH_SECONDS), Text(self.say("right_side")), hold]

    def stretch_ids(self) -> tuple[list[str], bool]:
        """The stretches to offer, and whether they were all set aside before (then all are offered)."""
        kept = [s for s in self.catalog.stretches if s not in self.progress["skip_stretches"]]
        return (kept, False) if kept else (list(self.catalog.stretches), True)

    # -- reports -----------------------------------------------------------------------------------
    def plan_summary(self, items: list[dict[str, Any]]) -> str:
        moves, sets = self.plural("move", len(items)), self.plural("set", SETS)
        reps = {item["reps"] for item in items}
        if len(reps) == 1:
            return self.say("plan_same", moves=moves, sets=sets, reps=self.number(reps.pop()))
        return self.say("plan_mixed", moves=moves, sets=sets)

    def summary(self, items: list[dict[str, Any]], changes: list[Change], joining: list[str],
                pain: bool, checkup: bool = False) -> tuple[list[str], Card]:
        """The end-of-routine summary (spoken sentences) and the card with the same content."""
        sets = [s for item in items for s in item["sets"]]
        done = sum(1 for item in items if item["sets"])
        if sets:
            spoken = [self.say("summary_head", moves=self.plural("move", done),
                               ok=self.number(sum(s["result"] == "ok" for s in sets)), total=self.number(len(sets)))]
        else:
            spoken = [self.say("summary_empty")]
        next_time = self.change_sentences(changes, joining)
        advice = [self.say("checkup_advice")] if checkup else []
        advice += [self.say("keep_runs_easy")] if pain or checkup else []
        lines = [self.card_line(item) for item in items]
        card = Card(self.say("card_title"), "\n".join(lines + [""] + next_time + advice).strip())
        return spoken + next_time + advice, card

    def change_sentences(self, changes: list[Change], joining: list[str]) -> list[str]:
        groups: dict[tuple[str, int], list[str]] = {}
        for change in changes:
            if change.kind in _CHANGE_PHRASE:
                reps = change.reps if change.kind in _WITH_REPS else 0
                groups.setdefault((change.kind, reps), []).append(self.catalog.move(change.move).name)
        sentences = []
        for kind in _CHANGE_ORDER:
            for (group_kind, reps), names in groups.items():
                if group_kind != kind:
                    continue
                key = _CHANGE_PHRASE[kind] + ("_many" if len(names) > 1 and kind != "mastered" else "")
                values: dict[str, object] = {"names": self.catalog.phrases.join(names)}
                if kind in _WITH_REPS:
                    values["reps"] = self.number(reps)
                sentences.append(self.say(key, **values))
            if kind == "mastered" and joining:
                names = [self.catalog.move(move_id).name for move_id in joining]
                key = "next_joins_many" if len(names) > 1 else "next_joins"
                sentences.append(self.say(key, names=self.catalog.phrases.join(names)))
        return sentences

    def card_line(self, item: dict[str, Any]) -> str:
        move = self.catalog.move(item["move"])
        if item["status"] == "parked":
            return self.say("card_parked", name=move.name)
        if not item["sets"]:
            return self.say("card_skipped", name=move.name)
        ok, done = sum(s["result"] == "ok" for s in item["sets"]), len(item["sets"])
        for form, key in (("easier", "card_line_easier"), ("outdoor", "card_line_outdoor")):
            if any(s["form"] == form for s in item["sets"]):
                variant = self.catalog.move(form_move_id(self.catalog, move.id, form)).name
                return self.say(key, name=move.name, variant=variant, ok=ok, done=done, reps=item["reps"])
        return self.say("card_line", name=move.name, ok=ok, done=done, reps=item["reps"])

    def progress_report(self) -> list[str]:
        if self.progress["sessions"] == 0 and not self.progress["moves"]:
            return [self.say("progress_none")]
        levels = []
        for item in todays_plan(self.catalog, self.progress):
            name = self.catalog.move(item["move"]).name
            if item["form"] == "full":
                levels.append(self.say("level_full", name=name, reps=self.number(item["reps"])))
            else:
                levels.append(self.say("level_easier", name=name))
        report = [self.say("progress_sessions", sessions=self.plural("session", self.progress["sessions"])),
                  self.say("progress_levels", levels=self.catalog.phrases.join(levels))]
        mastered = [self.catalog.move(m).name for m in self.catalog.ladder
                    if self.progress["moves"].get(m, {}).get("mastered")]
        if mastered:
            report.append(self.say("progress_mastered", names=self.catalog.phrases.join(mastered)))
        return report

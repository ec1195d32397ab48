"""A screen view (plain JSON, see `check_view`) -> the APL directives that show it.

The documents are data (documents/*.json); this module fills their datasources, adds the move's
figure (figures.py) or the progress charts (chart.py) as graphics, and turns the view's timeline into
one ExecuteCommands: a Sequential of SetValue steps, each delayed so that it lands when the voice gets
there. Each step sets `step` on the document's root to the index of a prepared frame (set label, what
is counted or timed, words); everything on screen is a function of that frame and of the time since it
started. A counted run (one set's reps on one side, at one tempo) is one frame: the document works out
the count and where the figure is in its rep from the run's start and tempo, so the rep counter changes
the moment each number is heard without a step per rep, and a response stays small (Alexa's documented
limit on a whole response is 24 KB; bench/screen_size.py measures it).
"""
from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any

from skill.screen.chart import progress_graphics
from skill.screen.figures import Figures, load_figures

RENDER = "Alexa.Presentation.APL.RenderDocument"
EXECUTE = "Alexa.Presentation.APL.ExecuteCommands"
SCREENS = ("move", "stretch", "question", "message", "progress")
KINDS = ("cue", "position", "count_in", "rep", "switch", "rest", "hold", "question")
BUTTONS = ("pain_free", "hurt", "pause", "resume")
FORMS = ("full", "easier", "outdoor")
LAST_COUNT_SECONDS = 1.5   # the last number of a set stays up this long before what follows
VIEW_KEYS = frozenset({"screen", "token", "title", "text", "move", "timeline", "hint", "buttons", "progress"})
MOVE_KEYS = frozenset({"id", "name", "ladder_id", "ladder_name", "form", "sides", "reps", "tempo", "sets"})
ENTRY_KEYS = frozenset({"at", "kind", "set", "side", "rep", "seconds"})


class ViewError(ValueError):
    """A view this module cannot show; the message says which field is wrong."""


@cache
def words() -> dict[str, Any]:
    return json.loads((resources.files(__package__) / "words.json").read_text(encoding="utf-8"))


@cache
def document(name: str) -> dict[str, Any]:
    return json.loads((resources.files(__package__) / "documents" / f"{name}.json").read_text(encoding="utf-8"))


@cache
def figures() -> Figures:
    return load_figures()


def directives(view: dict[str, Any]) -> list[dict[str, Any]]:
    """RenderDocument (and ExecuteCommands when something changes during the speech) for `view`."""
    check_view(view)
    if view["screen"] == "progress":
        doc = copy.deepcopy(document("progress"))
        doc["graphics"] = progress_graphics(view["progress"], words())
        data = {"title": view["title"], "text": view["text"], "hint": view["hint"]}
        return [{"type": RENDER, "token": view["token"], "document": doc, "datasources": {"screen": data}}]
    doc = copy.deepcopy(document("coach"))
    move = view["move"]
    figure = figures().get(move["id"]) if move else None
    if figure is not None:
        doc["graphics"] = {"figure": figures().graphic(move["id"])}
    steps = frames(view)
    data = {
        "title": view["title"], "chip": _chip(view), "hint": view["hint"],
        "text": "" if any(f["big"] == view["text"] for f in steps) else view["text"],
        "figure": figure is not None, "ramp": (1 - figure.hold) / 2 if figure else 0.5,
        "buttons": [{"id": b, **words()["buttons"][b]} for b in view["buttons"]],
        "frames": [{key: value for key, value in frame.items() if key != "at"} for frame in steps],
    }
    found = [{"type": RENDER, "token": view["token"], "document": doc, "datasources": {"screen": data}}]
    if len(steps) > 1:
        found.append({"type": EXECUTE, "token": view["token"], "commands": commands(steps)})
    return found


def commands(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One Sequential: note when it started (t0), then set each frame at its time."""
    sequence: list[dict[str, Any]] = [
        {"type": "SetValue", "componentId": "root", "property": "t0", "value": "${elapsedTime}"}]
    previous = 0
    for index, frame in enumerate(steps[1:], start=1):
        at = round(frame["at"] * 1000)
        sequence.append({"type": "SetValue", "componentId": "root", "property": "step", "value": index,
                         "delay": at - previous})
        previous = at
    return [{"type": "Sequential", "commands": sequence}]


def frames(view: dict[str, Any]) -> list[dict[str, Any]]:
    """What the screen shows from each moment of the timeline on (the first from the start).

    A frame's `at` is the second it is shown (the commands carry it; the datasource does not); `t` and
    `span` (milliseconds) are when its part of the speech starts and how long it lasts: a rest or hold
    counts down from `t`; a run of reps counts `from + 1` ... `from + reps`, one every `span` from `t`,
    and keeps its last number up until the next frame.
    """
    move, w = view["move"], words()
    found: list[dict[str, Any]] = []

    def add(at: float, entry: dict[str, Any], **shown: Any) -> None:
        frame = {"at": round(at, 3), "t": _ms(entry["at"]), "span": _ms(entry["seconds"]),
                 "label": _label(view, entry), "mode": "words", "big": "", "caption": "", "from": 0, "reps": 0,
                 "flip": int(entry["side"] == "right"), **shown}
        if found and found[-1]["at"] >= frame["at"]:
            found.pop()              # two things at one moment: the later one is what shows
        found.append(frame)

    timeline = _runs(sorted(view["timeline"], key=lambda e: e["at"]))
    if not timeline or timeline[0]["at"] > 0:
        add(0, {"at": 0, "kind": "cue", "set": 0, "side": None, "rep": 0, "seconds": 0}, **_still(view))
    hold_until = 0.0
    for i, entry in enumerate(timeline):
        kind = entry["kind"]
        nxt = timeline[i + 1] if i + 1 < len(timeline) else None
        start = entry["at"]
        if hold_until > start:       # the last number of a set stays up a moment
            start = min(hold_until, nxt["at"] if nxt is not None else hold_until)
        hold_until = 0.0
        if kind == "rep":
            add(start, entry, mode="count", caption=w["of_reps"].format(reps=move["reps"]) if move else "",
                **{"from": entry["rep"] - 1, "reps": entry["reps"]})
            end = entry["at"] + entry["reps"] * entry["seconds"]
            if nxt is None or (nxt["at"] >= end - 0.001 and nxt["kind"] != "rep"):
                hold_until = end + LAST_COUNT_SECONDS
        elif kind in ("rest", "hold"):
            add(start, entry, mode=kind, caption=w[kind])
        elif kind == "question":
            add(start, entry, big=view["text"])
        elif kind == "switch":
            add(start, entry, big=w["switch"])
        elif kind == "count_in":
            add(start, entry, big=w["count_in"], caption=w["count_in_caption"])
        elif kind == "position":
            add(start, entry, big=w["position"])
        else:
            add(start, entry, **_still(view))
    return found


def _runs(timeline: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The timeline with each counted run as one rep entry with `reps`: reps that follow one another at
    one tempo, in one set and on one side, with no gap (the screen computes each one's moment)."""
    found: list[dict[str, Any]] = []
    for entry in timeline:
        run = found[-1] if found and found[-1]["kind"] == "rep" else None
        if (entry["kind"] == "rep" and run is not None and entry["rep"] == run["rep"] + run["reps"]
                and (entry["set"], entry["side"], entry["seconds"]) == (run["set"], run["side"], run["seconds"])
                and abs(entry["at"] - (run["at"] + run["reps"] * run["seconds"])) < 0.0015):
            run["reps"] += 1
        else:
            found.append({**entry, "reps": 1} if entry["kind"] == "rep" else entry)
    return found


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def _still(view: dict[str, Any]) -> dict[str, Any]:
    """Before anything is counted: the reps to come, or the question."""
    move = view["move"]
    if view["screen"] == "question":
        return {"big": view["text"]}
    if move and view["screen"] in ("move", "stretch") and move["reps"]:
        return {"big": words()["reps"].format(reps=move["reps"]),
                "caption": words()["each_side"] if move["sides"] else ""}
    return {}


def _label(view: dict[str, Any], entry: dict[str, Any]) -> str:
    w, move = words(), view["move"]
    parts = []
    if entry["set"] and move:
        parts.append(w["set"].format(n=entry["set"], total=move["sets"]))
    if entry["side"]:
        parts.append(w["side"][entry["side"]])
    return " · ".join(parts)


def _chip(view: dict[str, Any]) -> str:
    move = view["move"]
    if not move:
        return ""
    if view["screen"] == "stretch":
        return words()["forms"]["stretch"]
    return words()["forms"][move["form"]]


# -- checking a view ----------------------------------------------------------------------------------
def check_view(view: Any) -> None:
    """Refuse a view that breaks the contract (a bug in whoever built it), naming the field."""
    if not isinstance(view, dict) or set(view) != VIEW_KEYS:
        raise ViewError(f"a view has exactly the keys {sorted(VIEW_KEYS)}")
    if view["screen"] not in SCREENS:
        raise ViewError(f"screen: {view['screen']!r} is not one of {', '.join(SCREENS)}")
    for key in ("token", "title", "text", "hint"):
        if not isinstance(view[key], str):
            raise ViewError(f"{key}: must be text")
    if not view["token"]:
        raise ViewError("token: must not be empty")
    if not isinstance(view["buttons"], list) or not set(view["buttons"]) <= set(BUTTONS):
        raise ViewError(f"buttons: must be a list drawn from {', '.join(BUTTONS)}")
    move = view["move"]
    if move is not None:
        if not isinstance(move, dict) or set(move) != MOVE_KEYS:
            raise ViewError(f"move: needs exactly {sorted(MOVE_KEYS)}")
        if move["form"] not in FORMS:
            raise ViewError(f"move.form: {move['form']!r} is not one of {', '.join(FORMS)}")
        for key in ("reps", "sets"):
            if type(move[key]) is not int or move[key] < 0:
                raise ViewError(f"move.{key}: must be a whole number")
    if not isinstance(view["timeline"], list):
        raise ViewError("timeline: must be a list")
    for i, entry in enumerate(view["timeline"]):
        if not isinstance(entry, dict) or set(entry) != ENTRY_KEYS:
            raise ViewError(f"timeline[{i}]: needs exactly {sorted(ENTRY_KEYS)}")
        if entry["kind"] not in KINDS:
            raise ViewError(f"timeline[{i}].kind: {entry['kind']!r} is not one of {', '.join(KINDS)}")
        if entry["side"] not in ("left", "right", None):
            raise ViewError(f"timeline[{i}].side: must be left, right or null")
        for key in ("at", "seconds"):
            if not isinstance(entry[key], (int, float)) or isinstance(entry[key], bool) or entry[key] < 0:
                raise ViewError(f"timeline[{i}].{key}: must be seconds >= 0")
        if entry["kind"] == "rep" and entry["seconds"] <= 0:
            raise ViewError(f"timeline[{i}].seconds: a rep takes some time")
        if entry["kind"] in ("rep", "cue", "position", "count_in", "switch") and move is None:
            raise ViewError(f"timeline[{i}]: a {entry['kind']} needs a move")
    progress = view["progress"]
    if (view["screen"] == "progress") != (progress is not None):
        raise ViewError("progress: given exactly when the screen is progress")
    if progress is not None and (not isinstance(progress, dict) or set(progress) != {"sessions", "moves"}):
        raise ViewError("progress: needs sessions and moves")

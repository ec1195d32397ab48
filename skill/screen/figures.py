"""The moves drawn: stick figures as data (figures.json), turned into Alexa Vector Graphics (AVG).

Each figure gives the joint positions of a start pose and an end pose on a 240 x 150 canvas (y down,
floor at y = 140). The AVG draws the start pose and moves it towards the end pose with one parameter,
`p` (0 = start, 1 = end): every bone turns about its parent joint (so limbs keep their length mid-rep),
and the root joint (the one that stays put: the hip, or the standing foot) slides. Bones listed as
`foreshortened` (a limb turning towards the viewer) also change length. Parameter `alt` swaps the near
and far limbs' movement (alternating moves: one arm, then the other), and `flip` mirrors the figure
(the right side of a one-sided move).

A broken file fails at load with the figure and the key named, like the move catalogue.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

VIEWS = ("side", "front", "above")   # "side": the face shows (a nose tick); front/above: it doesn't
OVER_THE_TOP = 150                   # degrees: a turn this large goes up, not through the floor
LENGTH_TOLERANCE = 0.02              # a bone may differ this much in length between the two poses
COLORS = {"near": "#F4F7FA", "far": "#8896A6", "prop": "#33475B", "floor": "#5B6B7C"}
WIDTHS = {"torso": 7, "limb": 5, "far": 4.5}
HEAD_RADIUS = 8
FIGURE_KEYS = frozenset({"view", "root", "hold", "alternate", "mirror", "props", "foreshortened", "start", "end"})


class FigureError(ValueError):
    """figures.json is broken; the message names the figure and the key."""


@dataclass(frozen=True)
class Figure:
    id: str
    view: str
    root: str
    hold: float            # share of a rep spent in the end pose (lift, *hold*, lower)
    alternate: bool        # even reps move the other side's limbs
    mirror: str            # "x" or "y": the axis the right side flips across
    props: tuple[dict[str, list[float]], ...]
    foreshortened: frozenset[str]   # joints whose bone from the parent changes length
    start: dict[str, tuple[float, float]]
    end: dict[str, tuple[float, float]]


class Figures:
    def __init__(self, canvas: dict[str, float], bones: tuple[tuple[str, str], ...],
                 figures: dict[str, Figure]) -> None:
        self.canvas, self.bones, self._figures = canvas, bones, figures

    def ids(self) -> tuple[str, ...]:
        return tuple(self._figures)

    def get(self, move_id: str) -> Figure | None:
        return self._figures.get(move_id)

    def graphic(self, move_id: str) -> dict[str, Any]:
        """The AVG graphic of one move (parameters p, alt, flip)."""
        return _Graphic(self, self._figures[move_id]).build()


def load_figures(path: str | Path | None = None) -> Figures:
    source = Path(path) if path else Path(str(resources.files(__package__) / "figures.json"))
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise FigureError(f"{source.name}: cannot read ({exc})") from None
    return _read(source.name, data)


def _read(label: str, data: Any) -> Figures:
    def fail(where: str, problem: str) -> FigureError:
        return FigureError(f"{label}: {where}: {problem}")

    if not isinstance(data, dict) or set(data) != {"canvas", "bones", "figures"}:
        raise fail("(top)", "needs exactly canvas, bones and figures")
    canvas = data["canvas"]
    if not isinstance(canvas, dict) or set(canvas) != {"width", "height", "floor"}:
        raise fail("canvas", "needs width, height and floor")
    bones = tuple(tuple(b) for b in data["bones"])
    joints = {j for bone in bones for j in bone}
    children = [child for _, child in bones]
    if len(set(children)) != len(children) or len(joints) != len(bones) + 1:
        raise fail("bones", "must form a tree (each joint one parent)")
    figures = {}
    for move_id, entry in data["figures"].items():
        where = f"figures.{move_id}"
        if not isinstance(entry, dict) or (unknown := set(entry) - FIGURE_KEYS):
            raise fail(where, f"unknown key {sorted(unknown or ['?'])[0]!r}")
        poses = {}
        for name in ("start", "end"):
            pose = entry.get(name)
            if not isinstance(pose, dict) or set(pose) != joints:
                missing = sorted(joints - set(pose or {})) or sorted(set(pose or {}) - joints)
                raise fail(f"{where}.{name}", f"must give every joint exactly ({missing[:1]} is wrong)")
            for joint, xy in pose.items():
                if not (isinstance(xy, list) and len(xy) == 2 and all(isinstance(v, (int, float)) for v in xy)):
                    raise fail(f"{where}.{name}.{joint}", "must be [x, y]")
                if not (0 <= xy[0] <= canvas["width"] and 0 <= xy[1] <= canvas["height"]):
                    raise fail(f"{where}.{name}.{joint}", f"{xy} is off the canvas")
            poses[name] = {j: (float(x), float(y)) for j, (x, y) in pose.items()}
        view = entry.get("view", "side")
        if view not in VIEWS:
            raise fail(f"{where}.view", f"{view!r} is not one of {', '.join(VIEWS)}")
        root = entry.get("root", "hip")
        if root not in joints:
            raise fail(f"{where}.root", f"{root!r} is not a joint")
        hold = entry.get("hold", 0.0)
        if not isinstance(hold, (int, float)) or not 0 <= hold < 1:
            raise fail(f"{where}.hold", "must be a share of the rep, 0 <= hold < 1")
        mirror = entry.get("mirror", "x")
        if mirror not in ("x", "y"):
            raise fail(f"{where}.mirror", "must be x or y")
        short = entry.get("foreshortened", [])
        if not isinstance(short, list) or not set(short) <= set(children):
            raise fail(f"{where}.foreshortened", "must list joints that have a parent bone")
        props = entry.get("props", [])
        for i, prop in enumerate(props):
            if not (isinstance(prop, dict) and len(prop) == 1 and next(iter(prop)) in _PROPS):
                raise fail(f"{where}.props[{i}]", f"must be one of {', '.join(_PROPS)}")
        for parent, child in bones:
            if child in short:
                continue
            a, b = (math.dist(poses[p][parent], poses[p][child]) for p in ("start", "end"))
            if abs(a - b) > LENGTH_TOLERANCE * max(a, b, 1):
                raise fail(where, f"bone {parent}-{child} is {a:.1f} long at the start and {b:.1f} at the "
                                  "end (limbs keep their length; list it as foreshortened if it turns to the viewer)")
        for side in ("start", "end"):   # nothing goes through the floor
            low = max(poses[side], key=lambda j: poses[side][j][1])
            if view != "above" and poses[side][low][1] > canvas["floor"] + 1:
                raise fail(f"{where}.{side}.{low}", "is below the floor")
        figures[move_id] = Figure(move_id, view, root, float(hold), bool(entry.get("alternate", False)), mirror,
                                  tuple(props), frozenset(short), poses["start"], poses["end"])
    return Figures(canvas, bones, figures)


# -- building the AVG -------------------------------------------------------------------------------
def _n(value: float) -> float | int:
    rounded = round(value, 1)
    return int(rounded) if rounded == int(rounded) else rounded


def _angle(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))


def _turn(start: float, end: float) -> float:
    """The signed turn from one angle to another, in degrees: the shorter way, except that a turn of
    over OVER_THE_TOP degrees goes over the top (y up), so a limb never sweeps through the floor."""
    turn = (end - start + 180) % 360 - 180
    if abs(turn) > OVER_THE_TOP:
        other = turn - 360 if turn > 0 else turn + 360
        if math.sin(math.radians(start + other / 2)) < math.sin(math.radians(start + turn / 2)):
            return other
    return turn


def _swap(joint: str) -> str:
    return {"n_": "f_", "f_": "n_"}.get(joint[:2], "") + joint[2:] if joint[:2] in ("n_", "f_") else joint


def _by_p(value: float, alt: float) -> str | None:
    """"${p * value}", or with the alternate side's value; None when nothing moves."""
    value, alt = _n(value), _n(alt)
    if value == 0 and alt == 0:
        return None
    if value == alt:
        return f"${{p * {value}}}"
    return f"${{p * (alt ? {alt} : {value})}}"


_PROPS = ("box", "wall", "panel")


class _Graphic:
    def __init__(self, figures: Figures, figure: Figure) -> None:
        self.figures, self.figure = figures, figure
        # the skeleton re-rooted at the figure's root joint: parent of each joint
        links: dict[str, list[str]] = {}
        for a, b in figures.bones:
            links.setdefault(a, []).append(b)
            links.setdefault(b, []).append(a)
        self.parent: dict[str, str] = {}
        order, seen = [figure.root], {figure.root}
        for joint in order:
            for other in links[joint]:
                if other not in seen:
                    seen.add(other)
                    self.parent[other] = joint
                    order.append(other)

    def turn(self, joint: str, alt: bool = False) -> float:
        """How far the bone ending at `joint` turns (absolute), start -> end pose."""
        fig = self.figure
        source = _swap(joint) if alt and fig.alternate else joint
        parent = self.parent[source] if source in self.parent else self.parent[joint]
        return _turn(_angle(fig.start[parent], fig.start[source]), _angle(fig.end[parent], fig.end[source]))

    def stretch(self, joint: str, alt: bool = False) -> float:
        """End length / start length - 1 of the bone ending at `joint` (0 unless foreshortened)."""
        fig = self.figure
        source = _swap(joint) if alt and fig.alternate else joint
        if source not in fig.foreshortened:
            return 0.0
        parent = self.parent[source]
        return math.dist(fig.end[parent], fig.end[source]) / math.dist(fig.start[parent], fig.start[source]) - 1

    def relative(self, joint: str, alt: bool) -> float:
        parent = self.parent[joint]
        return self.turn(joint, alt) - (self.turn(parent, alt) if parent in self.parent else 0.0)

    def build(self) -> dict[str, Any]:
        fig, canvas = self.figure, self.figures.canvas
        body = [self.bone(joint) for joint in self.draw_order()]
        dx, dy = (fig.end[fig.root][i] - fig.start[fig.root][i] for i in (0, 1))
        moved = {"type": "group", "items": body}
        if _n(dx) or _n(dy):
            moved.update(translateX=_by_p(dx, dx) or 0, translateY=_by_p(dy, dy) or 0)
        scene = self.props() + [moved]
        mirror = (f"translate({canvas['width']},0) scale(-1,1)" if fig.mirror == "x"
                  else f"translate(0,{canvas['height']}) scale(1,-1)")
        flipped = {"type": "group", "transform": f"${{flip ? '{mirror}' : ''}}", "items": scene}
        floor = [] if fig.view == "above" else [{
            "type": "path", "pathData": f"M8,{canvas['floor'] + 2} L{canvas['width'] - 8},{canvas['floor'] + 2}",
            "stroke": COLORS["floor"], "strokeWidth": 2, "strokeLineCap": "round"}]
        return {
            "type": "AVG", "version": "1.2", "width": canvas["width"], "height": canvas["height"],
            "parameters": [{"name": "p", "type": "number", "default": 0},
                           {"name": "alt", "type": "number", "default": 0},
                           {"name": "flip", "type": "number", "default": 0}],
            "items": floor + [flipped],
        }

    def draw_order(self) -> list[str]:
        """Far limbs first (behind the body), then the body and head, then the near limbs."""
        joints = list(self.parent)
        rank = {"f_": 0, "n_": 2}
        return sorted(joints, key=lambda j: (rank.get(j[:2], 1), joints.index(j)))

    def bone(self, joint: str) -> dict[str, Any]:
        fig = self.figure
        parent = self.parent[joint]
        near = not joint.startswith("f_") and not parent.startswith("f_")
        item = self.line(parent, joint, near)
        # the bone's own turn, then each ancestor's turn (and stretch), innermost first
        wrapped, current = item, joint
        while current in self.parent:
            up = self.parent[current]
            rotation = _by_p(self.relative(current, False), self.relative(current, True))
            if rotation is not None:
                wrapped = {"type": "group", "rotation": rotation, "pivotX": _n(fig.start[up][0]),
                           "pivotY": _n(fig.start[up][1]), "items": [wrapped]}
            if up in self.parent and (up in fig.foreshortened or _swap(up) in fig.foreshortened):
                wrapped = self.carried(up, wrapped)
            current = up
        return wrapped

    def carried(self, joint: str, item: dict[str, Any]) -> dict[str, Any]:
        """Things hanging below a foreshortened bone move with its end as it shortens or lengthens."""
        fig = self.figure
        parent = self.parent[joint]
        vx, vy = (fig.start[joint][i] - fig.start[parent][i] for i in (0, 1))
        a, b = self.stretch(joint), self.stretch(joint, True)
        return {"type": "group", "translateX": _by_p(vx * a, vx * b) or 0,
                "translateY": _by_p(vy * a, vy * b) or 0, "items": [item]}

    def line(self, parent: str, joint: str, near: bool) -> dict[str, Any]:
        fig = self.figure
        (x1, y1), (x2, y2) = fig.start[parent], fig.start[joint]
        color = COLORS["near" if near else "far"]
        if joint == "head":
            r = HEAD_RADIUS
            return {"type": "group", "items": [
                {"type": "path", "pathData": _segment(x1, y1, x2, y2, joint, self),
                 "stroke": color, "strokeWidth": WIDTHS["limb"], "strokeLineCap": "round"},
                {"type": "path", "fill": color,
                 "pathData": f"M{_n(x2 - r)},{_n(y2)} a{r},{r} 0 1,0 {2 * r},0 a{r},{r} 0 1,0 {-2 * r},0"}]}
        if joint == "nose":
            if fig.view != "side":
                return {"type": "group", "items": []}
            sx, sy = x1 + (x2 - x1) * 0.55, y1 + (y2 - y1) * 0.55
            return {"type": "path", "pathData": f"M{_n(sx)},{_n(sy)} L{_n(x2)},{_n(y2)}", "stroke": color,
                    "strokeWidth": 3.5, "strokeLineCap": "round"}
        width = WIDTHS["torso"] if joint in ("mid", "neck", "hip") else WIDTHS["limb" if near else "far"]
        return {"type": "path", "pathData": _segment(x1, y1, x2, y2, joint, self), "stroke": color,
                "strokeWidth": width, "strokeLineCap": "round"}

    def props(self) -> list[dict[str, Any]]:
        items = []
        height = self.figures.canvas["floor"]
        for prop in self.figure.props:
            (kind, values), = prop.items()
            if kind == "wall":
                x = values
                items.append({"type": "path", "pathData": f"M{x},{8} L{x},{height}", "stroke": COLORS["prop"],
                              "strokeWidth": 6})
            else:
                x, y, w, h = values
                items.append({"type": "path", "pathData": f"M{x},{y} h{w} v{h} h{-w} Z",
                              "fill": COLORS["prop"] if kind == "box" else "#1E3246"})
        return items


def _segment(x1: float, y1: float, x2: float, y2: float, joint: str, graphic: _Graphic) -> str:
    """Path data of one bone; a foreshortened bone's far end moves with p."""
    a, b = graphic.stretch(joint), graphic.stretch(joint, True)
    return f"M{_n(x1)},{_n(y1)} L{_plus(x2, (x2 - x1) * a, (x2 - x1) * b)},{_plus(y2, (y2 - y1) * a, (y2 - y1) * b)}"


def _plus(base: float, delta: float, alt_delta: float) -> str:
    """`base`, or an expression moving it by `delta` (`alt_delta` on alternate reps) as p goes to 1."""
    moving = _by_p(delta, alt_delta)
    return str(_n(base)) if moving is None else f"${{{_n(base)} + {moving[2:-1]}}}"

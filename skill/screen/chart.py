"""The progress screen's two charts as AVG, drawn from the stored history: pain-free sets per session
(stacked on all sets answered) and each move's level (reps out of twelve, easier form, mastered)."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

WIDTH, SESSIONS_HEIGHT, ROW = 640, 300, 44
TOP_REPS = 12            # a ladder move's range ends at twelve
COLORS = {"ok": "#7FD4C1", "all": "#2B4A66", "grid": "#22384D", "text": "#CFE3F5", "dim": "#7F93A8",
          "easier": "#F2A97E", "done": "#F4F7FA"}


def progress_graphics(progress: dict[str, Any], words: dict[str, Any]) -> dict[str, Any]:
    return {"sessions": _sessions(progress["sessions"], words), "levels": _levels(progress["moves"], words)}


def _text(x: float, y: float, text: str, size: float, fill: str, anchor: str = "start",
          weight: str = "normal") -> dict[str, Any]:
    return {"type": "text", "x": round(x, 1), "y": round(y, 1), "text": text, "fontSize": size, "fill": fill,
            "textAnchor": anchor, "fontWeight": weight}


def _rect(x: float, y: float, w: float, h: float, fill: str) -> dict[str, Any]:
    return {"type": "path", "fill": fill, "pathData": f"M{x:.1f},{y:.1f} h{w:.1f} v{h:.1f} h{-w:.1f} Z"}


def _graphic(height: float, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "AVG", "version": "1.2", "width": WIDTH, "height": height, "items": items}


def _sessions(sessions: list[dict[str, Any]], words: dict[str, Any]) -> dict[str, Any]:
    left, right, top, bottom = 44, WIDTH - 8, 44, SESSIONS_HEIGHT - 36
    items = [_text(0, 24, words["chart_sessions"], 22, COLORS["text"], weight="bold")]
    if not sessions:
        return _graphic(SESSIONS_HEIGHT, items + [_text(WIDTH / 2, 160, words["chart_none"], 22, COLORS["dim"], "middle")])
    most = max(12, max(s["sets"] for s in sessions))
    scale = (bottom - top) / most
    for value in (0, most // 2, most):
        y = bottom - value * scale
        items += [{"type": "path", "pathData": f"M{left},{y:.1f} L{right},{y:.1f}", "stroke": COLORS["grid"],
                   "strokeWidth": 1}, _text(left - 8, y + 6, str(value), 16, COLORS["dim"], "end")]
    slot = (right - left) / len(sessions)
    bar = min(slot * 0.7, 48)
    label_every = max(1, round(len(sessions) / 6))
    for i, session in enumerate(sessions):
        x = left + i * slot + (slot - bar) / 2
        items.append(_rect(x, bottom - session["sets"] * scale, bar, session["sets"] * scale, COLORS["all"]))
        items.append(_rect(x, bottom - session["pain_free"] * scale, bar, session["pain_free"] * scale, COLORS["ok"]))
        if i % label_every == 0 or i == len(sessions) - 1:
            day = datetime.fromtimestamp(session["at"], timezone.utc)
            items.append(_text(x + bar / 2, bottom + 24, f"{day.day} {day:%b}", 15, COLORS["dim"], "middle"))
    return _graphic(SESSIONS_HEIGHT, items)


def _levels(moves: list[dict[str, Any]], words: dict[str, Any]) -> dict[str, Any]:
    height = 44 + ROW * max(len(moves), 1)
    items = [_text(0, 24, words["chart_levels"], 22, COLORS["text"], weight="bold")]
    dots_left, gap = 330, 22
    for i, move in enumerate(moves):
        y = 44 + i * ROW + ROW / 2
        items.append(_text(0, y + 7, move["name"], 20, COLORS["done"]))
        for rep in range(TOP_REPS):
            done = rep < move["reps"]
            color = (COLORS["easier"] if move["form"] == "easier" else COLORS["ok"]) if done else COLORS["grid"]
            cx = dots_left + rep * gap
            items.append({"type": "path", "fill": color,
                          "pathData": f"M{cx - 7},{y:.1f} a7,7 0 1,0 14,0 a7,7 0 1,0 -14,0"})
        note = words["mastered"] if move["mastered"] else (words["easier"] if move["form"] == "easier" else "")
        if note:
            items.append(_text(WIDTH, y + 6, note, 16, COLORS["easier"] if note == words["easier"] else COLORS["ok"],
                               "end"))
    return _graphic(height, items)

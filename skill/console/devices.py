"""What real devices tell a skill about themselves: their interfaces and viewport (the parts of a
request envelope that decide whether a screen is sent, and how big it is)."""
from __future__ import annotations

from typing import Any

APL = {"Alexa.Presentation.APL": {"runtime": {"maxVersion": "2023.3"}}}


def _screen(width: int, height: int, dpi: int, mode: str, touch: bool) -> dict[str, Any]:
    return {"experiences": [{"canRotate": False, "canResize": False}], "mode": mode, "shape": "RECTANGLE",
            "pixelWidth": width, "pixelHeight": height, "currentPixelWidth": width, "currentPixelHeight": height,
            "dpi": dpi, "touch": ["SINGLE"] if touch else [], "keyboard": [] if touch else ["DIRECTION"],
            "video": {"codecs": ["H_264_42", "H_264_41"]}}


# name -> (supportedInterfaces, Viewport or None)
DEVICES: dict[str, tuple[dict[str, Any], dict[str, Any] | None]] = {
    "echo-dot": ({"AudioPlayer": {}}, None),
    "echo-show-5": ({"AudioPlayer": {}, **APL}, _screen(960, 480, 160, "HUB", True)),
    "echo-show-8": ({"AudioPlayer": {}, **APL}, _screen(1280, 800, 160, "HUB", True)),
    "echo-show-15": ({"AudioPlayer": {}, **APL}, _screen(1920, 1080, 160, "HUB", True)),
    "fire-tv": ({"AudioPlayer": {}, **APL}, _screen(1920, 1080, 320, "TV", False)),
}


def apl_viewport(viewport: dict[str, Any]) -> dict[str, Any]:
    """The viewport as an APL document sees it: sizes in dp (160 dpi), mode in lower case."""
    scale = 160 / viewport["dpi"]
    return {"width": round(viewport["pixelWidth"] * scale), "height": round(viewport["pixelHeight"] * scale),
            "dpi": viewport["dpi"], "mode": viewport["mode"].lower()}

"""An HTML page that shows what an Echo Show would: the response's RenderDocument and ExecuteCommands,
rendered by preview.js (a small APL viewhost for Back Coach's documents). Open it in a browser to
watch it play with the speech; add #t=SECONDS to the address to freeze it at a moment."""
from __future__ import annotations

import json
from importlib import resources
from typing import Any

# Echo Show 8 (hubLandscapeMedium) unless told otherwise; sizes in dp, as APL's viewport gives them.
DEFAULT_VIEWPORT = {"width": 1280, "height": 800, "mode": "hub", "dpi": 160}

_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>{title}</title>
<style>html, body {{ margin: 0; background: #000; }} #touched {{ font: 14px sans-serif; color: #9FB3C8; }}</style>
</head><body><div id="screen"></div><div id="touched"></div>
<script>const SCREEN = {screen};</script>
<script>{script}</script>
</body></html>
"""


def screen_directives(response: dict[str, Any]) -> list[dict[str, Any]]:
    """The APL directives of a response envelope (empty when it sends no screen)."""
    found = (response.get("response") or {}).get("directives") or []
    return [d for d in found if str(d.get("type", "")).startswith("Alexa.Presentation.APL.")]


def page(directives: list[dict[str, Any]], viewport: dict[str, Any] | None = None,
         title: str = "Back Coach screen") -> str:
    if not any(d.get("type") == "Alexa.Presentation.APL.RenderDocument" for d in directives):
        raise ValueError("no Alexa.Presentation.APL.RenderDocument to show")
    screen = json.dumps({"viewport": viewport or DEFAULT_VIEWPORT, "directives": directives})
    script = (resources.files(__package__) / "preview.js").read_text(encoding="utf-8")
    # "</" would end the <script> element early if it appeared in the data
    return _PAGE.format(title=title, screen=screen.replace("</", "<\\/"), script=script)

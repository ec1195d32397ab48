"""`backcoach try --screen FILE.html`: the console talks as an Echo Show 8, and after every reply that
sends a screen, FILE.html shows it (rewritten each time; open it in a browser, it plays with the speech)."""
from __future__ import annotations

from pathlib import Path

from skill.console.devices import DEVICES, apl_viewport
from skill.screen.preview import page, screen_directives

DEVICE = "echo-show-8"


class ScreenFile:
    def __init__(self, path: Path, device: str = DEVICE) -> None:
        self.path = path
        self.interfaces, self.viewport = DEVICES[device]
        self.shown = 0

    def show(self, response: dict) -> None:
        directives = screen_directives(response)
        if directives:
            self.path.write_text(page(directives, apl_viewport(self.viewport)), encoding="utf-8")
            self.shown += 1

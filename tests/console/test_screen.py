"""`backcoach try --screen FILE.html`: the console talks as an Echo Show and writes its screen."""
from __future__ import annotations

import json
import re


def test_try_screen_writes_the_latest_screen(converse, tmp_path):
    page = tmp_path / "screen.html"
    result = converse("start my back routine", options=("--screen", str(page)))
    assert result.exit_code == 0, result.output
    assert "talking as an Echo Show 8" in result.output
    html = page.read_text(encoding="utf-8")
    screen = json.loads(re.search(r"const SCREEN = (.*?);</script>", html, re.S).group(1))
    assert screen["viewport"] == {"width": 1280, "height": 800, "dpi": 160, "mode": "hub"}
    data = screen["directives"][0]["datasources"]["screen"]
    assert data["title"] == "Superman" and data["frames"][-1]["big"] == "Pain-free?"
    assert "const APL" in html    # the renderer travels with the page: it opens anywhere


def test_try_screen_refuses_a_file_that_is_not_a_page(converse, tmp_path):
    result = converse("start my back routine", options=("--screen", str(tmp_path / "screen.txt")))
    assert result.exit_code == 2
    assert "should end in .html" in result.output

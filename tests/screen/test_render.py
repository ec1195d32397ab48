"""The screens as a person sees them: the preview (the same RenderDocument, datasources, AVG and
commands the skill sends) rendered by headless Chromium at Echo Show 8 and 15 sizes, frozen at a
moment, and compared with the committed reference pictures. The run's pictures are kept in
build/screen/. After a deliberate change, BACKCOACH_UPDATE_SCREENS=1 rewrites the references and the
README's pictures (docs/screen/); look at them before committing."""
from __future__ import annotations

import json
from datetime import timedelta
import os
import shutil
import subprocess
import tempfile
from importlib import resources
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from skill.console.devices import DEVICES, apl_viewport
from skill.screen.figures import load_figures
from skill.screen.preview import page, screen_directives
from tests.alexa.test_conversation import finish_routine
from tests.screen.conftest import ARTEFACTS, CHROMIUM_FLAGS, REFERENCE, screenshot

UPDATE = os.environ.get("BACKCOACH_UPDATE_SCREENS") == "1"
README_SHOTS = REFERENCE.parents[2] / "docs" / "screen"
# A pixel counts as changed when a channel moves by more than this; a picture may change this share
# (one limb drawn a unit thinner changes 0.09% of a screen, 0.3% of the figure sheet).
PIXEL_DELTA, CHANGED_SHARE = 48, 0.0002


def screens(device_alexa, device: str) -> dict[str, tuple[dict, float]]:
    """name -> (response, the second to freeze it at): a move mid-rep, a rest, the progress chart."""
    alexa = device_alexa(device)
    counted = alexa.say("StartRoutineIntent")
    finish_routine(alexa)
    alexa.now += timedelta(days=7)             # a week on: no next-day check
    alexa.say("StartRoutineIntent")            # a second session, with pain: two bars, one moves easier
    alexa.say("HurtIntent")
    finish_routine(alexa)
    progress = alexa.say("ProgressIntent")
    frames = counted.raw["response"]["directives"][0]["datasources"]["screen"]["frames"]
    third = next(f for f in frames if f["mode"] == "count" and f["count"] == 2)
    rest = next(f for f in frames if f["mode"] == "timer" and f["caption"] == "Rest")
    return {"move": (counted.raw, third["at"] + 1.9), "rest": (counted.raw, rest["at"] + 13.0),
            "progress": (progress.raw, 0.0)}


def compare(name: str, shot: Path) -> None:
    reference = REFERENCE / f"{name}.png"
    if UPDATE:
        shutil.copy(shot, reference)
    assert reference.is_file(), f"no reference picture {reference}: run with BACKCOACH_UPDATE_SCREENS=1 and look at it"
    now, then = Image.open(shot).convert("RGB"), Image.open(reference).convert("RGB")
    assert now.size == then.size, f"{name}: {now.size} against the reference's {then.size}"
    red, green, blue = ImageChops.difference(now, then).split()
    marked = ImageChops.lighter(ImageChops.lighter(red, green), blue).point(lambda v: 255 if v > PIXEL_DELTA else 0)
    share = marked.histogram()[255] / (now.size[0] * now.size[1])
    if share > CHANGED_SHARE:
        marked.save(ARTEFACTS / f"{name}-diff.png")
    assert share <= CHANGED_SHARE, f"{name} differs from its reference in {share:.2%} of pixels (see build/screen/)"


@pytest.fixture(scope="module", autouse=True)
def artefacts():
    ARTEFACTS.mkdir(parents=True, exist_ok=True)


@pytest.mark.parametrize("device", ["echo-show-8", "echo-show-15"])
def test_the_screens_look_as_they_did(device_alexa, device):
    viewport = apl_viewport(DEVICES[device][1])
    for name, (response, at) in screens(device_alexa, device).items():
        html = ARTEFACTS / f"{device}-{name}.html"
        html.write_text(page(screen_directives(response), viewport), encoding="utf-8")
        shot = screenshot(html, ARTEFACTS / f"{device}-{name}.png", viewport["width"], viewport["height"], at)
        compare(f"{device}-{name}", shot)
        if UPDATE and device == "echo-show-8":
            README_SHOTS.mkdir(parents=True, exist_ok=True)
            small = Image.open(shot).convert("RGB").resize((640, 400), Image.LANCZOS)
            small.quantize(colors=64).save(README_SHOTS / f"{name}.png", optimize=True)


def dom_at(html: Path, at: float) -> str:
    chromium = shutil.which("chromium")
    assert chromium, "chromium is not installed: `make test` installs it"
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--window-size=1280,800",
                               "--dump-dom", html.resolve().as_uri() + f"#t={at}"],
                              capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


def test_the_preview_counts_and_rests_with_the_voice(device_alexa, tmp_path):
    found = screens(device_alexa, "echo-show-8")
    frames = found["move"][0]["response"]["directives"][0]["datasources"]["screen"]["frames"]
    first = next(f for f in frames if f["mode"] == "count")
    html = tmp_path / "move.html"
    html.write_text(page(screen_directives(found["move"][0])), encoding="utf-8")
    # Superman: the number k is heard 4k s after the first rep starts; the screen shows it then
    for k, at in ((0, first["at"] + 1), (1, first["at"] + 4.2), (5, first["at"] + 20.3)):
        dom = dom_at(html, at)
        assert f">{k}</div>" in dom and "Set 1 of 3" in dom, f"at {at} s the counter should show {k}"
    timer = next(f for f in frames if f["mode"] == "timer" and f["caption"] == "Rest")
    assert ">28</div>" in dom_at(html, timer["t"] + 2.5)      # thirty seconds' rest, two and a half in
    last = [f for f in frames if f["mode"] == "count"][-1]
    assert "Set 3 of 3" in dom_at(html, last["at"] + 1) and "Pain-free?" in dom_at(html, last["at"] + 3)


def test_every_figure_looks_as_it_did():
    """All moves on one sheet: start, mid-rep, end, the other side's limbs (alternating moves), mirrored."""
    figures = load_figures()
    graphics = {move_id: figures.graphic(move_id) for move_id in figures.ids()}
    script = (resources.files("skill.screen") / "preview.js").read_text(encoding="utf-8")
    html = ARTEFACTS / "figures.html"
    html.write_text(f"""<!doctype html><html><head><meta charset="utf-8"><style>
body {{ margin: 0; background: #0E1A27; color: #CFE3F5; font: 13px sans-serif; display: flex; flex-wrap: wrap; }}
.move {{ width: 50%; display: flex; align-items: center; }} .name {{ width: 150px; padding-left: 6px; }}
svg {{ width: 110px; height: 69px; border: 1px solid #22384D; }}</style></head><body>
<script>{script}</script><script>
for (const [id, avg] of Object.entries({json.dumps(graphics)})) {{
  const row = document.createElement("div"); row.className = "move";
  const name = document.createElement("div"); name.className = "name"; name.textContent = id; row.appendChild(name);
  for (const [p, alt, flip] of [[0, 0, 0], [0.5, 0, 0], [1, 0, 0], [1, 1, 0], [1, 0, 1]]) {{
    row.appendChild(APL.graphic(avg, {{p, alt, flip}}));
  }}
  document.body.appendChild(row);
}}</script></body></html>""", encoding="utf-8")
    compare("figures", screenshot(html, ARTEFACTS / "figures.png", 1440, 1060))

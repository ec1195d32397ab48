"""The screens as a person sees them: the preview (the same RenderDocument, datasources, AVG and
commands the skill sends) rendered by headless Chromium at Echo Show 8 and 15 sizes, frozen at a
moment, and compared with the committed reference pictures. The run's pictures are kept in
build/screen/. After a deliberate change, BACKCOACH_UPDATE_SCREENS=1 rewrites the references and the
README's pictures (docs/screen/); look at them before committing."""
from __future__ import annotations

import html as markup
import json
from datetime import timedelta
import os
import re
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
    run = next(f for f in frames if f["mode"] == "count")
    rest = next(f for f in frames if f["mode"] == "rest")
    return {"move": (counted.raw, (run["t"] + 2 * run["span"]) / 1000 + 1.9),    # 1.9 s into the third rep
            "rest": (counted.raw, rest["t"] / 1000 + 13.0), "progress": (progress.raw, 0.0)}


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


_MOMENTS = """<!doctype html><html><head><meta charset="utf-8"></head><body><pre id="out"></pre>
<script>{script}</script><script>
const out = [];
for (const [screen, times] of {cases}) {{
  for (const at of times) {{
    const mount = document.createElement("div");
    try {{ APL.render(screen, at * 1000, mount); out.push(mount.innerHTML); }}
    catch (error) {{ out.push(`refused: ${{error.message}}`); }}
  }}
}}
document.getElementById("out").textContent = JSON.stringify(out);
</script></body></html>"""


def moments(cases: list[tuple[list[dict], list[float]]], folder: Path) -> list[str]:
    """For each (directives, seconds): the preview's screen (HTML) at each moment, or "refused: why".
    One Chromium run for all of them."""
    script = (resources.files("skill.screen") / "preview.js").read_text(encoding="utf-8")
    screens = [[{"viewport": apl_viewport(DEVICES["echo-show-8"][1]), "directives": d}, times] for d, times in cases]
    html = folder / "moments.html"
    html.write_text(_MOMENTS.format(script=script, cases=json.dumps(screens).replace("</", "<\\/")), encoding="utf-8")
    dom = dom_at(html, 0)
    found = re.search(r'<pre id="out">(.*?)</pre>', dom, re.S)
    assert found, f"the page printed nothing: {dom[:500]}"
    return json.loads(markup.unescape(found.group(1)))


def figure(screen_html: str) -> str:
    found = re.search(r"<svg.*</svg>", screen_html, re.S)
    assert found, "no figure on the screen"
    return found.group(0)


def test_the_preview_counts_and_rests_with_the_voice(device_alexa, tmp_path):
    found = screens(device_alexa, "echo-show-8")
    response = found["move"][0]
    frames = response["response"]["directives"][0]["datasources"]["screen"]["frames"]
    runs = [f for f in frames if f["mode"] == "count"]
    start, end = runs[0]["t"] / 1000, (runs[-1]["t"] + runs[-1]["reps"] * runs[-1]["span"]) / 1000
    # Superman: the number k is heard 4k s after the first rep starts; the screen shows it then, and the
    # set's last number stays up a moment before the question
    at = [start + 1, start + 4.2, start + 20.3, end + 1, end + 3]
    shown = moments([(screen_directives(response), at)], tmp_path)
    for k, screen in zip((0, 1, 5), shown):
        assert f">{k}</div>" in screen and "Set 1 of 3" in screen, f"the counter should show {k}"
    assert ">8</div>" in shown[3] and "Set 3 of 3" in shown[3] and "Pain-free?" not in shown[3]
    assert "Pain-free?" in shown[4]
    timer = next(f for f in frames if f["mode"] == "rest")
    html = tmp_path / "move.html"
    html.write_text(page(screen_directives(response)), encoding="utf-8")     # the page, frozen by its address
    assert ">28</div>" in dom_at(html, timer["t"] / 1000 + 2.5)      # thirty seconds' rest, two and a half in


def test_the_figure_moves_once_per_rep_and_alternates_sides_on_alternating_moves(device_alexa, tmp_path):
    alexa = device_alexa("echo-show-8")
    superman = alexa.say("StartRoutineIntent")
    alternating = alexa.say("HurtIntent")          # on to the easier Alternating Superman: one arm, then the other
    cases = []
    for reply in (superman, alternating):
        frames = reply.raw["response"]["directives"][0]["datasources"]["screen"]["frames"]
        run = next(f for f in frames if f["mode"] == "count")
        t, span = run["t"] / 1000, run["span"] / 1000
        cases.append((screen_directives(reply.raw), [t, t + span / 2, t + span, t + 1.5 * span, t + 2.5 * span]))
    shown = [figure(screen) for screen in moments(cases, tmp_path)]
    (rest, mid1, rest1, mid2, mid3), (a_rest, a_mid1, a_rest1, a_mid2, a_mid3) = shown[:5], shown[5:]
    assert rest == rest1 != mid1 == mid2 == mid3          # lifts and lowers within each rep, the same each time
    assert a_rest == a_rest1 and a_mid1 != a_rest and a_mid1 != a_mid2 and a_mid1 == a_mid3   # sides take turns


def text_screen(text: str, when: str | None = None) -> list[dict]:
    """A one-Text document showing `text` over the datasource {d: {n: 1}}, with its commands setting step."""
    item = {"type": "Text", "text": text, **({"when": when} if when else {})}
    document = {"type": "APL", "version": "2023.3", "mainTemplate": {"parameters": ["payload"], "item": {
        "type": "Container", "id": "root", "bind": [{"name": "step", "type": "number", "value": 0}], "items": [item]}}}
    commands = [{"type": "Sequential", "commands": [
        {"type": "SetValue", "componentId": "root", "property": "step", "value": 1, "delay": 1000}]}]
    return [{"type": "Alexa.Presentation.APL.RenderDocument", "token": "t", "document": document,
             "datasources": {"d": {"n": 1}}},
            {"type": "Alexa.Presentation.APL.ExecuteCommands", "token": "t", "commands": commands}]


def test_the_preview_evaluates_the_expressions_the_documents_use_and_refuses_others(tmp_path):
    accepted = {"${7 % 3}": "1", "${Math.floor(2.7) + Math.ceil(0.2)}": "3", "${-payload.d.n * 2}": "-2",
                "${payload.d.n == '1' ? 'coerced' : 'compared as APL does'}": "compared as APL does"}
    refused = {"${Math.random()}": "the preview does not know Math.random",
               "${payload.d.n === 1}": "the preview does not know", "${payload.d.n ?? 2}": "the preview cannot read",
               "${typeof payload}": "the preview does not know typeof", "${window}": "window is not bound",
               "${payload.d.missing}": "the datasource has no field missing",
               "${payload.toString()}": "the preview calls only Math functions"}
    cases = [(text_screen(code), [2.0]) for code in [*accepted, *refused]]
    cases.append((text_screen("shown", when="${step == 0}"), [0.5, 2.0]))     # `when` counts at inflation only
    shown = moments(cases, tmp_path)
    for (code, value), screen in zip(accepted.items(), shown):
        assert f">{value}</div>" in screen, (code, screen)
    for (code, reason), screen in zip(refused.items(), shown[len(accepted):]):
        assert screen.startswith("refused: ") and reason in screen, (code, screen)
    assert ">shown</div>" in shown[-2]
    assert shown[-1].startswith("refused: ${step == 0} is false now but was true when the document inflated")


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

"""The screen through real tools: Amazon's APL validator (npm apl-suggester) and headless Chromium
(Debian), both installed by `make test`. Missing tools fail the tests; they never skip."""
from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from skill.alexa.skill import compose
from skill.alexa.store import SQLiteStore
from skill.console.devices import DEVICES
from skill.console.envelopes import Device
from tests.alexa.conftest import Alexa, coach  # noqa: F401  (coach: a fixture used here)

HERE = Path(__file__).resolve().parent
VALIDATOR = HERE / "apl"
REFERENCE = HERE / "reference"
# Screenshots of this run, kept for people to look at (build/ is not committed).
ARTEFACTS = HERE.parents[1] / "build" / "screen"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--force-device-scale-factor=1")


def validate(documents: dict[str, dict]) -> dict[str, list[dict]]:
    """name -> the validator's findings (errors and warnings) for each APL document."""
    node = shutil.which("node")
    assert node, "node is not installed: `make test` installs it"
    assert (VALIDATOR / "node_modules" / "apl-suggester").is_dir(), \
        "apl-suggester is not installed: run `npm ci --prefix tests/screen/apl` (make test does)"
    payload = json.dumps([{"name": name, "document": doc} for name, doc in documents.items()])
    done = subprocess.run([node, "validate.js"], cwd=VALIDATOR, input=payload, capture_output=True, text=True,
                          timeout=300, check=True)
    return {r["name"]: r["errors"] for r in json.loads(done.stdout)}


def screenshot(page: Path, out: Path, width: int, height: int, at: float | None = None) -> Path:
    """Headless Chromium's picture of `page` (frozen `at` seconds in, if given) at width x height."""
    chromium = shutil.which("chromium")
    assert chromium, "chromium is not installed: `make test` installs it (apt-get install chromium)"
    url = page.resolve().as_uri() + (f"#t={at}" if at is not None else "")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
                        f"--screenshot={out}", url], capture_output=True, timeout=120, check=True)
    assert out.is_file(), f"chromium made no screenshot of {page}"
    return out


@pytest.fixture
def device_alexa(coach, tmp_path):
    """device_alexa("echo-show-8"): an Alexa on that kind of device, with its own store."""
    def make(name: str, store: SQLiteStore | None = None) -> Alexa:
        interfaces, viewport = DEVICES[name]
        store = store or SQLiteStore(tmp_path / name)
        return Alexa(compose(coach, store), store, Device(interfaces=interfaces, viewport=viewport))
    return make

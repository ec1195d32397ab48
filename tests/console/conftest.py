"""Run `backcoach try` as a person would: a script of utterances, a local store in a temporary folder."""
from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from werkzeug.serving import make_server

from skill.cli import main
from skill.config import Settings
from skill.web.app import create_app

# A whole pain-free routine: four moves, three sets each, then no thanks to the stretches.
PAIN_FREE_ROUTINE = ("start my back routine", "yes", "yes", "yes", "yes", "no")   # six answers, hands-free

Converse = Callable[..., Result]


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def converse(tmp_path, data_dir) -> Converse:
    """converse(*lines, user=..., options=[...]): one `backcoach try --script` run, its Result."""
    numbers = itertools.count(1)

    def run(*lines: str, user: str = "me", options: tuple[str, ...] = (), store: Path | None = None) -> Result:
        script = tmp_path / f"script-{next(numbers)}.txt"
        script.write_text("\n".join(lines) + "\n", encoding="utf-8")
        where = options if "--url" in options else ("--data-dir", str(store or data_dir), *options)
        return CliRunner().invoke(main, ["try", "--script", str(script), "--user", user, *where])

    return run


@pytest.fixture
def dev_server(tmp_path) -> Iterator[tuple[str, Path]]:
    """A real HTTP server on loopback running the dev-mode app: (its /alexa URL, its data dir)."""
    store = tmp_path / "server-data"
    server = make_server("127.0.0.1", 0, create_app(Settings(dev=True, data_dir=store)), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/alexa", store
    finally:
        server.shutdown()
        thread.join(timeout=5)


def turns(output: str) -> list[tuple[str, str]]:
    """(what was said, everything shown until the next utterance), in order."""
    found: list[tuple[str, str]] = []
    for line in output.splitlines():
        if line.startswith("You: "):
            found.append((line[len("You: "):], ""))
        elif found:
            found[-1] = (found[-1][0], found[-1][1] + line + "\n")
    return found

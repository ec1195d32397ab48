"""--url: the same conversation against a running server on loopback, and what happens when it is not there."""
from __future__ import annotations

import socket
import threading

from werkzeug.serving import make_server

from skill.config import Settings
from skill.web.app import create_app
from tests.console.conftest import turns


def test_a_conversation_over_http_lands_in_the_servers_store(converse, dev_server):
    url, server_store = dev_server
    result = converse("start my back routine", "no", user="anna", options=("--url", url))
    assert result.exit_code == 0, result.output
    assert f"Back Coach at {url}, as anna." in result.output
    said = turns(result.output)
    assert "Welcome to Back Coach." in said[0][1]
    assert "Let's make it easier: Alternating Superman." in said[1][1]
    # The same person in-process on the server's store carries on from there: same store, same skill.
    again = turns(converse("alexa open back coach", user="anna", store=server_store).output)
    assert "Welcome back. Was Alternating Superman pain-free?" in again[0][1]


def test_an_unreachable_url_is_a_clear_error(converse):
    with socket.socket() as probe:  # a port that was free a moment ago and has nobody listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/alexa"
    result = converse("start my back routine", options=("--url", url))
    assert result.exit_code == 1
    assert (f"Error: cannot reach {url}: connection refused — is `backcoach serve --dev` running?"
            in result.output)
    assert "Traceback" not in result.output


def test_a_server_that_verifies_requests_refuses_the_console_and_the_run_fails(converse, tmp_path):
    app = create_app(Settings(skill_ids=frozenset({"amzn1.ask.skill.real"}), data_dir=tmp_path / "live"))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        result = converse("start my back routine", options=("--url", f"http://127.0.0.1:{server.server_port}/alexa"))
    finally:
        server.shutdown()
        thread.join(timeout=5)
    assert result.exit_code == 1
    assert "the skill refused the request (HTTP 400" in result.output
    assert "the console does not sign them" in result.output
    assert "There was a problem with the requested skill's response." in result.output

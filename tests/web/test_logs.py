"""Log lines quote requests only clipped and escaped: no request can flood the log or forge a line."""
from __future__ import annotations

import logging

from skill.alexa.logsafe import FIELD_LIMIT, clip
from tests.web.conftest import body_of, now, signed_post


def _web_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "backcoach.web"]


def test_a_huge_intent_name_in_a_refused_request_adds_one_short_line(client, device, caplog):
    name = "Start\nINFO forged line " + "x" * 127_000
    body = body_of(device.intent(name, now()))
    with caplog.at_level(logging.INFO, logger="backcoach.web"):
        for _ in range(20):
            response = client.post("/alexa", data=body, headers={"Content-Type": "application/json"})
            assert response.status_code == 400  # unsigned
    lines = _web_lines(caplog)
    assert len(lines) == 20
    assert all(len(line) < 500 and "\n" not in line for line in lines)
    assert "Start\\nINFO forged line" in lines[0] and f"[{len(name)} chars]" in lines[0]


def test_a_path_with_control_characters_is_escaped(client, caplog):
    with caplog.at_level(logging.INFO, logger="backcoach.web"):
        assert client.get("/alexa%0Aforged%1b[31m" + "y" * 5000).status_code in (404, 405)
    (line,) = _web_lines(caplog)
    assert "\n" not in line and "\x1b" not in line and "\\n" in line and len(line) < 500


def test_alexas_error_report_is_logged_clipped(client, device, caplog):
    envelope = device._envelope({"type": "System.ExceptionEncountered",
                                 "error": {"type": "INVALID_RESPONSE", "message": "bad\n" * 10_000},
                                 "cause": {"requestId": "amzn1.echo-api.request.x"}}, now(), in_session=False)
    with caplog.at_level(logging.INFO):
        response = signed_post(client, envelope)
    assert response.status_code == 200 and response.get_json()["response"] == {}
    (line,) = [r.getMessage() for r in caplog.records if r.name == "backcoach.alexa"]
    assert "INVALID_RESPONSE bad\\nbad\\n" in line and "[40000 chars]" in line and len(line) < 1200


def test_clip_keeps_short_text_and_marks_cut_text():
    assert clip("LaunchRequest") == "LaunchRequest"
    assert clip("é\u2028\x00") == "\\xe9\\u2028\\x00"
    assert clip("z" * 100) == "z" * FIELD_LIMIT + "...[100 chars]"

"""The HTTP endpoint as Alexa and an attacker see it: 200 for verified requests, 400 for the rest."""
from __future__ import annotations

import logging
import os
import sqlite3
import threading
from datetime import timedelta

import pytest

from skill.config import Settings
from skill.console.envelopes import Device
from skill.web.app import create_app
from tests.signing import SigningCA
from tests.ssml_check import check_ssml, spoken_text
from tests.web.conftest import CERT, body_of, now, signed_post


def _said(response) -> str:
    return spoken_text(response.get_json()["response"]["outputSpeech"]["ssml"])


def test_a_verified_launch_is_answered(client, device):
    response = signed_post(client, device.launch(now()))
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    check_ssml(body["response"]["outputSpeech"]["ssml"])
    assert "Back Coach" in _said(response)
    assert body["response"]["shouldEndSession"] is False


def test_healthz_reports_the_store(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok", "store": "ok"}


def test_one_signed_yes_sent_three_times_counts_once_with_one_answer(app, client, device):
    """The replay from issue 13: the same signed request three times within its 150 s."""
    device.answered(signed_post(client, device.intent("StartRoutineIntent", now())).get_json())
    yes = body_of(device.intent("AMAZON.YesIntent", now()))
    replies = [signed_post(client, None, body=yes) for _ in range(3)]
    assert [r.status_code for r in replies] == [200] * 3
    assert len({r.get_data() for r in replies}) == 1 and _said(replies[0]).endswith("Pain-free?")
    store = app.extensions["backcoach.store"]
    assert [rev for _, rev in _records(store)] == [2]  # the start, and one yes
    assert signed_post(client, device.intent("AMAZON.YesIntent", now())).status_code == 200
    assert [rev for _, rev in _records(store)] == [3]  # another yes (a new request) counts


def test_a_deleted_database_is_a_503_and_turns_apologise_saving_nothing(app, client, device, settings, caplog):
    device.answered(signed_post(client, device.intent("StartRoutineIntent", now())).get_json())
    store = app.extensions["backcoach.store"]
    (before,) = _records(store)
    kept = settings.data_dir / "kept"
    os.link(store.path, kept)
    os.unlink(store.path)
    with caplog.at_level(logging.INFO):
        health = client.get("/healthz")
        turn = signed_post(client, device.intent("AMAZON.YesIntent", now()))
    assert health.status_code == 503 and health.get_json() == {"status": "unavailable", "store": "failing"}
    assert turn.status_code == 200 and "something went wrong" in _said(turn)
    failures = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failures) == 2 and all("backcoach.sqlite3 is gone" in line and len(line) < 300 for line in failures)
    os.link(kept, store.path)  # back: the same file, nothing written meanwhile
    assert _records(store) == [before] and client.get("/healthz").status_code == 200


def _records(store) -> list:
    with sqlite3.connect(f"{store.path.as_uri()}?mode=ro", uri=True) as db:
        return [(key, rev) for key, rev in db.execute("SELECT id, rev FROM people")]


@pytest.mark.parametrize("cert_url, status", [
    ("https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem", 200),
    ("https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem", 200),
    ("HTTPS://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem", 200),
    ("http://s3.amazonaws.com/echo.api/echo-api-cert.pem", 400),
    ("https://notamazon.com/echo.api/echo-api-cert.pem", 400),
    ("https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem", 400),
    ("https://s3.amazonaws.com/invalid.path/echo-api-cert.pem", 400),
    ("https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem", 400),
])
def test_certificate_urls_are_normalised_then_held_to_amazons(client, device, cert_url, status):
    body = body_of(device.launch(now()))
    response = client.post("/alexa", data=body, headers={"Content-Type": "application/json",
                                                          **CERT.headers(body, cert_url)})
    assert response.status_code == status
    assert "amazonaws" not in response.get_data(as_text=True).lower()  # nothing echoed back


def test_a_body_changed_after_signing_is_refused(client, device):
    body = body_of(device.launch(now()))
    headers = {"Content-Type": "application/json", **CERT.headers(body)}
    tampered = body.replace(b'"LaunchRequest"', b'"LaunchRequest" ')
    assert client.post("/alexa", data=tampered, headers=headers).status_code == 400


def test_missing_signature_headers_are_refused(client, device):
    response = client.post("/alexa", data=body_of(device.launch(now())),
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 400


def test_a_certificate_from_an_untrusted_ca_is_refused(client, device):
    stranger = SigningCA().issue()
    assert signed_post(client, device.launch(now()), cert=stranger).status_code == 400


def test_stale_and_future_timestamps_are_refused(client, device):
    assert signed_post(client, device.launch(now() - timedelta(seconds=200))).status_code == 400
    assert signed_post(client, device.launch(now() + timedelta(seconds=200))).status_code == 400


def test_another_skills_request_is_a_400_not_a_500(client):
    response = signed_post(client, Device(skill_id="amzn1.ask.skill.someone-else").launch(now()))
    assert response.status_code == 400


def test_production_refuses_to_start_without_a_skill_id(tmp_path):
    with pytest.raises(ValueError, match="BACKCOACH_SKILL_IDS"):
        create_app(Settings(data_dir=tmp_path))


@pytest.mark.parametrize("body, content_type", [
    (b"not json at all", "application/json"),
    (b"[1, 2, 3]", "application/json"),
    (b'{"version": "1.0"}', "application/json"),
    (b'{"version": "1.0", "request": {"type": "NoSuchRequest", "requestId": "x"}}', "application/json"),
    (b"\xff\xfe\x00garbage", "application/json"),
    (b'{"version": "1.0"}', "text/plain"),
    (b'{"a": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", "application/json"),
    (b'{"version": "1.0", "session": {"attributes": ' + b'{"a": ' * 900 + b"1" + b"}" * 900 + b'}, '
     b'"request": {"type": "LaunchRequest", "requestId": "x", "timestamp": "2026-01-01T00:00:00Z"}}',
     "application/json"),
])
def test_bodies_that_are_not_envelopes_are_400(client, body, content_type):
    response = client.post("/alexa", data=body, headers={"Content-Type": content_type, **CERT.headers(body)})
    assert response.status_code == 400


def test_an_oversized_body_is_413(client):
    body = b'{"pad": "' + b"x" * (130 * 1024) + b'"}'
    response = client.post("/alexa", data=body, headers={"Content-Type": "application/json", **CERT.headers(body)})
    assert response.status_code == 413


def test_an_unhandled_but_valid_request_type_is_answered_without_an_error(client, device):
    envelope = device._envelope({"type": "CanFulfillIntentRequest",
                                 "intent": {"name": "StartRoutineIntent", "slots": {}}}, now())
    response = signed_post(client, envelope)
    assert response.status_code == 200


def test_one_log_line_per_request_with_no_raw_user_id(client, device, caplog):
    with caplog.at_level(logging.INFO, logger="backcoach.web"):
        signed_post(client, device.launch(now()))
        client.post("/alexa", data=b"nope", headers={"Content-Type": "application/json"})
    lines = [r.getMessage() for r in caplog.records if r.name == "backcoach.web"]
    assert len(lines) == 2
    assert "POST /alexa" in lines[0] and "LaunchRequest" in lines[0] and " 200 " in lines[0] and "ms" in lines[0]
    assert " 400 " in lines[1] and "reason='body is not an Alexa request envelope'" in lines[1]
    assert all(device.user_id not in line for line in lines)


def test_dev_mode_skips_verification_and_says_so_in_every_log_line(tmp_path, device, caplog):
    client = create_app(Settings(dev=True, data_dir=tmp_path)).test_client()
    with caplog.at_level(logging.INFO, logger="backcoach.web"):
        response = client.post("/alexa", json=device.launch(now()))
    assert response.status_code == 200
    lines = [r.getMessage() for r in caplog.records if r.name == "backcoach.web"]
    assert lines and all("DEV MODE" in line for line in lines)


def test_two_devices_of_one_person_at_once_lose_no_save(app, settings):
    """Both Echos in one home start the routine at the same moment: every turn is answered and the
    person's saved state is a coherent one that includes the routine."""
    results: list[int] = []

    def talk(device: Device) -> None:
        client = app.test_client()
        for envelope in (device.intent("StartRoutineIntent", now()), device.intent("ReadyIntent", now()),
                         device.intent("AMAZON.YesIntent", now())):
            results.append(signed_post(client, envelope).status_code)

    devices = [Device(), Device()]
    threads = [threading.Thread(target=talk, args=(d,)) for d in devices]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [200] * 6
    # the last turn saved is readable and the routine is in progress
    follow_up = signed_post(app.test_client(), devices[0].intent("AMAZON.RepeatIntent", now()))
    assert follow_up.status_code == 200
    assert "pain-free" in _said(follow_up).lower()  # the question after a set: a routine in progress


def test_dev_mode_answers_a_request_without_a_timestamp(tmp_path, device):
    client = create_app(Settings(dev=True, data_dir=tmp_path)).test_client()
    envelope = device.launch(now())
    del envelope["request"]["timestamp"]
    response = client.post("/alexa", json=envelope)
    assert response.status_code == 200
    assert "Welcome to Back Coach" in _said(response)

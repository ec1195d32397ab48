"""A verified Back Coach server for tests: requests are signed by a throwaway CA standing in for Amazon."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from skill.config import Settings
from skill.console.envelopes import DEFAULT_SKILL_ID, Device
from skill.web.app import create_app
from tests.signing import SigningCA

CA = SigningCA()
CERT = CA.issue()


@pytest.fixture
def settings(tmp_path) -> Settings:
    roots, cert_dir = CA.write_offline_files(tmp_path, CERT)
    return Settings(skill_ids=frozenset({DEFAULT_SKILL_ID}), data_dir=tmp_path / "data",
                    trust_roots=roots, cert_dir=cert_dir)


@pytest.fixture
def app(settings):
    return create_app(settings)


@pytest.fixture
def client(app):
    return app.test_client()


def body_of(envelope: dict) -> bytes:
    return json.dumps(envelope).encode()


def signed_post(client, envelope: dict, *, cert=CERT, body: bytes | None = None, headers: dict | None = None):
    """POST as Alexa does: signature over the exact bytes sent."""
    body = body_of(envelope) if body is None else body
    sent = {"Content-Type": "application/json", **cert.headers(body), **(headers or {})}
    return client.post("/alexa", data=body, headers=sent)


def now() -> datetime:
    return datetime.now(timezone.utc)


@pytest.fixture
def device() -> Device:
    return Device()

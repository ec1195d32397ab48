"""Deeply nested JSON is refused with a 400 before the ASK SDK sees it (its attribute copy recurses)."""
from __future__ import annotations

import json

import pytest

from skill.config import Settings
from skill.web.alexa_endpoint import MAX_DEPTH
from skill.web.app import create_app
from tests.web.conftest import now, signed_post


def _with_attributes(envelope: dict, levels: int) -> bytes:
    """The envelope with session attributes nested `levels` deep (as text: json.dumps would recurse)."""
    envelope["session"]["attributes"] = {"marker": 0}
    nested = '{"a": ' * levels + "1" + "}" * levels
    return json.dumps(envelope).replace('{"marker": 0}', nested).encode()


@pytest.fixture
def dev_client(tmp_path):
    return create_app(Settings(dev=True, data_dir=tmp_path)).test_client()


@pytest.mark.parametrize("levels", [500, 985])
def test_session_attributes_hundreds_of_levels_deep_are_400_unverified(dev_client, device, levels):
    body = _with_attributes(device.launch(now()), levels)
    response = dev_client.post("/alexa", data=body, content_type="application/json")
    assert response.status_code == 400
    # json itself gives up near a thousand levels (Python's recursion limit); either way, a 400
    assert response.get_json()["detail"] in (f"session attributes nest deeper than {MAX_DEPTH} levels",
                                              "body is not an Alexa request envelope")


def test_session_attributes_hundreds_of_levels_deep_are_400_when_signed(client, device):
    body = _with_attributes(device.launch(now()), 700)
    assert signed_post(client, {}, body=body).status_code == 400


def test_attributes_nested_within_the_limit_are_answered(dev_client, device):
    body = _with_attributes(device.launch(now()), MAX_DEPTH - 3)  # the envelope's own levels above it
    response = dev_client.post("/alexa", data=body, content_type="application/json")
    assert response.status_code == 200 and "Welcome" in response.get_data(as_text=True)

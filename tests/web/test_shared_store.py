"""Several web servers, one store: two apps (as two servers behind a load balancer would be) on one
DynamoDB table, served by a real DynamoDB-compatible server. A person's turns may land on either."""
from __future__ import annotations

import threading

from skill.web.app import create_app
from tests.web.conftest import body_of, now, signed_post
from tests.ssml_check import spoken_text
from skill.console.envelopes import Device


def said(response) -> str:
    return spoken_text(response.get_json()["response"]["outputSpeech"]["ssml"])


def two_servers(settings, dynamodb_table):
    endpoint, table = dynamodb_table
    shared = settings.with_(store="dynamodb", dynamodb_table=table, dynamodb_endpoint=endpoint)
    return create_app(shared).test_client(), create_app(shared).test_client()


def test_a_routine_carries_on_whichever_server_answers(settings, dynamodb_table):
    one, two = two_servers(settings, dynamodb_table)
    device = Device()
    for server, intent in ((one, "StartRoutineIntent"), (two, "HurtIntent")):
        response = signed_post(server, device.intent(intent, now()))
        assert response.status_code == 200
        device.answered(response.get_json())
    assert "Let's make it easier: Alternating Superman." in said(response)  # server two read what one saved
    repeat = said(signed_post(one, device.intent("AMAZON.RepeatIntent", now())))
    assert "Lift one arm and the opposite leg" in repeat  # Alternating Superman: one reads what two saved
    assert one.get("/healthz").get_json() == {"status": "ok", "store": "ok"}


def test_two_devices_of_one_person_on_two_servers_lose_no_save(settings, dynamodb_table):
    one, two = two_servers(settings, dynamodb_table)
    statuses: list[int] = []

    def talk(server, device: Device) -> None:
        for intent in ("StartRoutineIntent", "HurtIntent", "AMAZON.RepeatIntent"):
            statuses.append(signed_post(server, device.intent(intent, now())).status_code)

    threads = [threading.Thread(target=talk, args=(server, Device())) for server in (one, two)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * 6
    assert said(signed_post(one, Device().intent("AMAZON.RepeatIntent", now()))).endswith("Pain-free?")


def test_one_request_at_two_servers_at_once_is_saved_once_with_one_answer(settings, dynamodb_table, dynamodb_server):
    """Alexa's retry (or a replay) reaching both servers while each is still on it: whichever saves
    first wins; the other's save loses the race, its replay finds the request applied, and answers the same."""
    one, two = two_servers(settings, dynamodb_table)
    device = Device()
    device.answered(signed_post(one, device.intent("StartRoutineIntent", now())).get_json())
    yes = body_of(device.intent("AMAZON.YesIntent", now()))
    replies: list = []
    threads = [threading.Thread(target=lambda server=server: replies.append(signed_post(server, None, body=yes)))
               for server in (one, two, one, two)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.status_code for r in replies] == [200] * 4 and len({r.get_data() for r in replies}) == 1
    items = dynamodb_server.client().scan(TableName=dynamodb_table[1], ConsistentRead=True)["Items"]
    assert [item["rev"]["N"] for item in items] == ["2"]  # the start and one yes

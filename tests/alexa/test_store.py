"""The store contract, held by both adapters: SQLite, and DynamoDB on a real DynamoDB-compatible
server process (dynalite). Revisions refuse a stale save, concurrent writers lose nothing, disabling
the skill deletes every voice profile of the account and nothing else, nothing is saved past a turn's
deadline, and the health check is a real write that fails when a save would."""
from __future__ import annotations

import os
import sqlite3
import threading
import time

import pytest

from skill.alexa.deadline import Deadline, DeadlineExceeded
from skill.alexa.dynamo import HEALTH_ID, DynamoStore
from skill.alexa.identity import Owner
from skill.alexa.store import HEALTH_KEY, SQLiteStore, StaleStateError, StoreFailed
from tests.alexa.conftest import write_lock

ANNA = Owner("person:anna", "user:household")
BEN = Owner("person:ben", "user:household")
HOUSEHOLD = Owner("user:household", "user:household")  # the account itself, no voice profile
OTHER = Owner("user:other", "user:other")


@pytest.fixture(params=["sqlite", "dynamodb"])
def open_store(request, tmp_path):
    """A factory: each call opens a new adapter on the same data (another process or server, in effect)."""
    if request.param == "sqlite":
        return lambda: SQLiteStore(tmp_path)
    endpoint, table = request.getfixturevalue("dynamodb_table")
    return lambda: DynamoStore(table, endpoint_url=endpoint)


def test_a_new_person_has_nothing_saved(open_store):
    assert open_store().load(ANNA)[:2] == (None, 0)


def test_saved_state_is_read_back_by_another_store_on_the_same_data(open_store):
    state = {"progress": {"sessions": 3, "last": 1772436600.25}, "session": None}
    assert open_store().save(ANNA, state, 0) == 1
    again = open_store()
    assert again.load(ANNA)[:2] == (state, 1)
    assert again.load(BEN)[:2] == (None, 0)


def test_a_save_from_a_stale_load_is_refused_and_keeps_the_newer_state(open_store):
    store = open_store()
    store.save(ANNA, {"n": 0}, 0)
    first, second = store.load(ANNA).revision, open_store().load(ANNA).revision
    assert store.save(ANNA, {"n": "device one"}, first) == 2
    with pytest.raises(StaleStateError):
        open_store().save(ANNA, {"n": "device two"}, second)
    assert store.load(ANNA)[:2] == ({"n": "device one"}, 2)


def test_two_first_saves_of_one_person_cannot_both_land(open_store):
    open_store().save(ANNA, {"n": "first"}, 0)
    with pytest.raises(StaleStateError):
        open_store().save(ANNA, {"n": "second"}, 0)
    assert open_store().load(ANNA)[:2] == ({"n": "first"}, 1)


def test_disabling_the_skill_deletes_every_profile_of_the_account_only(open_store):
    store = open_store()
    for owner in (ANNA, BEN, HOUSEHOLD, OTHER):
        store.save(owner, {"who": owner.key}, 0)
    store.delete_account(ANNA)
    assert [store.load(o)[:2] for o in (ANNA, BEN, HOUSEHOLD)] == [(None, 0)] * 3
    assert store.load(OTHER)[:2] == ({"who": "user:other"}, 1)


def test_a_save_after_the_account_was_deleted_does_not_bring_it_back(open_store):
    store = open_store()
    store.save(ANNA, {"n": 1}, 0)
    loaded = store.load(ANNA).revision
    store.delete_account(ANNA)  # the skill is disabled while a turn is in flight
    with pytest.raises(StaleStateError):
        store.save(ANNA, {"n": 2}, loaded)
    assert store.load(ANNA)[:2] == (None, 0)


def test_concurrent_writers_never_lose_an_acknowledged_save(open_store):
    """Four writers, each with its own store (as four servers would have), increment one counter with
    load/save, retrying on a stale save: every acknowledged increment is there at the end."""
    errors: list[BaseException] = []
    acknowledged = []

    def bump(times: int) -> None:
        try:
            store = open_store()  # all four open a store that does not exist yet at once
            for _ in range(times):
                while True:
                    state, revision, _ = store.load(ANNA)
                    try:
                        store.save(ANNA, {"n": (state or {"n": 0})["n"] + 1}, revision)
                        acknowledged.append(1)
                        break
                    except StaleStateError:
                        continue
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=bump, args=(25,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert open_store().load(ANNA)[:2] == ({"n": 100}, 100) and len(acknowledged) == 100


def test_nothing_is_saved_or_deleted_past_the_deadline(open_store):
    store = open_store()
    store.save(ANNA, {"n": 1}, 0)
    with pytest.raises(DeadlineExceeded):
        store.save(ANNA, {"n": 2}, 1, deadline=Deadline(0))
    with pytest.raises(DeadlineExceeded):
        store.delete_account(ANNA, deadline=Deadline(0))
    assert open_store().load(ANNA)[:2] == ({"n": 1}, 1)


def test_the_health_check_writes_its_own_row_and_no_ones_progress(tmp_path):
    store = SQLiteStore(tmp_path)
    store.save(ANNA, {"n": 1}, 0)
    checked = []
    for _ in range(2):
        store.ping()
        with sqlite3.connect(store.path) as db:
            checked.append(db.execute("SELECT value FROM meta WHERE key = ?", (HEALTH_KEY,)).fetchone()[0])
    assert checked[0] != checked[1]  # written each time, not just read
    assert store.load(ANNA)[:2] == ({"n": 1}, 1)


def test_the_dynamodb_health_check_writes_an_item_no_account_owns(dynamodb_table, dynamodb_server):
    endpoint, table = dynamodb_table
    store = DynamoStore(table, endpoint_url=endpoint)
    store.save(HOUSEHOLD, {"n": 1}, 0)
    store.ping()
    client = dynamodb_server.client()
    item = client.get_item(TableName=table, Key={"id": {"S": HEALTH_ID}}, ConsistentRead=True)["Item"]
    assert "owner" not in item and float(item["checked"]["N"]) > time.time() - 60
    store.delete_account(HOUSEHOLD)
    assert len(client.scan(TableName=table)["Items"]) == 1  # the health item: no account's record


def test_a_lock_held_elsewhere_fails_the_health_check_at_its_deadline_not_later(tmp_path):
    store = SQLiteStore(tmp_path)
    with write_lock(store.path):
        started = time.monotonic()
        with pytest.raises(DeadlineExceeded, match="locked by another connection"):
            store.ping(Deadline(0.5))
        assert 0.4 < time.monotonic() - started < 1.0
        assert store.load(ANNA)[:2] == (None, 0)  # reading goes on (WAL)
    store.ping()


def test_a_database_file_deleted_while_open_is_never_written_again(tmp_path):
    store = SQLiteStore(tmp_path / "data")
    store.save(ANNA, {"n": 1}, 0)
    os.link(store.path, tmp_path / "kept")  # the file's content stays reachable to look at
    os.unlink(store.path)
    for call in (store.ping, lambda: store.load(ANNA), lambda: store.save(ANNA, {"n": 2}, 1),
                 lambda: store.delete_account(ANNA)):
        with pytest.raises(StoreFailed, match="backcoach.sqlite3 is gone"):
            call()
    assert not store.path.exists()  # no empty store in its place
    os.link(tmp_path / "kept", store.path)  # put back (the same file): saving goes on
    store.ping()
    assert store.save(ANNA, {"n": 2}, 1) == 2


def test_a_database_file_replaced_while_open_is_refused_and_left_alone(tmp_path):
    store = SQLiteStore(tmp_path / "data")
    store.save(ANNA, {"n": 1}, 0)
    other = SQLiteStore(tmp_path / "other")
    other.close()
    os.replace(other.path, store.path)
    for call in (store.ping, lambda: store.load(ANNA), lambda: store.save(ANNA, {"n": 2}, 1)):
        with pytest.raises(StoreFailed, match="was replaced while in use"):
            call()
    assert ANNA.key.encode() not in store.path.read_bytes()  # nothing went into the new file


def test_a_worker_started_while_the_servers_file_is_gone_creates_no_empty_store(tmp_path):
    """A server's worker (one replacing a worker that died) opens the file the server opened, or fails
    like the others until that file is back; it never starts an empty store of its own."""
    server = SQLiteStore(tmp_path / "data")
    server.save(ANNA, {"n": 1}, 0)
    os.link(server.path, tmp_path / "kept")
    os.unlink(server.path)
    worker = SQLiteStore(tmp_path / "data", server_file=server.file_id)
    for call in (worker.ping, lambda: worker.load(ANNA), lambda: worker.save(ANNA, {"n": 2}, 1)):
        with pytest.raises(StoreFailed, match="backcoach.sqlite3 is gone"):
            call()
    assert not worker.path.exists()
    SQLiteStore(tmp_path / "elsewhere").close()
    os.link(tmp_path / "elsewhere" / "backcoach.sqlite3", worker.path)  # another file in its place: refused
    with pytest.raises(StoreFailed, match="was replaced while in use"):
        worker.save(ANNA, {"n": 2}, 1)
    os.unlink(worker.path)
    os.link(tmp_path / "kept", worker.path)  # the server's own file back: the worker saves there
    assert worker.load(ANNA).state == {"n": 1} and worker.save(ANNA, {"n": 2}, 1) == 2
    assert server.load(ANNA).state == {"n": 2}



def test_the_sqlite_database_is_in_wal_mode_with_the_schema_version(tmp_path):
    store = SQLiteStore(tmp_path)
    db = sqlite3.connect(store.path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == "1"


def test_a_sqlite_store_of_another_schema_version_is_refused_by_name(tmp_path):
    store = SQLiteStore(tmp_path)
    db = sqlite3.connect(store.path)
    with db:
        db.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    with pytest.raises(RuntimeError, match="schema 99"):
        SQLiteStore(tmp_path)


def test_a_record_written_by_the_official_dynamodb_adapter_still_loads_and_saves(dynamodb_table):
    """Tables from earlier versions hold {"id", "attributes"} items (no revision, no owner)."""
    endpoint, table = dynamodb_table
    store = DynamoStore(table, endpoint_url=endpoint)
    store.client.put_item(TableName=table, Item={"id": {"S": ANNA.key},
                                                 "attributes": {"S": '{"state":{"n":7}}'}})
    assert store.load(ANNA)[:2] == ({"n": 7}, 0)
    assert store.save(ANNA, {"n": 8}, 0) == 1
    store.delete_account(ANNA)  # now it carries its owner, so the index finds it
    assert store.load(ANNA)[:2] == (None, 0)


def test_an_unreachable_dynamodb_table_fails_ping_with_its_name(dynamodb_table):
    endpoint, _ = dynamodb_table
    with pytest.raises(StoreFailed, match="'no-such-table'"):
        DynamoStore("no-such-table", endpoint_url=endpoint).ping()

from __future__ import annotations

import sqlite3
import threading

import pytest

from skill.alexa.identity import Owner
from skill.alexa.store import REVISION, SQLiteStore, StaleStateError

ANNA = Owner("person:anna", "user:household")
BEN = Owner("person:ben", "user:household")
OTHER = Owner("user:other", "user:other")


def test_a_new_person_has_nothing_saved(tmp_path):
    assert SQLiteStore(tmp_path).load(ANNA) == {REVISION: 0}


def test_saved_state_survives_a_new_store_on_the_same_directory(tmp_path):
    store = SQLiteStore(tmp_path)
    attrs = {REVISION: 0, "state": {"progress": {"sessions": 3}}}
    store.save(ANNA, attrs)
    assert attrs[REVISION] == 1
    again = SQLiteStore(tmp_path)
    assert again.load(ANNA) == {"state": {"progress": {"sessions": 3}}, REVISION: 1}
    assert again.load(BEN) == {REVISION: 0}


def test_the_database_is_in_wal_mode_with_the_schema_version(tmp_path):
    store = SQLiteStore(tmp_path)
    db = sqlite3.connect(store.path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == "1"


def test_a_store_of_another_schema_version_is_refused_by_name(tmp_path):
    store = SQLiteStore(tmp_path)
    db = sqlite3.connect(store.path)
    with db:
        db.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    with pytest.raises(RuntimeError, match="schema 99"):
        SQLiteStore(tmp_path)


def test_a_save_from_a_stale_load_is_refused_and_keeps_the_newer_state(tmp_path):
    store = SQLiteStore(tmp_path)
    first, second = store.load(ANNA), store.load(ANNA)
    store.save(ANNA, {**first, "state": "from device one"})
    with pytest.raises(StaleStateError):
        store.save(ANNA, {**second, "state": "from device two"})
    assert store.load(ANNA)["state"] == "from device one"


def test_disabling_the_skill_deletes_every_profile_of_the_account_only(tmp_path):
    store = SQLiteStore(tmp_path)
    for owner in (ANNA, BEN, OTHER):
        store.save(owner, {REVISION: 0, "state": owner.key})
    store.delete_account(ANNA)
    assert store.load(ANNA) == {REVISION: 0} and store.load(BEN) == {REVISION: 0}
    assert store.load(OTHER)["state"] == "user:other"


def test_concurrent_writers_never_lose_an_acknowledged_save(tmp_path):
    """Each thread increments a counter with load/save, retrying on a stale save; no increment is lost."""
    store = SQLiteStore(tmp_path)
    errors: list[BaseException] = []

    def bump(times: int) -> None:
        try:
            for _ in range(times):
                while True:
                    attrs = store.load(ANNA)
                    attrs["n"] = attrs.get("n", 0) + 1
                    try:
                        store.save(ANNA, attrs)
                        break
                    except StaleStateError:
                        continue
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=bump, args=(50,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert store.load(ANNA)["n"] == 200

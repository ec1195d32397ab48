"""Backups, restores and deletion in the SQLite store: what a person running the server would see."""
from __future__ import annotations

import sqlite3
import threading

import pytest
from click.testing import CliRunner

from skill.alexa.identity import Owner
from skill.alexa.sqlite_backup import BackupError, backup, restore
from skill.alexa.store import DB_FILE, SQLiteStore, StoreUnusable
from skill.cli import main

ANNA = Owner("person:anna", "user:home")
BEN = Owner("person:ben", "user:home")
CLARA = Owner("person:clara", "user:elsewhere")


def _save(store: SQLiteStore, owner: Owner, state: dict) -> None:
    store.save(owner, state, store.load(owner).revision)


def _state(store: SQLiteStore, owner: Owner) -> dict | None:
    return store.load(owner).state


def damage(data_dir, page: int = 3) -> None:
    """Overwrite the header of one b-tree page: the file still opens, the tree is broken."""
    with open(data_dir / DB_FILE, "r+b") as db:
        db.seek(4096 * page)
        db.write(b"\xde\xad\xbe\xef" * 8)


def filled_store(data_dir, people: int = 300) -> None:
    store = SQLiteStore(data_dir)
    for n in range(people):
        _save(store, Owner(f"person:{n}", f"user:{n}"), {"note": "x" * 500})
    store.close()


def cli(*args: str):
    return CliRunner().invoke(main, list(args), env={"BACKCOACH_DATA_DIR": ""})


def test_a_backup_taken_while_saving_restores_to_a_consistent_store(tmp_path):
    live = SQLiteStore(tmp_path / "live")
    _save(live, ANNA, {"sets": 0})
    _save(live, BEN, {"sets": 0})
    stop = threading.Event()

    saved: list[int] = []

    def keep_saving() -> None:  # another thread of the server, saving turns throughout
        while not stop.is_set():
            saved.append(len(saved) + 1)
            _save(live, BEN, {"sets": saved[-1]})

    writer = threading.Thread(target=keep_saving)
    writer.start()
    try:
        copies = [backup(tmp_path / "live", tmp_path / f"copy-{i}.sqlite3") for i in range(5)]
    finally:
        stop.set()
        writer.join()
    assert all(c.people == 2 for c in copies)
    restored = restore(tmp_path / "restored", copies[-1].path)
    assert restored.kept is None
    store = SQLiteStore(tmp_path / "restored")
    assert _state(store, ANNA) == {"sets": 0}
    assert len(saved) > 5 and 0 <= _state(store, BEN)["sets"] <= saved[-1]
    _save(store, BEN, {"sets": -1})  # the restored store takes saves


def test_backup_into_a_directory_gets_a_dated_name_and_never_overwrites(tmp_path):
    filled_store(tmp_path / "data", people=3)
    (tmp_path / "backups").mkdir()
    made = backup(tmp_path / "data", tmp_path / "backups")
    assert made.path.parent == tmp_path / "backups" and made.path.name.startswith("backcoach-")
    with pytest.raises(BackupError, match="already exists"):
        backup(tmp_path / "data", made.path)
    with pytest.raises(BackupError, match="no store to back up"):
        backup(tmp_path / "empty", tmp_path / "x.sqlite3")
    assert list((tmp_path / "backups").iterdir()) == [made.path]  # no partial files left


def test_restore_is_refused_while_a_store_is_open_and_changes_nothing(tmp_path):
    filled_store(tmp_path / "data", people=2)
    made = backup(tmp_path / "data", tmp_path / "b.sqlite3")
    serving = SQLiteStore(tmp_path / "data")
    _save(serving, ANNA, {"after": "backup"})
    with pytest.raises(BackupError, match="in use"):
        restore(tmp_path / "data", made.path)
    assert _state(serving, ANNA) == {"after": "backup"}
    serving.close()
    done = restore(tmp_path / "data", made.path)
    assert done.people == 2 and done.kept is not None
    # the replaced store, with what was saved after the backup, is kept and readable
    with sqlite3.connect(done.kept) as kept:
        assert kept.execute("SELECT count(*) FROM people").fetchone()[0] == 3


def test_a_store_cannot_open_while_a_restore_holds_it(tmp_path):
    from skill.alexa.sqlite_backup import _exclusive

    (tmp_path / "data").mkdir()
    with _exclusive(tmp_path / "data" / DB_FILE), pytest.raises(StoreUnusable, match="being restored"):
        SQLiteStore(tmp_path / "data")


@pytest.mark.parametrize("content, reason", [
    (b"just some text, not a database" * 20, "file is not a database"),
    (b"", "not a Back Coach store"),
])
def test_restoring_a_wrong_file_is_refused_by_name(tmp_path, content, reason):
    filled_store(tmp_path / "data", people=2)
    wrong = tmp_path / "wrong.sqlite3"
    wrong.write_bytes(content)
    with pytest.raises(BackupError, match=f"wrong.sqlite3 is not a Back Coach backup: .*{reason}"):
        restore(tmp_path / "data", wrong)
    assert _state(SQLiteStore(tmp_path / "data"), Owner("person:1", "user:1")) == {"note": "x" * 500}


def test_restoring_a_damaged_backup_is_refused(tmp_path):
    filled_store(tmp_path / "data")
    made = backup(tmp_path / "data", tmp_path / "b.sqlite3")
    with open(made.path, "r+b") as f:
        f.seek(4096 * 3)
        f.write(b"\xde\xad\xbe\xef" * 8)
    with pytest.raises(BackupError, match="damaged"):
        restore(tmp_path / "other", made.path)
    assert not (tmp_path / "other" / DB_FILE).exists()


def test_a_damaged_store_is_one_clear_error_naming_restore(tmp_path):
    filled_store(tmp_path / "data")
    damage(tmp_path / "data")
    with pytest.raises(StoreUnusable) as raised:
        SQLiteStore(tmp_path / "data")
    message = str(raised.value)
    assert "\n" not in message and "is damaged" in message and "backcoach restore" in message


def test_deleted_progress_is_not_left_readable_in_the_files(tmp_path):
    store = SQLiteStore(tmp_path / "data")
    secret = "ANNA-PRIVATE-NOTE-1234"
    for n in range(5):
        _save(store, ANNA, {"note": secret, "n": n})  # several versions in the log
    _save(store, CLARA, {"note": "stays"})
    store.delete_account(ANNA)
    raw = b"".join(p.read_bytes() for p in (tmp_path / "data").glob(DB_FILE + "*") if p.is_file())
    assert secret.encode() not in raw
    assert store.load(ANNA)[:2] == (None, 0) and _state(store, CLARA) == {"note": "stays"}


def test_backup_and_restore_commands(tmp_path):
    filled_store(tmp_path / "data", people=4)
    made = cli("backup", str(tmp_path / "b.sqlite3"), "--data-dir", str(tmp_path / "data"))
    assert made.exit_code == 0 and "Backed up 4 people's progress" in made.output
    again = cli("backup", str(tmp_path / "b.sqlite3"), "--data-dir", str(tmp_path / "data"))
    assert again.exit_code == 1 and "already exists" in again.output and "Traceback" not in again.output
    done = cli("restore", str(tmp_path / "b.sqlite3"), "--data-dir", str(tmp_path / "fresh"))
    assert done.exit_code == 0 and "Restored 4 people's progress" in done.output
    missing = cli("restore", str(tmp_path / "nope.sqlite3"), "--data-dir", str(tmp_path / "fresh"))
    assert missing.exit_code == 1 and "nope.sqlite3 is not a file" in missing.output

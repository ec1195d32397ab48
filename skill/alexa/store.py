"""Where each person's state is kept: the port the skill talks to, and the embedded SQLite adapter.

Every record carries a revision. A save lands only on the revision the state was loaded at, so two
devices of one person answering at once can never silently overwrite each other: the loser gets
StaleStateError and the skill replays its turn on the fresh state (skill.alexa.skill.BackCoach).
"""
from __future__ import annotations

import fcntl
import json
import logging
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Protocol

from skill.alexa.identity import Owner

SCHEMA_VERSION = 1
DB_FILE = "backcoach.sqlite3"
# Every open store holds a shared lock on this file; `backcoach restore` needs it exclusively.
LOCK_SUFFIX = ".lock"
RESTORE_HINT = ("restore a backup with `backcoach restore BACKUP-FILE` "
                "(backups are made with `backcoach backup DEST`)")

log = logging.getLogger("backcoach.store")


class StaleStateError(Exception):
    """Someone else saved this person's state since it was loaded (two devices at once)."""


class StoreUnusable(RuntimeError):
    """The database file cannot be used (damaged, not a database, or being restored); says what to do."""


class Store(Protocol):
    """The store port. Adapters: SQLiteStore (one machine), skill.alexa.dynamo.DynamoStore (many)."""

    def load(self, owner: Owner) -> tuple[dict[str, Any] | None, int]:
        """The person's saved state (None when nothing is saved) and its revision (0 when none)."""

    def save(self, owner: Owner, state: dict[str, Any], revision: int) -> int:
        """Save `state` if the record is still at `revision`; returns the new revision.
        Raises StaleStateError, changing nothing, when another save came first."""

    def delete_account(self, owner: Owner) -> None:
        """Delete everything kept for the owner's Alexa account: every voice profile's record too."""

    def ping(self) -> None:
        """Raise if the store cannot be read (health check)."""


def encode(state: dict[str, Any]) -> str:
    # {"state": ...}: the record format every version of this project has written
    return json.dumps({"state": state}, separators=(",", ":"))


def decode(data: str) -> dict[str, Any] | None:
    return json.loads(data).get("state")


class SQLiteStore:
    """One row per person: JSON state plus a revision, each save one atomic conditional statement."""

    def __init__(self, data_dir: str | Path, busy_timeout_ms: int = 5000) -> None:
        self.path = Path(data_dir) / DB_FILE
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        self._lock = _shared_lock(self.path)
        try:
            self._open()
        except sqlite3.DatabaseError as exc:  # "file is not a database", "disk image is malformed"
            reason = " ".join(str(exc).split())  # SQLite's report may span lines: one line here
            raise StoreUnusable(f"{self.path} is damaged ({reason}): {RESTORE_HINT}") from None

    def _open(self) -> None:
        with self._conn() as db:
            damage = db.execute("PRAGMA quick_check(1)").fetchone()[0]
            if damage != "ok":
                raise sqlite3.DatabaseError(damage)
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            db.execute(
                "CREATE TABLE IF NOT EXISTS people (id TEXT PRIMARY KEY, owner TEXT NOT NULL,"
                " data TEXT NOT NULL, rev INTEGER NOT NULL, updated REAL NOT NULL)"
            )
            db.execute("CREATE INDEX IF NOT EXISTS people_owner ON people (owner)")
            db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            found = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
        if int(found) != SCHEMA_VERSION:
            raise RuntimeError(f"{self.path}: store schema {found}, this version reads {SCHEMA_VERSION}")

    def _conn(self) -> sqlite3.Connection:
        # sqlite3 connections must not cross threads; gunicorn's threads each get their own.
        conn = getattr(self._local, "conn", None)
        if conn is None:
            # the connect timeout is SQLite's busy timeout: writers wait for each other, not fail
            conn = sqlite3.connect(self.path, timeout=self._busy_timeout_ms / 1000)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA secure_delete=ON")  # deleted progress is overwritten, not just unlinked
            self._local.conn = conn
        return conn

    def load(self, owner: Owner) -> tuple[dict[str, Any] | None, int]:
        row = self._conn().execute("SELECT data, rev FROM people WHERE id = ?", (owner.key,)).fetchone()
        return (None, 0) if row is None else (decode(row[0]), row[1])

    def save(self, owner: Owner, state: dict[str, Any], revision: int) -> int:
        with self._conn() as db:
            if revision == 0:  # nothing was loaded: create the row, unless someone just did
                cur = db.execute("INSERT INTO people (id, owner, data, rev, updated) VALUES (?, ?, ?, 1, ?)"
                                 " ON CONFLICT(id) DO NOTHING", (owner.key, owner.user, encode(state), time.time()))
            else:  # a row deleted meanwhile (skill disabled) stays deleted
                cur = db.execute("UPDATE people SET data = ?, rev = rev + 1, updated = ? WHERE id = ? AND rev = ?",
                                 (encode(state), time.time(), owner.key, revision))
        if cur.rowcount != 1:
            raise StaleStateError(owner.key)
        return revision + 1

    def delete_account(self, owner: Owner) -> None:
        with self._conn() as db:
            db.execute("DELETE FROM people WHERE owner = ?", (owner.user,))
        # The old versions of those rows are still in the write-ahead log: copy the zeroed pages
        # into the database and empty the log. A reader mid-query can hold that back; the next
        # deletion (or the last connection closing) finishes it.
        busy, _, _ = self._conn().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            log.warning("deleted rows stay in the write-ahead log until the next checkpoint (readers active)")

    def ping(self) -> None:
        self._conn().execute("SELECT count(*) FROM meta").fetchone()

    def close(self) -> None:
        """Close this thread's connection and release the store's lock (tests, commands)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
        self._lock.close()


def _shared_lock(db_path: Path):
    """Hold a shared lock beside the database while this store is open; refuse during a restore."""
    lock = open(db_path.with_name(db_path.name + LOCK_SUFFIX), "a+b")  # noqa: SIM115 (held open)
    try:
        fcntl.flock(lock, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        raise StoreUnusable(f"{db_path} is being restored; start again when `backcoach restore` has finished") from None
    return lock

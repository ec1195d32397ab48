"""Persistence adapters: SQLite (embedded default) and DynamoDB (optional extra, for Lambda)."""
from __future__ import annotations

import fcntl
import json
import logging
import sqlite3
import threading
import time
from pathlib import Path

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_model import RequestEnvelope

from skill.alexa.identity import Owner, owner_of

SCHEMA_VERSION = 1
DB_FILE = "backcoach.sqlite3"
# Every open store holds a shared lock on this file; `backcoach restore` needs it exclusively.
LOCK_SUFFIX = ".lock"
RESTORE_HINT = ("restore a backup with `backcoach restore BACKUP-FILE` "
                "(backups are made with `backcoach backup DEST`)")
# Each saved record carries its revision; a save only lands on the revision it was loaded from.
REVISION = "_rev"

log = logging.getLogger("backcoach.store")


class StaleStateError(Exception):
    """Someone else saved this person's state since it was loaded (two devices at once).

    The web shell answers by replaying the request on the fresh state, so no save is lost."""


class StoreUnusable(RuntimeError):
    """The database file cannot be used (damaged, not a database, or being restored); says what to do."""


class SQLiteStore(AbstractPersistenceAdapter):
    """One row per person: JSON state plus a revision, written with one atomic conditional upsert."""

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

    def load(self, owner: Owner) -> dict:
        row = self._conn().execute("SELECT data, rev FROM people WHERE id = ?", (owner.key,)).fetchone()
        if row is None:
            return {REVISION: 0}
        return {**json.loads(row[0]), REVISION: row[1]}

    def save(self, owner: Owner, attributes: dict) -> None:
        expected = attributes.get(REVISION, 0)
        data = json.dumps({k: v for k, v in attributes.items() if k != REVISION}, separators=(",", ":"))
        with self._conn() as db:
            cur = db.execute(
                "INSERT INTO people (id, owner, data, rev, updated) VALUES (?, ?, ?, 1, ?)"
                " ON CONFLICT(id) DO UPDATE SET data = excluded.data, rev = people.rev + 1,"
                " updated = excluded.updated WHERE people.rev = ?",
                (owner.key, owner.user, data, time.time(), expected),
            )
        if cur.rowcount != 1:
            raise StaleStateError(owner.key)
        attributes[REVISION] = expected + 1

    def delete_account(self, owner: Owner) -> None:
        """Everything stored under the Alexa account: every voice profile's progress too."""
        with self._conn() as db:
            db.execute("DELETE FROM people WHERE owner = ?", (owner.user,))
        # The old versions of those rows are still in the write-ahead log: copy the zeroed pages
        # into the database and empty the log. A reader mid-query can hold that back; the next
        # deletion (or the last connection closing) finishes it.
        busy, _, _ = self._conn().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            log.warning("deleted rows stay in the write-ahead log until the next checkpoint (readers active)")

    def ping(self) -> None:
        """Raise if the database cannot be read (health check)."""
        self._conn().execute("SELECT count(*) FROM meta").fetchone()

    def close(self) -> None:
        """Close this thread's connection and release the store's lock (tests, commands)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
        self._lock.close()

    # AbstractPersistenceAdapter, keyed by the person or user the request belongs to.
    def get_attributes(self, request_envelope: RequestEnvelope) -> dict:
        return self.load(owner_of(request_envelope))

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict) -> None:
        self.save(owner_of(request_envelope), attributes)

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        self.delete_account(owner_of(request_envelope))


def _shared_lock(db_path: Path):
    """Hold a shared lock beside the database while this store is open; refuse during a restore."""
    lock = open(db_path.with_name(db_path.name + LOCK_SUFFIX), "a+b")  # noqa: SIM115 (held open)
    try:
        fcntl.flock(lock, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        raise StoreUnusable(f"{db_path} is being restored; start again when `backcoach restore` has finished") from None
    return lock

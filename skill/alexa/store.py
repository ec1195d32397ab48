"""Persistence adapters: SQLite (embedded default) and DynamoDB (optional extra, for Lambda)."""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_model import RequestEnvelope

from skill.alexa.identity import Owner, owner_of

SCHEMA_VERSION = 1
# Each saved record carries its revision; a save only lands on the revision it was loaded from.
REVISION = "_rev"


class StaleStateError(Exception):
    """Someone else saved this person's state since it was loaded (two devices at once).

    The web shell answers by replaying the request on the fresh state, so no save is lost."""


class SQLiteStore(AbstractPersistenceAdapter):
    """One row per person: JSON state plus a revision, written with one atomic conditional upsert."""

    def __init__(self, data_dir: str | Path, busy_timeout_ms: int = 5000) -> None:
        self.path = Path(data_dir) / "backcoach.sqlite3"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        with self._conn() as db:
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

    def ping(self) -> None:
        """Raise if the database cannot be read (health check)."""
        self._conn().execute("SELECT count(*) FROM meta").fetchone()

    # AbstractPersistenceAdapter, keyed by the person or user the request belongs to.
    def get_attributes(self, request_envelope: RequestEnvelope) -> dict:
        return self.load(owner_of(request_envelope))

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict) -> None:
        self.save(owner_of(request_envelope), attributes)

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        self.delete_account(owner_of(request_envelope))

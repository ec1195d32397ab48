"""Where each person's state is kept: the port the skill talks to, and the embedded SQLite adapter.

Every record carries a revision. A save lands only on the revision the state was loaded at, so two
devices of one person answering at once can never silently overwrite each other: the loser gets
StaleStateError and the skill replays its turn on the fresh state (skill.alexa.skill.BackCoach).
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Protocol

from skill.alexa.identity import Owner

SCHEMA_VERSION = 1


class StaleStateError(Exception):
    """Someone else saved this person's state since it was loaded (two devices at once)."""


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

    def ping(self) -> None:
        self._conn().execute("SELECT count(*) FROM meta").fetchone()

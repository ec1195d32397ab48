"""Where each person's state is kept: the port the skill talks to, and the embedded SQLite adapter.

Every record carries a revision. A save lands only on the revision the state was loaded at, so two
devices of one person answering at once can never silently overwrite each other: the loser gets
StaleStateError and the skill replays its turn on the fresh state (skill.alexa.skill.BackCoach).
Every call takes the turn's deadline: no wait for the store outlasts it (skill.alexa.deadline).
"""
from __future__ import annotations

import fcntl
import json
import logging
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Callable, NamedTuple, Protocol, TypeVar

from skill.alexa.deadline import DEFAULT_WAIT_S, Deadline, DeadlineExceeded, or_default
from skill.alexa.identity import Owner

SCHEMA_VERSION = 1
DB_FILE = "backcoach.sqlite3"
# Every open store holds a shared lock on this file; `backcoach restore` needs it exclusively.
LOCK_SUFFIX = ".lock"
RESTORE_HINT = ("restore a backup with `backcoach restore BACKUP-FILE` "
                "(backups are made with `backcoach backup DEST`)")
HEALTH_KEY = "health_check"  # the `meta` row each health check rewrites
# Waiting for another connection's lock: the first pause, doubling up to the longest.
FIRST_PAUSE_S, LONGEST_PAUSE_S = 0.001, 0.02
_BUSY = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)

log = logging.getLogger("backcoach.store")
T = TypeVar("T")
FileId = tuple[int, int]  # (device, inode): which file, whatever its path names now


class StaleStateError(Exception):
    """Someone else saved this person's state since it was loaded (two devices at once)."""


class StoreUnusable(RuntimeError):
    """The database file cannot be used (damaged, not a database, or being restored); says what to do."""


class StoreFailed(RuntimeError):
    """The store could not do what was asked (disk full, read-only, file deleted, table unreachable):
    nothing was saved. The message says why, for the log."""


class Record(NamedTuple):
    state: dict[str, Any] | None        # None when nothing is saved
    revision: int                       # 0 when nothing is saved
    applied: dict[str, Any] | None = None  # the turns applied lately (skill.alexa.applied); opaque here


class Store(Protocol):
    """The store port. Adapters: SQLiteStore (one machine), skill.alexa.dynamo.DynamoStore (many).
    Without a deadline (commands, tests) a call waits up to deadline.DEFAULT_WAIT_S."""

    def load(self, owner: Owner, deadline: Deadline | None = None) -> Record:
        """The person's record (Record(None, 0) when nothing is saved)."""

    def save(self, owner: Owner, state: dict[str, Any], revision: int, applied: dict[str, Any] | None = None,
             deadline: Deadline | None = None) -> int:
        """Save `state` (and `applied`) if the record is still at `revision`; returns the new revision.
        Raises StaleStateError, changing nothing, when another save came first."""

    def delete_account(self, owner: Owner, deadline: Deadline | None = None) -> None:
        """Delete everything kept for the owner's Alexa account: every voice profile's record too."""

    def ping(self, deadline: Deadline | None = None) -> None:
        """A real write, as a save makes; raises StoreFailed or DeadlineExceeded if it cannot be done (health check)."""


def encode(state: dict[str, Any], applied: dict[str, Any] | None = None) -> str:
    # {"state": ...}: the record format every version of this project has written; "applied" was added
    # beside it (older versions read the state and ignore it)
    record = {"state": state} if applied is None else {"state": state, "applied": applied}
    return json.dumps(record, separators=(",", ":"))


def decode(data: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    record = json.loads(data)
    return record.get("state"), record.get("applied")


class _Busy(Exception):
    """A checkpoint held back by another connection: tried again, like a lock."""


class SQLiteStore:
    """One row per person: JSON state plus a revision, each save one atomic conditional statement.

    SQLite's own busy timeout is 0: a wait for another connection's lock is this class's loop, bounded by
    the turn's deadline, and its pauses are time.sleep, so under gevent the worker answers other
    requests meanwhile. The file opened at start is the only one written: a database file deleted or
    replaced while serving fails every load, save and health check (StoreFailed), never a silent write
    into a file that is gone.

    `server_file` (a server's workers): the file the server opened before forking (`file_id`). Such a
    store never creates the database: a worker started after the file was deleted or replaced (one
    replacing a worker that died) fails like the others, until that same file is back."""

    def __init__(self, data_dir: str | Path, server_file: FileId | None = None) -> None:
        self.path = Path(data_dir) / DB_FILE
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._uri = self.path.resolve().as_uri()
        self._local = threading.local()
        self._lock = _shared_lock(self.path)
        self._file, self._creates = server_file, server_file is None
        if server_file is not None:
            try:
                self._check_file()
            except StoreFailed as exc:
                log.error("%s (this worker starts without it)", exc)
                return
        try:
            self._open()
        except sqlite3.DatabaseError as exc:  # "file is not a database", "disk image is malformed"
            reason = " ".join(str(exc).split())  # SQLite's report may span lines: one line here
            raise StoreUnusable(f"{self.path} is damaged ({reason}): {RESTORE_HINT}") from None

    @property
    def file_id(self) -> FileId:
        """Which file this store writes (device, inode): what a server hands its workers."""
        return self._file

    def _open(self) -> None:
        # An existing store is opened without writing to it: a worker restarting while the disk is full or
        # the directory read-only still starts, and answers 503 and apologies until it is fixed.
        def schema(db: sqlite3.Connection) -> str | None:
            if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone():
                return None
            row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            return row[0] if row else None

        def create(db: sqlite3.Connection) -> str:
            damage = db.execute("PRAGMA quick_check(1)").fetchone()[0]
            if damage != "ok":
                raise sqlite3.DatabaseError(damage)
            found = schema(db)
            if found is not None:
                return found
            # One transaction, taken before looking again: a store opened at the same moment (another
            # process) waits, then finds the tables whole, never half made. (sqlite3 would otherwise
            # commit each CREATE on its own.)
            db.execute("BEGIN IMMEDIATE")
            found = schema(db)
            if found is not None:
                return found
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            db.execute(
                "CREATE TABLE IF NOT EXISTS people (id TEXT PRIMARY KEY, owner TEXT NOT NULL,"
                " data TEXT NOT NULL, rev INTEGER NOT NULL, updated REAL NOT NULL)"
            )
            db.execute("CREATE INDEX IF NOT EXISTS people_owner ON people (owner)")
            db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            return str(SCHEMA_VERSION)

        found = self._run(create, Deadline(DEFAULT_WAIT_S), "creating the tables", create=self._creates)
        if int(found) != SCHEMA_VERSION:
            raise RuntimeError(f"{self.path}: store schema {found}, this version reads {SCHEMA_VERSION}")
        if self._creates:
            self._file = _identity(os.stat(self.path))
        else:
            self._check_file()  # still the server's file, not one put there meanwhile
        # Connections in one process share SQLite's view of the file (read-only if it was read-only when
        # first opened) while any of them is open: none is left open by the thread that built the store.
        self._forget_conn()

    def _conn(self, create: bool = False) -> sqlite3.Connection:
        # sqlite3 connections must not cross threads (or greenlets): each gets its own. Only the first
        # may create the file: a later one finding it gone fails rather than start an empty store.
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(f"{self._uri}?mode={'rwc' if create else 'rw'}", uri=True, timeout=0)
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute("PRAGMA secure_delete=ON")  # deleted progress is overwritten, not just unlinked
            except sqlite3.Error:
                conn.close()
                raise
            self._local.conn = conn
        return conn

    def _run(self, work: Callable[[sqlite3.Connection], T], deadline: Deadline, doing: str,
             create: bool = False) -> T:
        """work(connection) in one transaction, tried again while another connection holds the lock,
        until the deadline."""
        pause, locked = FIRST_PAUSE_S, False
        while True:
            if deadline.remaining() <= 0:
                raise DeadlineExceeded(f"{self.path} stayed locked by another connection until the deadline "
                                       f"({doing})" if locked else f"the time budget ran out before {doing}")
            try:
                db = self._conn(create)
                with db:
                    return work(db)
            except sqlite3.Error as exc:
                if (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF not in _BUSY:  # primary code: busy, locked
                    # A connection keeps what it met when opened (one opened while the file was read-only
                    # stays read-only): a failed one is not used again.
                    self._forget_conn()
                    raise
            except _Busy:
                pass
            locked = True
            time.sleep(max(min(pause, deadline.remaining()), 0))
            pause = min(pause * 2, LONGEST_PAUSE_S)

    def _do(self, work: Callable[[sqlite3.Connection], T], deadline: Deadline | None, doing: str) -> T:
        """_run, with SQLite's errors (disk full, read-only, I/O) as StoreFailed."""
        try:
            return self._run(work, or_default(deadline), doing)
        except sqlite3.Error as exc:
            raise StoreFailed(f"{self.path}: {doing} failed: {exc}") from None

    def _check_file(self, writing: bool = False) -> None:
        """The path still names the file opened at start (and this process may write there)."""
        try:
            found = _identity(os.stat(self.path))
        except OSError as exc:
            raise StoreFailed(f"{self.path} is gone ({exc.strerror}): nothing is saved until it is back "
                              "(or stop the server and `backcoach restore` a backup)") from None
        if found != self._file:
            raise StoreFailed(f"{self.path} was replaced while in use: nothing is saved; stop the server and "
                              "put the file in place with `backcoach restore`")
        if writing and not (os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK)):
            self._forget_conn()  # opened read-only, perhaps: not kept past the repair
            raise StoreFailed(f"{self.path} or its directory is read-only for this process: nothing is saved")

    def load(self, owner: Owner, deadline: Deadline | None = None) -> Record:
        self._check_file()
        row = self._do(lambda db: db.execute("SELECT data, rev FROM people WHERE id = ?", (owner.key,)).fetchone(),
                       deadline, "loading progress")
        if row is None:
            return Record(None, 0)
        state, applied = decode(row[0])
        return Record(state, row[1], applied)

    def save(self, owner: Owner, state: dict[str, Any], revision: int, applied: dict[str, Any] | None = None,
             deadline: Deadline | None = None) -> int:
        data = encode(state, applied)

        def write(db: sqlite3.Connection) -> int:
            if revision == 0:  # nothing was loaded: create the row, unless someone just did
                return db.execute("INSERT INTO people (id, owner, data, rev, updated) VALUES (?, ?, ?, 1, ?)"
                                  " ON CONFLICT(id) DO NOTHING", (owner.key, owner.user, data, time.time())).rowcount
            # a row deleted meanwhile (skill disabled) stays deleted
            return db.execute("UPDATE people SET data = ?, rev = rev + 1, updated = ? WHERE id = ? AND rev = ?",
                              (data, time.time(), owner.key, revision)).rowcount

        self._check_file(writing=True)
        written = self._do(write, deadline, "saving progress")
        self._check_file()  # deleted in the meantime: the save went with the file, so it is not acknowledged
        if written != 1:
            raise StaleStateError(owner.key)
        return revision + 1

    def delete_account(self, owner: Owner, deadline: Deadline | None = None) -> None:
        deadline = or_default(deadline)
        self._check_file(writing=True)
        self._do(lambda db: db.execute("DELETE FROM people WHERE owner = ?", (owner.user,)), deadline,
                 "deleting an account")
        self._check_file()

        # The old versions of those rows are still in the write-ahead log: copy the zeroed pages
        # into the database and empty the log. A reader mid-query can hold that back until the
        # deadline; then the next deletion (or the last connection closing) finishes it.
        def checkpoint(db: sqlite3.Connection) -> None:
            if db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]:
                raise _Busy

        try:
            self._do(checkpoint, deadline, "emptying the write-ahead log")
        except DeadlineExceeded:
            log.warning("deleted rows stay in the write-ahead log until the next checkpoint (readers active)")

    def ping(self, deadline: Deadline | None = None) -> None:
        self._check_file(writing=True)
        self._do(lambda db: db.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = "
                                       "excluded.value", (HEALTH_KEY, repr(time.time()))), deadline,
                 "writing the health check row")
        self._check_file()

    def _forget_conn(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def close(self) -> None:
        """Close this thread's connection and release the store's lock (tests, commands)."""
        self._forget_conn()
        self._lock.close()


def _identity(stat: os.stat_result) -> FileId:
    return stat.st_dev, stat.st_ino


def _shared_lock(db_path: Path):
    """Hold a shared lock beside the database while this store is open; refuse during a restore. Read-only
    is enough to lock (and all a read-only directory allows)."""
    lock = os.fdopen(os.open(db_path.with_name(db_path.name + LOCK_SUFFIX), os.O_RDONLY | os.O_CREAT, 0o644), "rb")
    try:
        fcntl.flock(lock, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        raise StoreUnusable(f"{db_path} is being restored; start again when `backcoach restore` has finished") from None
    return lock

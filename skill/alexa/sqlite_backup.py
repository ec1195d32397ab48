"""Backing up and restoring the SQLite store.

    backup(data_dir, dest)   an online copy (SQLite's backup API): safe while the server writes
    restore(data_dir, src)   a checked backup replaces the store; refused while a server has it open

Both raise BackupError with a message that says what went wrong and what to do.
"""
from __future__ import annotations

import fcntl
import os
import sqlite3
import time
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from skill.alexa.store import DB_FILE, LOCK_SUFFIX, SCHEMA_VERSION

BUSY_TIMEOUT_S = 5.0
SIDE_FILES = ("-wal", "-shm")  # SQLite's write-ahead log and its index, named after the database


class BackupError(Exception):
    """A backup or restore that cannot be done; the message names the file and the reason."""


@dataclass(frozen=True)
class Copied:
    path: Path              # the file written: the backup, or the restored store
    people: int             # rows of progress in it
    kept: Path | None = None  # restore only: where the store it replaced was moved


def backup(data_dir: Path, dest: Path) -> Copied:
    """Copy the store to `dest` (a new file, or a directory for a time-stamped file in it)."""
    source = Path(data_dir) / DB_FILE
    if not source.is_file():
        raise BackupError(f"there is no store to back up at {source}")
    dest = Path(dest)
    if dest.is_dir():
        dest = dest / f"backcoach-{time.strftime('%Y%m%d-%H%M%S')}.sqlite3"
    if dest.exists():
        raise BackupError(f"{dest} already exists: give the backup a new name")
    if not dest.parent.is_dir():
        raise BackupError(f"{dest.parent} is not a directory")
    partial = dest.with_name(dest.name + ".partial")
    try:
        _copy(source, partial)
        people = _check(partial)
        os.replace(partial, dest)
    except (sqlite3.Error, OSError) as exc:
        raise BackupError(f"backing up {source} to {dest} failed: {exc}") from None
    finally:
        partial.unlink(missing_ok=True)
    return Copied(dest, people)


def restore(data_dir: Path, src: Path) -> Copied:
    """Replace the store with the backup `src`, after checking it. The replaced store is kept beside it."""
    src = Path(src)
    if not src.is_file():
        raise BackupError(f"{src} is not a file")
    try:
        _check(src)
    except sqlite3.Error as exc:
        raise BackupError(f"{src} is not a Back Coach backup: {exc}") from None
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    target = data_dir / DB_FILE
    incoming = target.with_name(target.name + ".restoring")
    with _exclusive(target):
        try:
            _copy(src, incoming)
            people = _check(incoming)
            kept = _set_aside(target) if target.exists() else None
            os.replace(incoming, target)
        except (sqlite3.Error, OSError) as exc:
            raise BackupError(f"restoring {src} into {data_dir} failed: {exc}") from None
        finally:
            incoming.unlink(missing_ok=True)
    return Copied(target, people, kept)


def _copy(source: Path, dest: Path) -> None:
    """SQLite's online backup: one consistent snapshot while writers carry on; a single file out."""
    with closing(sqlite3.connect(source, timeout=BUSY_TIMEOUT_S)) as src, \
            closing(sqlite3.connect(dest, timeout=BUSY_TIMEOUT_S)) as out:
        src.backup(out)
        out.execute("PRAGMA journal_mode=DELETE")  # no -wal file to carry around with it


def _check(path: Path) -> int:
    """The number of people in a sound Back Coach database of this schema; raises sqlite3.Error otherwise."""
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
        damage = db.execute("PRAGMA integrity_check(1)").fetchone()[0]
        if damage != "ok":
            raise sqlite3.DatabaseError(f"damaged: {' '.join(damage.split())}")
        try:
            version = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            people = db.execute("SELECT count(*) FROM people").fetchone()[0]
        except sqlite3.OperationalError as exc:  # no such table
            raise sqlite3.DatabaseError(f"not a Back Coach store ({exc})") from None
    if version is None or version[0] != str(SCHEMA_VERSION):
        raise sqlite3.DatabaseError(f"store schema {version and version[0]}, this version reads {SCHEMA_VERSION}")
    return people


@contextmanager
def _exclusive(target: Path) -> Iterator[None]:
    """Every open store holds a shared lock: an exclusive one means nothing is using the store."""
    with open(target.with_name(target.name + LOCK_SUFFIX), "a+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupError(f"{target} is in use (a running `backcoach serve` or `backcoach try`): "
                              "stop it, then restore") from None
        yield


def _set_aside(target: Path) -> Path:
    """Move the current store, with its log, to a dated name: a restore never destroys data."""
    kept = target.with_name(f"{target.name}.replaced-{time.strftime('%Y%m%d-%H%M%S')}")
    for suffix in SIDE_FILES[::-1]:  # log files first: the database never sits beside a foreign log
        side = target.with_name(target.name + suffix)
        if side.exists():
            os.replace(side, kept.with_name(kept.name + suffix))
    os.replace(target, kept)
    return kept

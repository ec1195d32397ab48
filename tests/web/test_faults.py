"""Faults reproduced against the real `backcoach serve` (gunicorn, gevent worker, verified mode) on loopback:
slow and idle clients, broken and short bodies, a damaged database at start-up, a worker killed with
SIGKILL mid-routine, backups and restores while serving, and the store failing under it (a lock held
elsewhere, the database deleted, a full disk, a read-only directory). Every loop is bounded."""
from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import sqlite3
import statistics
import tempfile
import threading
import time
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

import pytest

from skill.alexa.store import DB_FILE
from skill.console.envelopes import DEFAULT_SKILL_ID, Device
from skill.web.serve import BODY_DEADLINE_S
from tests.alexa.conftest import write_lock
from tests.live_server import backcoach, clean_env, live_server
from tests.slow_clients import SlowClients
from tests.ssml_check import check_ssml, spoken_text
from tests.web.conftest import CA, CERT

TALK_SECONDS = 5.0
ROUTINE = ["StartRoutineIntent", "ReadyIntent", "AMAZON.YesIntent", "AMAZON.YesIntent", "StatusIntent"]
APOLOGY = "something went wrong"


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("faults")
    roots, cert_dir = CA.write_offline_files(tmp, CERT)
    return clean_env(BACKCOACH_SKILL_IDS=DEFAULT_SKILL_ID, BACKCOACH_TRUST_ROOTS=str(roots),
                     BACKCOACH_CERT_DIR=str(cert_dir), BACKCOACH_DATA_DIR=str(tmp / "data"))


@pytest.fixture(scope="module")
def server(env, tmp_path_factory):
    with live_server(tmp_path_factory.mktemp("server"), env) as running:
        yield running


class Alexa:
    """Signed requests over one keep-alive connection, as Alexa's service sends them."""

    def __init__(self, port: int, device: Device | None = None) -> None:
        self.port, self.device = port, device or Device()
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

    def send(self, intent: str) -> tuple[int, dict, float]:
        now = datetime.now(timezone.utc)
        envelope = self.device.launch(now) if intent == "LaunchRequest" else self.device.intent(intent, now)
        body = json.dumps(envelope).encode()
        started = time.perf_counter()
        try:
            self.conn.request("POST", "/alexa", body, {"Content-Type": "application/json", **CERT.headers(body)})
            reply = self.conn.getresponse()
            data = reply.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()  # reconnects on the next request
            raise
        seconds = time.perf_counter() - started
        answer = json.loads(data) if reply.status == 200 else {}
        if reply.status == 200:
            self.device.answered(answer)
        return reply.status, answer, seconds

    def said(self, intent: str) -> str:
        status, answer, _ = self.send(intent)
        assert status == 200, f"{intent}: HTTP {status}"
        speech = answer["response"]["outputSpeech"]["ssml"]
        check_ssml(speech)
        return spoken_text(speech)


def raw(port: int, data: bytes, *, half_close: bool = False, wait_s: float = 10.0) -> tuple[int | None, float]:
    """Send `data` as is; the status code of the answer (None: closed without one) and seconds taken."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait_s) as sock:
        started = time.monotonic()
        sock.sendall(data)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        answer = b""
        try:
            while b"\r\n" not in answer:
                part = sock.recv(4096)
                if not part:
                    break
                answer += part
        except TimeoutError:
            pass
        took = time.monotonic() - started
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else None
    return status, took


# ---------------------------------------------------------------- slow and idle clients

def test_slow_and_idle_clients_do_not_starve_real_ones(server):
    """The 1 s bound detects starvation (before, every request timed out), not speed: turns take ms."""
    latencies, failures, slow_connections = [], [], []
    with SlowClients(server.port, header_tricklers=8, body_tricklers=8, idle=100) as attack:
        alexa = Alexa(server.port)
        alexa.device.user_id = "amzn1.ask.account.UNDERATTACK"
        ends = time.monotonic() + TALK_SECONDS
        while time.monotonic() < ends and len(latencies) < 3000:
            slow_connections.append(attack.connected)
            for intent in ["LaunchRequest", *ROUTINE]:
                try:
                    status, answer, seconds = alexa.send(intent)
                except (OSError, http.client.HTTPException) as exc:
                    failures.append(type(exc).__name__)
                    continue
                latencies.append(seconds)
                if status != 200 or "outputSpeech" not in answer.get("response", {}):
                    failures.append(f"HTTP {status}")
    assert failures == []
    p99 = statistics.quantiles(latencies, n=100)[98]
    assert p99 < 1.0, f"p99 {p99:.3f} s over {len(latencies)} turns"
    # The slow clients were there throughout: cut at their deadlines, each came back within a second.
    assert statistics.mean(slow_connections) > 80 and attack.cut >= 116


# ---------------------------------------------------------------- broken and short bodies (no signature needed)

HEAD = b"POST /alexa HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
CHUNKED = HEAD + b"Transfer-Encoding: chunked\r\n\r\n"


@pytest.mark.parametrize("request_bytes, status", [
    (CHUNKED + b"zz\r\n{}\r\n0\r\n\r\n", 400),                                    # chunk size not hex
    (CHUNKED + b"2\r\n{}XX0\r\n\r\n", 400),                                       # CRLF after the chunk missing
    (CHUNKED + (b"8000\r\n" + b" " * 0x8000 + b"\r\n") * 5 + b"0\r\n\r\n", 413),  # 160 KiB in chunks
    (HEAD + b"Content-Length: 200000\r\n\r\n{}", 413),                            # declared over the limit
], ids=["bad-chunk-size", "missing-crlf", "chunked-over-limit", "declared-over-limit"])
def test_broken_and_oversized_bodies_are_refused_at_once(server, request_bytes, status):
    got, took = raw(server.port, request_bytes)
    assert (got, took < 1.0) == (status, True)


def test_a_short_body_is_400_at_the_read_deadline(server):
    got, took = raw(server.port, HEAD + b'Content-Length: 500\r\n\r\n{"version": "1.0"')
    assert got == 400
    assert BODY_DEADLINE_S - 0.1 < took < BODY_DEADLINE_S + 2


def test_a_short_body_ended_by_the_client_is_400_at_once(server):
    got, took = raw(server.port, HEAD + b'Content-Length: 500\r\n\r\n{"version": "1.0"', half_close=True)
    assert got == 400 and took < 1.0


def test_after_broken_bodies_real_turns_still_work(server):
    for data in (CHUNKED + b"zz\r\n", HEAD + b"Content-Length: 9\r\n\r\n{"):
        raw(server.port, data, half_close=True)
    assert "Welcome" in Alexa(server.port).said("LaunchRequest")


def test_gunicorns_own_log_lines_quote_a_bad_request_clipped(server):
    junk = b"\x01" + b"J" * 3000
    got, _ = raw(server.port, b"GET /" + junk + b" HTTP/1.1\r\nHost: x\r\nX-Bad\x1b: " + junk + b"\r\n\r\n")
    assert got in (400, 414, 431)
    time.sleep(0.2)  # the worker writes its line after answering
    lines = [line for line in server.log.read_text().splitlines() if "Invalid request" in line]
    assert lines and all(len(line) < 400 and "JJJJ" in line for line in lines)


# ---------------------------------------------------------------- the store: damage, kill -9, backups

def test_a_damaged_database_at_start_up_is_one_line_naming_restore(env, tmp_path):
    from tests.alexa.test_backup import damage, filled_store

    filled_store(tmp_path / "data")
    damage(tmp_path / "data")
    result = backcoach("serve", "--host", "127.0.0.1", "--port", "1", "--data-dir", str(tmp_path / "data"), env=env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("Error: ") and "is damaged" in line and "backcoach restore" in line


def _saved(data_dir) -> list[tuple[str, int]]:
    """Every person's record and revision, read beside the running server from a copy of the database
    and its log (SQLite resolves /proc/<pid>/root to our own root: a namespace's files are read copied)."""
    with tempfile.TemporaryDirectory() as copy:
        for suffix in ("", "-wal"):
            if (data_dir / (DB_FILE + suffix)).exists():
                shutil.copyfile(data_dir / (DB_FILE + suffix), Path(copy) / (DB_FILE + suffix))
        with closing(sqlite3.connect(Path(copy) / DB_FILE)) as db:
            return db.execute("SELECT data, rev FROM people ORDER BY id").fetchall()


def test_a_worker_killed_mid_routine_loses_no_completed_set(env, tmp_path):
    with live_server(tmp_path, {**env, "BACKCOACH_DATA_DIR": str(tmp_path / "data")}) as running:
        alexa = Alexa(running.port)
        alexa.said("LaunchRequest")
        for intent in ROUTINE[:-1]:
            alexa.said(intent)
        before, saved = alexa.said("StatusIntent"), _saved(tmp_path / "data")
        killed = running.workers()
        for pid in killed:
            os.kill(pid, signal.SIGKILL)
        running.wait_until_serving(workers=2)
        assert not set(killed) & set(running.workers())  # new workers, same store
        assert _saved(tmp_path / "data") == saved and saved[0][1] >= len(ROUTINE) - 1
        alexa.conn.close()
        assert alexa.said("StatusIntent") == before  # the routine goes on where it was
        assert "Welcome" not in alexa.said("AMAZON.YesIntent")


def test_backup_while_serving_and_restore_refused_until_stopped(env, tmp_path):
    data = tmp_path / "data"
    serving_env = {**env, "BACKCOACH_DATA_DIR": str(data)}
    with live_server(tmp_path, serving_env) as running:
        alexa = Alexa(running.port)
        alexa.said("LaunchRequest")
        alexa.said("StartRoutineIntent")
        made = backcoach("backup", str(tmp_path / "b.sqlite3"), env=serving_env)
        assert made.returncode == 0 and "Backed up 1 people's progress" in made.stdout
        refused = backcoach("restore", str(tmp_path / "b.sqlite3"), env=serving_env)
        assert refused.returncode == 1 and "is in use" in refused.stderr and "Traceback" not in refused.stderr
        assert "sets left on Superman" in alexa.said("StatusIntent")  # nothing changed
    restored = backcoach("restore", str(tmp_path / "b.sqlite3"), env=serving_env)
    assert restored.returncode == 0 and "kept as" in restored.stdout


# ---------------------------------------------------------------- the store failing while serving

def _health(port: int) -> tuple[int | None, float]:
    return raw(port, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")


def _failures_logged(server, reason: str) -> list[str]:
    """The log lines that give `reason`: each one line, clipped."""
    lines = [line for line in server.log.read_text().splitlines() if reason in line]
    assert lines and all(len(line) < 400 for line in lines), lines
    return lines


def _store_fails_then_recovers(server, alexa: Alexa, data_dir, reason: str, fault, repair, while_failing=None):
    """After `fault()` the store is failing: /healthz is a 503 with `reason` in the log, a turn that changes
    progress hears the apology, and nothing is saved. After `repair()`: healthy, and the next answer counts."""
    before = _saved(data_dir)
    fault()
    try:
        assert _health(server.port)[0] == 503
        assert APOLOGY in alexa.said("AMAZON.YesIntent")
        if while_failing:
            while_failing()
    finally:
        repair()
    time.sleep(0.2)  # the worker writes its log line after answering
    logged = _failures_logged(server, reason)
    assert any("health check failed" in line for line in logged)
    assert any("turn apologised, nothing saved" in line for line in logged)
    assert _saved(data_dir) == before
    assert _health(server.port)[0] == 200
    assert APOLOGY not in alexa.said("AMAZON.YesIntent")
    assert [rev for _, rev in _saved(data_dir)] == [rev + 1 for _, rev in before]


def test_a_lock_held_elsewhere_past_the_budget_gets_apologies_in_time_and_saves_nothing(env, tmp_path):
    """Four people answer while another connection holds the database's lock for longer than the turn
    budget (2 s here): each hears the apology within the budget (lock waits do not queue behind each
    other in a worker), nothing is saved, /healthz is a 503; once the lock is gone their answers count."""
    data = tmp_path / "data"
    with live_server(tmp_path, {**env, "BACKCOACH_DATA_DIR": str(data), "BACKCOACH_TURN_BUDGET_S": "2"}) as running:
        people = [Alexa(running.port, Device(user_id=f"amzn1.ask.account.LOCKED{n}")) for n in range(4)]
        for alexa in people:
            alexa.said("StartRoutineIntent")
        before, answers = _saved(data), []

        def answer(alexa: Alexa) -> None:
            answers.append(alexa.send("AMAZON.YesIntent"))

        with write_lock(data / DB_FILE):
            threads = [threading.Thread(target=answer, args=(alexa,)) for alexa in people]
            for t in threads:
                t.start()
            health, health_took = _health(running.port)
            for t in threads:
                t.join()
            assert _saved(data) == before
        assert [status for status, _, _ in answers] == [200] * 4
        assert all(APOLOGY in answer["response"]["outputSpeech"]["ssml"] for _, answer, _ in answers)
        took = sorted(seconds for _, _, seconds in answers)
        assert 1.5 < took[0] and took[-1] < 2.0, took  # they waited for the lock, and answered in time
        assert health == 503 and health_took < 2.5
        _failures_logged(running, "stayed locked by another connection")
        assert _health(running.port)[0] == 200
        for alexa in people:
            assert APOLOGY not in alexa.said("AMAZON.YesIntent")
        assert [rev for _, rev in _saved(data)] == [rev + 1 for _, rev in before]


def test_a_database_deleted_while_serving_gets_nothing_written_into_it(env, tmp_path):
    data = tmp_path / "data"
    db, kept = data / DB_FILE, tmp_path / "kept"
    with live_server(tmp_path, {**env, "BACKCOACH_DATA_DIR": str(data)}) as running:
        alexa = Alexa(running.port)
        alexa.said("StartRoutineIntent")
        os.link(db, kept)  # the file's content stays reachable, to put back as it is
        def no_empty_store_in_its_place() -> None:  # not from the workers serving, nor one started now
            _not(db.exists())
            _restart_a_worker(running, alexa)
            _not(db.exists())

        _store_fails_then_recovers(running, alexa, data, "backcoach.sqlite3 is gone", fault=db.unlink,
                                   repair=lambda: os.link(kept, db), while_failing=no_empty_store_in_its_place)
        assert "failed to boot" not in running.log.read_text()


def _has_store_open(pid: int) -> bool:
    """The process holds the store's lock file open: its app (and store) has been built."""
    try:
        return any(os.readlink(fd).endswith(DB_FILE + ".lock") for fd in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:  # gone meanwhile
        return False


def _not(condition: bool) -> None:
    assert not condition


def _restart_a_worker(running, alexa: Alexa) -> None:
    """Kill a worker while the store is failing: its replacement starts (opening the store without
    writing to it) and fails like the others."""
    before = running.workers()
    os.kill(before[0], signal.SIGKILL)
    alexa.conn.close()  # it was that worker's, perhaps
    ends = time.monotonic() + 20
    while time.monotonic() < ends and not [pid for pid in running.workers()
                                           if pid not in before and _has_store_open(pid)]:
        time.sleep(0.05)
    assert [pid for pid in running.workers() if pid not in before and _has_store_open(pid)]
    assert running.proc.poll() is None and _health(running.port)[0] == 503


def test_a_full_disk_is_a_503_and_turns_apologise_saving_nothing(env, tmp_path):
    """The data directory is a 1 MiB tmpfs in the server's own user and mount namespace (no root needed,
    gone with the server); the test fills it through /proc/<pid>/root."""
    data = tmp_path / "data"
    data.mkdir()
    tmpfs = ("unshare", "--user", "--map-root-user", "--mount",
             "sh", "-c", f'mount -t tmpfs -o size=1m tmpfs "{data}" && exec "$@"', "sh")
    with live_server(tmp_path, {**env, "BACKCOACH_DATA_DIR": str(data)}, prefix=tmpfs) as running:
        inside = Path(f"/proc/{running.proc.pid}/root") / data.relative_to("/")
        assert not (data / DB_FILE).exists() and (inside / DB_FILE).exists()
        alexa = Alexa(running.port)
        alexa.said("StartRoutineIntent")

        def fill() -> None:
            with open(inside / "filler", "wb", buffering=0) as filler, pytest.raises(OSError, match="No space"):
                while True:
                    filler.write(bytes(64 * 1024))

        _store_fails_then_recovers(running, alexa, inside, "database or disk is full", fault=fill,
                                   repair=(inside / "filler").unlink)


def test_a_read_only_data_directory_is_a_503_and_turns_apologise_saving_nothing(env, tmp_path):
    """Run as root, the server is put in a user namespace of its own, where it keeps its uid but not
    root's right to write anywhere: the permission bits then apply to it, as to a service account."""
    data = tmp_path / "data"
    as_owner = ("unshare", "--user") if os.geteuid() == 0 else ()
    with live_server(tmp_path, {**env, "BACKCOACH_DATA_DIR": str(data)}, prefix=as_owner) as running:
        alexa = Alexa(running.port)
        alexa.said("StartRoutineIntent")
        modes = {path: path.stat().st_mode for path in (data, *data.iterdir())}

        def chmod(writable: bool) -> None:
            for path, mode in modes.items():
                path.chmod(mode if writable else mode & 0o555)

        _store_fails_then_recovers(running, alexa, data, "is read-only for this process",
                                   fault=lambda: chmod(False), repair=lambda: chmod(True),
                                   while_failing=lambda: _restart_a_worker(running, alexa))
        assert "failed to boot" not in running.log.read_text()

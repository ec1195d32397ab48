"""`backcoach serve` in its own process on a free loopback port, for tests that need the real server."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

BACKCOACH = Path(sys.executable).with_name("backcoach")  # the venv's console-script entry point
START_TIMEOUT_S = 20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveServer:
    proc: subprocess.Popen
    port: int
    log: Path

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1) as reply:
                return reply.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    def wait_until_serving(self, workers: int) -> None:
        """Healthy, from our own process (another run may have raced us to the port), with all its workers."""
        ours = f"Listening at: http://127.0.0.1:{self.port} ({self.proc.pid})"
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"backcoach serve exited with {self.proc.returncode}:\n{self.log.read_text()}")
            if ours in self.log.read_text() and len(self.workers()) == workers and self.healthy():
                return
            time.sleep(0.1)
        raise AssertionError(f"not serving after {START_TIMEOUT_S} s:\n{self.log.read_text()}")


def backcoach(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([str(BACKCOACH), *args], env=env, capture_output=True, text=True, timeout=timeout)


def clean_env(**settings: str) -> dict[str, str]:
    """This environment without the caller's BACKCOACH_* settings, plus `settings`."""
    return {**{k: v for k, v in os.environ.items() if not k.startswith("BACKCOACH_")}, **settings}


@contextmanager
def live_server(tmp: Path, env: dict[str, str], *args: str, workers: int = 2,
                prefix: tuple[str, ...] = ()) -> Iterator[LiveServer]:
    """Serve until the block ends, then stop (TERM, then KILL after 10 s). `prefix`: a command that
    execs the server (e.g. `unshare`), so the process is still the server."""
    port = free_port()
    log = tmp / f"server-{port}.log"
    with log.open("w") as out:
        proc = subprocess.Popen([*prefix, str(BACKCOACH), "serve", "--host", "127.0.0.1", "--port", str(port),
                                 "--workers", str(workers), *args],
                                stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    server = LiveServer(proc, port, log)
    try:
        server.wait_until_serving(workers)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

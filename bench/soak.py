"""Soak: `backcoach serve` (verified, SQLite) on loopback while 32 simulated people replay 7-turn routine scripts
for a few minutes, pausing like people between turns. Reports requests, errors, latency percentiles and the
server's memory (all its processes' resident set) over time. Prints figures; asserts nothing.

    .venv/bin/python bench/soak.py [--minutes 3] [--people 32] [--think-ms 250] [--sample-s 15]

Bounded: no routine starts after --minutes; requests time out after 10 s. Only loopback traffic.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

from web_load import (REPO, Server, discover_script, free_port, run_phase, start_server,  # noqa: E402
                      verified_env)

sys.path.insert(0, str(REPO))  # for tests.*



def rss_mib(server: Server) -> float:
    """Resident memory of the arbiter and its workers, MiB."""
    total = 0
    for pid in [server.proc.pid, *server._children()]:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:
            continue
        total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    return total / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--people", type=int, default=32)
    parser.add_argument("--think-ms", type=float, default=250.0, help="mean random pause before each request")
    parser.add_argument("--sample-s", type=float, default=15.0, help="memory sampling interval")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="backcoach-soak-")))
        cert, env = verified_env(tmp)
        port = free_port()
        server = start_server("skill", [sys.executable, "-m", "skill.cli", "serve", "--host", "127.0.0.1",
                                        "--port", str(port), "--workers", str(args.workers),
                                        "--data-dir", str(tmp / "data")],
                              env, port, tmp / "server.log", stack)
        script = discover_script(port, cert)
        run_phase(server, cert, script, args.people, args.people, True, 60)  # warm-up: caches, connections
        samples = [(0.0, rss_mib(server))]
        stop = threading.Event()
        started = time.monotonic()

        def sample() -> None:
            while not stop.wait(args.sample_s):
                samples.append((time.monotonic() - started, rss_mib(server)))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            phase = run_phase(server, cert, script, args.people, 1_000_000, True, args.minutes * 60,
                              args.think_ms / 1000)
        finally:
            stop.set()
            sampler.join()
        samples.append((time.monotonic() - started, rss_mib(server)))
        db_kib = sum(p.stat().st_size for p in (tmp / "data").glob("backcoach.sqlite3*")) / 1024
        log_lines = sum(1 for _ in (tmp / "server.log").open())

    first, last = samples[0][1], samples[-1][1]
    print(f"soak: `backcoach serve` (gevent, {args.workers} workers, verified, SQLite) on loopback; {args.people} people, "
          f"{len(script)}-turn routine scripts (web_load.SCRIPT), mean pause {args.think_ms:g} ms, {args.minutes:g} min; "
          f"{os.cpu_count()} CPUs shared with the clients")
    print(f"  requests {phase.requests} ({phase.throughput:.0f}/s), errors {phase.errors}"
          f"{' (' + ', '.join(f'{k}: {n}' for k, n in phase.problems.most_common()) + ')' if phase.problems else ''}, "
          f"wrong turns {phase.wrong_turns}")
    print(f"  latency p50 {phase.pct(0.5):.2f} ms, p99 {phase.pct(0.99):.2f} ms, p99.9 {phase.pct(0.999):.2f} ms, "
          f"max {max(phase.latencies_ms, default=0):.1f} ms")
    print(f"  server memory (arbiter + workers, resident): {first:.1f} MiB after warm-up -> {last:.1f} MiB at the end "
          f"({last - first:+.1f} MiB, {(last - first) * 1024 / max(phase.requests, 1) * 1000:+.1f} KiB per 1,000 "
          f"requests); max {max(m for _, m in samples):.1f} MiB")
    print("  memory over time: " + ", ".join(f"{t / 60:.1f} min {m:.1f}" for t, m in samples))
    print(f"  store on disk at the end: {db_kib:.0f} KiB; server log {log_lines} lines")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("interrupted: server stopped, temporary files removed")

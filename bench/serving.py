"""Serving set-ups compared on loopback, with the same app: plain throughput and latency of signed skill
turns, then the same while slow clients hold connections (8 header tricklers, 8 body tricklers and 100
idle connections, as in issue 13). Prints figures; asserts nothing.

    gthread   gunicorn's gthread worker, 2 workers x 4 threads (the set-up before issue 13)
    gevent    `backcoach serve`: gunicorn's gevent worker, 2 workers, whole bodies read before the app
    waitress  waitress 3, one process, 8 threads; its I/O thread buffers whole requests

    .venv/bin/python bench/serving.py [--people 1,4,16] [--routines 48] [--attack-people 4] [--attack-seconds 20]

Bounded: every phase stops starting routines after its time limit; requests time out after 10 s.
Only loopback traffic. Servers and temp files go away on exit or Ctrl-C.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from web_load import (REPO, Phase, discover_script, free_port, report_phase, run_phase,  # noqa: E402
                      start_server, verified_env)

sys.path.insert(0, str(REPO))  # for tests.*

from skill.config import Settings  # noqa: E402
from tests.slow_clients import SlowClients  # noqa: E402

SERVE_FLAG = "--serve"  # internal: run one candidate (see serve_candidate)
CANDIDATES = ("gthread", "gevent", "waitress")
WORKERS, THREADS = 2, 4


def serve_candidate(name: str, port: int, data_dir: str) -> None:
    """Run one candidate in this process until it is terminated."""
    from skill.web.app import MAX_BODY_BYTES, create_app

    settings = Settings.from_env(data_dir=Path(data_dir))
    if name == "gevent":
        from skill.cli import main

        main(["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(WORKERS),
              "--data-dir", data_dir])
    elif name == "gthread":
        from skill.web.serve import GunicornServer

        class Plain(GunicornServer):
            def load(self):
                return create_app(self.settings)

        Plain(settings, {"bind": f"127.0.0.1:{port}", "workers": WORKERS, "threads": THREADS,
                         "worker_class": "gthread", "accesslog": None, "timeout": 30, "loglevel": "info",
                         "control_socket_disable": True}).run()
    elif name == "waitress":
        import waitress

        waitress.serve(create_app(settings), host="127.0.0.1", port=port, threads=WORKERS * THREADS,
                       connection_limit=1000, channel_timeout=2, max_request_body_size=MAX_BODY_BYTES)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == SERVE_FLAG:
        return serve_candidate(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", default="1,4,16", help="concurrent simulated people, plain phases")
    parser.add_argument("--routines", type=int, default=48, help="7-turn routine scripts per plain phase")
    parser.add_argument("--max-seconds", type=float, default=30.0, help="per plain phase")
    parser.add_argument("--attack-people", type=int, default=4, help="real people talking during the attack")
    parser.add_argument("--attack-seconds", type=float, default=20.0, help="how long the attack phase runs")
    parser.add_argument("--candidates", default=",".join(CANDIDATES))
    args = parser.parse_args()
    levels = sorted({int(n) for n in args.people.split(",")})
    names = [n for n in args.candidates.split(",") if n]
    load_before = os.getloadavg()[0]

    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="backcoach-serving-")))
        cert, env = verified_env(tmp)
        servers = {}
        for name in names:
            port = free_port()
            cmd = [sys.executable, str(Path(__file__).resolve()), SERVE_FLAG, name, str(port), str(tmp / f"data-{name}")]
            servers[name] = start_server(name, cmd, env, port, tmp / f"{name}.log", stack)
        script = discover_script(servers[names[0]].port, cert)
        for server in servers.values():  # warm-up, not counted
            run_phase(server, cert, script, max(levels), max(levels), True, args.max_seconds)

        plain: list[Phase] = []
        for people in levels:
            for name in names:  # candidates take turns at each level: other load hits them alike
                plain.append(run_phase(servers[name], cert, script, people, args.routines, True, args.max_seconds))

        attacked: list[tuple[Phase, SlowClients, float]] = []
        for name in names:
            started = time.monotonic()
            with SlowClients(servers[name].port) as attack:
                opened = time.monotonic() - started
                phase = run_phase(servers[name], cert, script, args.attack_people, 10_000, True, args.attack_seconds)
            attacked.append((phase, attack, opened))

    print(f"serving candidates, same app (verified, SQLite), loopback; {WORKERS} workers (gthread: x {THREADS} "
          f"threads; waitress: one process, {WORKERS * THREADS} threads); load average before {load_before:.2f}; "
          f"{os.cpu_count()} CPUs shared by clients and servers")
    print(f"plain: each simulated person replays {len(script)}-turn routine scripts (web_load.SCRIPT) back-to-back, "
          f"{args.routines} routines per phase")
    for p in plain:
        report_phase(p)
    print(f"under attack: 8 header tricklers, 8 body tricklers, 100 idle connections (each reconnects when cut), "
          f"while {args.attack_people} people talk for {args.attack_seconds:g} s")
    for phase, attack, opened in attacked:
        report_phase(phase)
        print(f"  {'':<9} slow connections: {attack.opened} opened ({opened:.2f} s to open the first 116), "
              f"{attack.cut} cut by the server; p99 {phase.pct(0.99):.1f} ms")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("interrupted: servers stopped, temporary files removed")

"""Per-turn cost under wrk: a signed, fully verified skill turn (POST /alexa: parse, verify, load,
engine, render, save) against a bare Flask route returning a canned Alexa response, side by side in
one run, on the same gunicorn settings, for each worker class compared (gevent, as `backcoach serve`
runs, then gthread and sync).
Prints figures beside the targets; asserts nothing.

    .venv/bin/python bench/wrk_turns.py [--configs gevent:2,gthread:2x4,sync:4] [--seconds 8] [--rounds 2]

wrk (Debian package; `make bench` installs it) drives 16 connections from 2 threads on loopback.
Requests come from a pool signed beforehand by a throwaway CA the servers trust: each wrk thread plays
its own people through seven turns that each change and save their state (start, "it hurts", pause,
resume, yes, skip, "it hurts"), 20 s apart by their timestamps (all within the 150 s Alexa allows),
people interleaved so one person's turns never overlap. The skill answers from a fresh SQLite store
per run; afterwards the store says how many turns were saved. Bounded: --rounds x 2 runs of
--seconds per configuration; servers stopped and files removed on exit.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from contextlib import ExitStack
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "bench")]

import web_load  # noqa: E402  (the canned app, server start and stop)

from skill.console.envelopes import DEFAULT_SKILL_ID, Device  # noqa: E402
from skill.config import Settings  # noqa: E402
from tests.signing import SigningCA, SigningCert  # noqa: E402

SERVE_FLAG = "--serve"  # internal: run one server (see serve)
# Seven turns, each of which the engine answers by changing (and the skill by saving) the person's state.
SCRIPT, TURN_GAP_S = web_load.SCRIPT, web_load.TURN_GAP_S
CONNECTIONS, THREADS = 16, 2
TARGET_RATIO, TARGET_P99_FACTOR = 0.5, 2.0

LUA = r"""
local requests, n = {}, 0
function setup(thread)
  thread:set("id", tostring(setup_count or 0))
  setup_count = (setup_count or 0) + 1
end
function init(args)
  local f = assert(io.open(args[1] .. "/pool-" .. id .. ".txt", "rb"))
  for line in f:lines() do
    local headers_json, body = line:match("^(.-)\t(.*)$")
    local headers = {}
    for name, value in headers_json:gmatch('"([^"]+)":"([^"]*)"') do headers[name] = value end
    requests[#requests + 1] = wrk.format("POST", "/alexa", headers, body)
  end
  f:close()
end
function request()
  n = n % #requests + 1
  return requests[n]
end
function done(summary, latency, requests_)
  local e = summary.errors
  io.write(string.format('RESULT {"requests":%d,"us":%d,"status_errors":%d,"socket_errors":%d,' ..
    '"p50":%d,"p90":%d,"p99":%d,"max":%d}\n', summary.requests, summary.duration, e.status,
    e.connect + e.read + e.write + e.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max))
end
"""


# ---- the servers: GunicornServer with the options under test ----

def serve(argv: list[str]) -> None:
    from skill.web.serve import GunicornServer

    name, worker_class, workers, threads, port = argv[0], argv[1], int(argv[2]), int(argv[3]), int(argv[4])

    class Server(GunicornServer):
        def app(self):  # served as `backcoach serve` serves the skill (whole bodies read first)
            return web_load.canned_app(self.settings) if name == "bare" else super().app()

    Server(Settings.from_env(), {
        "bind": f"127.0.0.1:{port}", "workers": workers, "threads": threads, "worker_class": worker_class,
        "accesslog": None, "loglevel": "info", "timeout": 30, "control_socket_disable": True,
    }).run()


# ---- the request pool ----

def write_pool(folder: Path, cert: SigningCert, people: int) -> int:
    """One file per wrk thread: its people's turns, interleaved turn by turn. Returns requests."""
    start = datetime.now(timezone.utc) - timedelta(seconds=TURN_GAP_S * len(SCRIPT) / 2)
    total = 0
    for thread in range(THREADS):
        devices = [Device(user_id=f"amzn1.ask.account.WRK{uuid.uuid4().hex}") for _ in range(people)]
        with (folder / f"pool-{thread}.txt").open("w") as out:
            for turn, intent in enumerate(SCRIPT):
                now = start + timedelta(seconds=TURN_GAP_S * turn)
                for device in devices:
                    envelope = device.intent(intent, now)
                    body = json.dumps(envelope, separators=(",", ":"))
                    headers = {"Content-Type": "application/json", **cert.headers(body.encode())}
                    out.write(json.dumps(headers, separators=(",", ":")) + "\t" + body + "\n")
                    total += 1
    return total


def saves(db: Path) -> int:
    """Saves the skill's store has recorded (each saved turn adds one to its person's revision)."""
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT coalesce(sum(rev), 0) FROM people").fetchone()[0]


def run_wrk(port: int, folder: Path, seconds: float, lua: Path) -> dict:
    run = subprocess.run(["wrk", "-t", str(THREADS), "-c", str(CONNECTIONS), "-d", f"{seconds:g}s", "--timeout", "5s",
                          "-s", str(lua), f"http://127.0.0.1:{port}/alexa", "--", str(folder)],
                         capture_output=True, text=True, timeout=seconds + 60)
    line = next((ln for ln in run.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if run.returncode or line is None:
        raise SystemExit(f"wrk failed:\n{run.stdout}\n{run.stderr}")
    result = json.loads(line[len("RESULT "):])
    result["rps"] = result["requests"] / (result["us"] / 1e6)
    return result


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == SERVE_FLAG:
        return serve(sys.argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--configs", default="gevent:2,gthread:2x4,sync:4",
                        help="worker_class:WORKERSxTHREADS (sync: WORKERS), comma-separated")
    parser.add_argument("--seconds", type=float, default=8.0, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=2, help="bare/skill pairs per configuration")
    parser.add_argument("--people", type=int, default=500, help="people per wrk thread in each pool")
    args = parser.parse_args()
    if subprocess.run(["which", "wrk"], capture_output=True).returncode:
        raise SystemExit("wrk is not installed: `make bench` installs it (apt-get install wrk)")
    load_before = os.getloadavg()[0]
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    results: list[tuple[str, str, dict]] = []
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="backcoach-wrk-")))
        lua = tmp / "turns.lua"
        lua.write_text(LUA)
        ca = SigningCA()
        cert = ca.issue()
        roots, cert_dir = ca.write_offline_files(tmp, cert)
        env = {**os.environ, "BACKCOACH_SKILL_IDS": DEFAULT_SKILL_ID, "BACKCOACH_TRUST_ROOTS": str(roots),
               "BACKCOACH_CERT_DIR": str(cert_dir), "BACKCOACH_LOG_LEVEL": "INFO"}
        for key in ("BACKCOACH_DEV", "BACKCOACH_AUDIO_BASE_URL", "BACKCOACH_STORE"):
            env.pop(key, None)
        for config in args.configs.split(","):
            worker_class, _, shape = config.partition(":")
            workers, _, threads = shape.partition("x")
            for rnd in range(args.rounds):
                for name in ("bare", "skill"):  # alternating, so other load on the machine hits both alike
                    port = web_load.free_port()
                    server = web_load.start_server(
                        name, [sys.executable, str(Path(__file__).resolve()), SERVE_FLAG, name, worker_class,
                               workers, threads or "1", str(port)],
                        {**env, "BACKCOACH_DATA_DIR": str(tmp / f"data-{config}-{rnd}-{name}")}, port,
                        tmp / f"{name}.log", stack)
                    warm, measured = tmp / f"warm-{config}-{rnd}-{name}", tmp / f"run-{config}-{rnd}-{name}"
                    warm.mkdir()
                    measured.mkdir()
                    write_pool(warm, cert, args.people // 4)
                    run_wrk(port, warm, 2, lua)  # warm-up: every worker opens its store, caches the chain
                    size = write_pool(measured, cert, args.people)  # fresh people and timestamps
                    db = tmp / f"data-{config}-{rnd}-{name}" / "backcoach.sqlite3"
                    saved_before = saves(db)
                    result = run_wrk(port, measured, args.seconds, lua)
                    result["pool"], result["saved"] = size, saves(db) - saved_before
                    log = (tmp / f"{name}.log").read_text(errors="replace")
                    result["failed"] = log.count("turn failed")  # apologised: the log line says why
                    result["why"] = sorted({line.split("turn failed: ")[1] for line in log.splitlines()
                                            if "turn failed: " in line})
                    results.append((config, name, result))
                    server.stop()
    print(f"wrk: {THREADS} threads, {CONNECTIONS} connections, {args.seconds:g} s per run, {args.rounds} rounds of "
          f"bare/skill per configuration, loopback; load average before the run {load_before:.2f}")
    print(f"skill turn: signed by a test CA and fully verified, SQLite store, app log at INFO to a file; "
          f"{len(SCRIPT)} turns per person, {args.people} people per wrk thread per run")
    for config in args.configs.split(","):
        runs = {name: [r for c, n, r in results if c == config and n == name] for name in ("bare", "skill")}
        if not runs["bare"] or not runs["skill"]:
            continue
        for name, rs in runs.items():
            for r in rs:
                print(f"  {config:<12} {name:<5} {r['rps']:7.0f} req/s  p50 {r['p50'] / 1000:6.2f}  p90 {r['p90'] / 1000:6.2f}"
                      f"  p99 {r['p99'] / 1000:6.2f}  max {r['max'] / 1000:7.2f} ms  non-2xx {r['status_errors']}  "
                      f"socket errors {r['socket_errors']}  ({r['requests']} requests, pool {r['pool']}"
                      f"{', saved ' + str(r['saved']) if name == 'skill' else ''}"
                      f"{', apologised ' + str(r['failed']) + ' ' + str(r['why']) if r.get('failed') else ''})")
        bare_rps = sum(r["rps"] for r in runs["bare"]) / len(runs["bare"])
        skill_rps = sum(r["rps"] for r in runs["skill"]) / len(runs["skill"])
        bare_p99 = max(r["p99"] for r in runs["bare"]) / 1000
        skill_p99 = max(r["p99"] for r in runs["skill"]) / 1000
        ratio = skill_rps / bare_rps
        print(f"  {config}: skill/bare throughput {ratio:.2f} (target >= {TARGET_RATIO}: "
              f"{'ok' if ratio >= TARGET_RATIO else 'MISSED'}); p99 skill {skill_p99:.2f} ms vs bare {bare_p99:.2f} ms "
              f"= {skill_p99 / bare_p99:.2f}x (target <= {TARGET_P99_FACTOR:g}x: "
              f"{'ok' if skill_p99 <= TARGET_P99_FACTOR * bare_p99 else 'MISSED'})")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("interrupted: servers stopped, temporary files removed")

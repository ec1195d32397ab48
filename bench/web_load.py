"""Web service under load: K simulated people, each replaying SCRIPT (seven turns of a routine) with signed requests,
against (a) a bare Flask route returning a canned Alexa response and (b) the real skill on POST /alexa,
both under gunicorn on loopback with the settings `backcoach serve` uses. Also: cold start (import +
create_app) in fresh interpreters. Prints figures beside the targets; asserts nothing.

    .venv/bin/python bench/web_load.py [--people 1,4,16] [--routines 96] [--workers 2]

Bounded: each level sends each server at most --routines routines (split over its people) and starts
no new one after --max-seconds. Only loopback traffic. Servers and temp files go away on exit or Ctrl-C.
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # for tests.signing

from flask import Flask, Response, jsonify, request  # noqa: E402

from skill.alexa.store import SQLiteStore
from skill.config import Settings  # noqa: E402
from skill.console.envelopes import DEFAULT_SKILL_ID, Device  # noqa: E402
from skill.web.serve import HEADER_DEADLINE_S as KEEPALIVE_S  # noqa: E402  (idle connections close after it)
from tests.live_server import free_port  # noqa: E402
from tests.signing import SigningCA, SigningCert  # noqa: E402
from tests.ssml_check import spoken_text  # noqa: E402

CANNED_FLAG = "--canned-server"  # internal: run the baseline server (see serve_canned)
LAUNCH = "LaunchRequest"
# Seven turns that each change and save the person's state (also bench/wrk_turns.py's), dated
# TURN_GAP_S apart: the engine times sets and rests by the requests' timestamps.
SCRIPT = ("StartRoutineIntent", "HurtIntent", "AMAZON.PauseIntent", "AMAZON.ResumeIntent", "AMAZON.YesIntent",
          "AMAZON.NextIntent", "HurtIntent")
TURN_GAP_S = 20
REQUEST_TIMEOUT_S = 10.0
SLOW_S = 1.0
TARGET_RATIO, TARGET_P99_MS, TARGET_P99_PEOPLE, TARGET_COLD_MS = 0.5, 15.0, 16, 300.0


# ---- (a) the baseline server: the same `backcoach serve` path, with the app swapped for one route ----

def _canned_response() -> bytes:
    counts = '<break time="3000ms"/>'.join(f"{n}." for n in ("One", "Two", "Three", "Four", "Five", "Six",
                                                              "Seven", "Eight"))
    ssml = f"<speak>Set one of three. Lift and lower, slowly. {counts} Was that pain-free?</speak>"
    return json.dumps({"version": "1.0", "sessionAttributes": {}, "userAgent": "bench", "response": {
        "outputSpeech": {"type": "SSML", "ssml": ssml},
        "reprompt": {"outputSpeech": {"type": "SSML", "ssml": "<speak>Say yes if it was pain-free.</speak>"}},
        "shouldEndSession": False}}, separators=(",", ":")).encode()


def canned_app(settings: Settings) -> Flask:
    app = Flask("canned")
    payload = _canned_response()
    # `backcoach serve` checks the store answers before it forks; the bare route never touches it
    app.extensions["backcoach.store"] = SQLiteStore(settings.data_dir)

    @app.post("/alexa")
    def alexa() -> Response:
        request.get_data()  # read the body, as the real route does, then ignore it
        return Response(payload, mimetype="application/json")

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    return app


def serve_canned(argv: list[str]) -> None:
    # GunicornServer.load() imports create_app from skill.web.app inside each worker, so replacing the
    # attribute here gives the baseline exactly the gunicorn options, CLI checks and settings of (b).
    import skill.web.app
    from skill.cli import main

    skill.web.app.create_app = canned_app
    main(argv)


# ---- servers ----

@dataclass
class Server:
    name: str
    proc: subprocess.Popen
    port: int
    log: Path

    def cpu_seconds(self) -> float:
        """User + system CPU of the arbiter and its worker processes (all threads), from /proc."""
        tick = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for pid in [self.proc.pid, *self._children()]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        return total

    def _children(self) -> list[int]:
        try:
            return [int(p) for p in Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()]
        except FileNotFoundError:
            return []

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()  # gunicorn: graceful stop of arbiter and workers
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # its own session: anything left of what we started
        except ProcessLookupError:
            pass
        self.proc.wait()


def machine_busy_seconds() -> float:
    """CPU seconds all CPUs have spent busy since boot (/proc/stat: everything but idle and iowait)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def verified_env(tmp: Path) -> tuple[SigningCert, dict[str, str]]:
    """A throwaway CA standing in for Amazon, and the environment of a verified server that trusts it."""
    ca = SigningCA()
    cert = ca.issue()
    roots, cert_dir = ca.write_offline_files(tmp, cert)
    env = {**os.environ, "BACKCOACH_SKILL_IDS": DEFAULT_SKILL_ID, "BACKCOACH_TRUST_ROOTS": str(roots),
           "BACKCOACH_CERT_DIR": str(cert_dir), "BACKCOACH_LOG_LEVEL": "INFO"}
    env.pop("BACKCOACH_DEV", None)
    env.pop("BACKCOACH_AUDIO_BASE_URL", None)
    return cert, env


def start_server(name: str, cmd: list[str], env: dict[str, str], port: int, log: Path, stack: ExitStack) -> Server:
    out = stack.enter_context(log.open("wb"))
    # A session of its own: Ctrl-C reaches only this script, which then stops the server itself.
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(name, proc, port, log)
    stack.callback(server.stop)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{name} server exited ({proc.returncode}):\n{log.read_text()[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return server
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"{name} server not healthy after 30 s:\n{log.read_text()[-2000:]}")


# ---- the simulated person ----

def envelope(device: Device, intent: str, turn: int = 0, turns: int = 1) -> dict:
    """Turn `turn` of `turns`, dated TURN_GAP_S after the one before, the middle one now (the server
    checks each timestamp is within 150 s of its clock; the engine times sets and rests by them)."""
    now = datetime.now(timezone.utc) + timedelta(seconds=TURN_GAP_S * (turn - turns // 2))
    return device.launch(now) if intent == LAUNCH else device.intent(intent, now)


def discover_script(port: int, cert: SigningCert) -> list[str]:
    """SCRIPT, once through the real skill: every turn must be answered with speech."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_S)
    device = Device(user_id=f"amzn1.ask.account.BENCH{uuid.uuid4().hex}")
    try:
        for turn, intent in enumerate(SCRIPT):
            status, reply = post(conn, cert, envelope(device, intent, turn, len(SCRIPT)))
            if status != 200 or wrong(reply):
                raise SystemExit(f"the skill answered {intent} with HTTP {status}: {reply}")
            device.answered(reply)
    finally:
        conn.close()
    return list(SCRIPT)


def wrong(reply: dict) -> bool:
    """A reply no runner should get mid-routine: silence, or the apology for a failed turn."""
    speech = reply.get("response", {}).get("outputSpeech")
    return speech is None or "something went wrong" in spoken_text(speech["ssml"])


def post(conn: http.client.HTTPConnection, cert: SigningCert, env: dict) -> tuple[int, dict]:
    body = json.dumps(env).encode()
    conn.request("POST", "/alexa", body, {**cert.headers(body), "Content-Type": "application/json"})
    response = conn.getresponse()
    data = response.read()
    return response.status, (json.loads(data) if response.status == 200 else {})


@dataclass
class PersonResult:
    latencies: list[float] = field(default_factory=list)  # seconds, HTTP round trip only (signing excluded)
    wrong_turns: int = 0      # replies with no speech or the apology for a failed turn
    problems: Counter = field(default_factory=Counter)  # what went wrong: "HTTP 400", "TimeoutError", ...
    cpu: float = 0.0          # client CPU seconds (building, signing, parsing)
    started: float = 0.0
    ended: float = 0.0


def person(port: int, cert: SigningCert, script: list[str], routines: int, check: bool, deadline: float,
           think_s: float, go, results) -> None:
    """One simulated person in its own process: `routines` runs of the script over one keep-alive connection,
    pausing before each request for a random time averaging `think_s` (so people do not talk in step)."""
    result = PersonResult()
    random.seed()  # forked children would otherwise share one sequence
    try:
        go.wait()
        cpu0, result.started = time.process_time(), time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_S)
        for _ in range(routines):
            if time.monotonic() > deadline:
                break
            device = Device(user_id=f"amzn1.ask.account.BENCH{uuid.uuid4().hex}")
            for i, intent in enumerate(script):
                if think_s:
                    pause = random.expovariate(1 / think_s)
                    if pause > KEEPALIVE_S - 0.5:
                        conn.close()  # the server drops idle connections; a client that knows it reconnects
                    time.sleep(pause)
                body = json.dumps(envelope(device, intent, i, len(script))).encode()
                headers = {**cert.headers(body), "Content-Type": "application/json"}
                started = time.perf_counter()
                try:
                    conn.request("POST", "/alexa", body, headers)
                    response = conn.getresponse()
                    data = response.read()
                except (OSError, http.client.HTTPException) as exc:
                    result.latencies.append(time.perf_counter() - started)
                    result.problems[type(exc).__name__] += 1
                    conn.close()  # reconnects on the next request
                    break
                result.latencies.append(time.perf_counter() - started)
                if response.status != 200:
                    result.problems[f"HTTP {response.status}"] += 1
                    break
                reply = json.loads(data)
                device.answered(reply)
                if check and wrong(reply):
                    result.wrong_turns += 1
                    break
        conn.close()
        result.ended, result.cpu = time.monotonic(), time.process_time() - cpu0
    except KeyboardInterrupt:
        return
    results.put(result)


@dataclass
class Phase:
    server: str
    people: int
    requests: int
    seconds: float
    latencies_ms: list[float]
    problems: Counter
    wrong_turns: int
    server_cpu: float
    client_cpu: float
    machine_cpu: float  # CPU seconds the whole machine was busy meanwhile (all processes, all CPUs)

    @property
    def errors(self) -> int:
        return sum(self.problems.values())

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        ms = sorted(self.latencies_ms)
        return ms[min(len(ms) - 1, int(len(ms) * q))] if ms else float("nan")

    def __add__(self, other: Phase) -> Phase:
        return Phase(self.server, self.people, self.requests + other.requests, self.seconds + other.seconds,
                     self.latencies_ms + other.latencies_ms, self.problems + other.problems,
                     self.wrong_turns + other.wrong_turns, self.server_cpu + other.server_cpu,
                     self.client_cpu + other.client_cpu, self.machine_cpu + other.machine_cpu)

    @property
    def others_share(self) -> float:
        """Share of the machine's CPUs used by processes other than this bench's, during the phase."""
        others = self.machine_cpu - self.server_cpu - self.client_cpu
        return max(0.0, others) / ((os.cpu_count() or 1) * self.seconds) if self.seconds else 0.0


def run_phase(server: Server, cert: SigningCert, script: list[str], people: int, routines: int, check: bool,
              max_seconds: float, think_s: float = 0.0) -> Phase:
    ctx = multiprocessing.get_context("fork")  # children inherit the signing key (not picklable)
    go, results = ctx.Event(), ctx.Queue()
    share = [routines // people + (1 if i < routines % people else 0) for i in range(people)]
    deadline = time.monotonic() + max_seconds
    procs = [ctx.Process(target=person, args=(server.port, cert, script, n, check, deadline, think_s, go, results),
                         daemon=True) for n in share if n]
    for p in procs:
        p.start()
    cpu0, machine0 = server.cpu_seconds(), machine_busy_seconds()
    got: list[PersonResult] = []
    try:
        go.set()
        for _ in procs:
            got.append(results.get(timeout=max_seconds + REQUEST_TIMEOUT_S * len(script) + 30))
    finally:
        for p in procs:
            p.join(timeout=5)
            if p.is_alive():
                p.terminate()
                p.join()
    server_cpu, machine_cpu = server.cpu_seconds() - cpu0, machine_busy_seconds() - machine0
    latencies = [s * 1000 for r in got for s in r.latencies]
    problems = sum((r.problems for r in got), Counter())
    lost = len(procs) - len(got)
    if lost:
        problems["simulated person lost"] += lost
    seconds = max(r.ended for r in got) - min(r.started for r in got) if got else 0.0
    return Phase(server.name, people, len(latencies), seconds, latencies, problems,
                 sum(r.wrong_turns for r in got), server_cpu, sum(r.cpu for r in got), machine_cpu)


# ---- cold start ----

COLD_PROBE = """
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
from skill.alexa.store import SQLiteStore
from skill.config import Settings
from skill.web.app import create_app
t1 = time.perf_counter()
a = json.loads(sys.argv[1])
create_app(Settings(skill_ids=frozenset({a["skill"]}), data_dir=Path(a["data"]), trust_roots=Path(a["roots"]),
                    cert_dir=Path(a["certs"])))
t2 = time.perf_counter()
print(json.dumps([(t1 - t0) * 1000, (t2 - t1) * 1000]))
"""


def cold_start(runs: int, tmp: Path, roots: Path, cert_dir: Path) -> tuple[list[float], list[float], list[float]]:
    """Per fresh interpreter: import ms, create_app ms, and the whole process's wall ms."""
    imports, creates, walls = [], [], []
    for i in range(runs):
        args = json.dumps({"skill": DEFAULT_SKILL_ID, "data": str(tmp / f"cold-{i}"), "roots": str(roots),
                           "certs": str(cert_dir)})
        started = time.perf_counter()
        run = subprocess.run([sys.executable, "-c", COLD_PROBE, args], cwd=REPO, capture_output=True, text=True,
                             timeout=60)
        if run.returncode:
            raise SystemExit(f"cold start probe failed:\n{run.stderr[-2000:]}")
        out = run.stdout
        walls.append((time.perf_counter() - started) * 1000)
        imported, created = json.loads(out)
        imports.append(imported)
        creates.append(created)
    return imports, creates, walls


# ---- report ----

def mark(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def report_phase(p: Phase) -> None:
    per = p.requests or 1
    print(f"  {p.server:<9} {p.people:>3} people  {p.requests:>5} req  {p.throughput:>7.0f} req/s  "
          f"p50 {p.pct(0.50):6.2f}  p99 {p.pct(0.99):6.2f}  max {max(p.latencies_ms, default=0):7.2f} ms  "
          f">1s {sum(ms > SLOW_S * 1000 for ms in p.latencies_ms)}  errors {p.errors}"
          f"{' (' + ', '.join(f'{k}: {n}' for k, n in p.problems.most_common()) + ')' if p.problems else ''}"
          f"{f'  wrong turns {p.wrong_turns}' if p.server == 'skill' else ''}  "
          f"| CPU/req: server {p.server_cpu / per * 1000:.2f} ms, client {p.client_cpu / per * 1000:.2f} ms; "
          f"others busy {p.others_share:.0%} of the machine")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == CANNED_FLAG:
        return serve_canned(sys.argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", default="1,4,16", help="concurrent simulated people per level")
    parser.add_argument("--routines", type=int, default=96, help="runs of the 7-turn script per level and server")
    parser.add_argument("--rounds", type=int, default=3, help="turns (a) and (b) take at each level")
    parser.add_argument("--max-seconds", type=float, default=60.0, help="no new routine after this, per level")
    parser.add_argument("--think-ms", type=float, default=0.0,
                        help="mean random pause before each request (default 0: every person talks back-to-back)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cold-runs", type=int, default=5)
    args = parser.parse_args()
    levels = sorted({int(n) for n in args.people.split(",")})
    if args.routines < args.rounds or min(levels) < 1:
        parser.error("need --routines >= --rounds and at least one person per level")
    load_before = os.getloadavg()[0]

    # Ctrl-C and SIGTERM both unwind through the ExitStack: servers stopped, temp dir removed.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="backcoach-bench-")))
        cert, env = verified_env(tmp)
        roots, cert_dir = Path(env["BACKCOACH_TRUST_ROOTS"]), Path(env["BACKCOACH_CERT_DIR"])

        imports, creates, walls = cold_start(args.cold_runs, tmp, roots, cert_dir)

        servers = {}
        for name, entry in (("canned", [sys.executable, str(Path(__file__).resolve()), CANNED_FLAG]),
                            ("skill", [sys.executable, "-m", "skill.cli"])):
            port = free_port()
            cmd = [*entry, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers),
                   "--data-dir", str(tmp / f"data-{name}")]
            servers[name] = start_server(name, cmd, env, port, tmp / f"{name}.log", stack)

        script = discover_script(servers["skill"].port, cert)
        # Warm-up, not counted: every worker thread opens its SQLite connection and caches the signing chain.
        for name in servers:
            run_phase(servers[name], cert, script, max(levels), max(levels), name == "skill", args.max_seconds)

        phases = []
        for people in levels:
            # (a) and (b) take turns, so other load on the shared machine hits both alike.
            turns: dict[str, list[Phase]] = {"canned": [], "skill": []}
            for _ in range(args.rounds):
                for name in turns:
                    turns[name].append(run_phase(servers[name], cert, script, people, args.routines // args.rounds,
                                                 name == "skill", args.max_seconds / args.rounds,
                                                 args.think_ms / 1000))
            phases += [sum(turns[name][1:], turns[name][0]) for name in turns]

    print(f"web load: `backcoach serve` (gunicorn gevent worker), workers={args.workers}, timeout=30 s, "
          f"keep-alive 2 s, bound to 127.0.0.1, app log at INFO to a file")
    print(f"machine: {os.cpu_count()} CPUs shared by client and server (client: one process per person, "
          f"RSA-2048 signing every request; latency is the HTTP round trip only, signing excluded); "
          f"load average before the run {load_before:.2f}")
    print(f"routine: {len(script)} requests per person ({script.count('AMAZON.YesIntent')} sets answered yes); "
          f"(a) canned = bare Flask route, canned {len(_canned_response())}-byte Alexa response; "
          f"(b) skill = POST /alexa, verified, SQLite store; {args.routines} routines per level and server "
          f"in {args.rounds} alternating turns; "
          f"warm-up of {max(levels)} routines per server not counted; "
          f"mean pause before each request {args.think_ms:g} ms"
          f"{' (throughput is then set by the pauses: the ratio says little)' if args.think_ms else ''}")
    for p in phases:
        report_phase(p)
    for people in levels:
        a, b = (next(p for p in phases if p.people == people and p.server == s) for s in ("canned", "skill"))
        ratio = b.throughput / a.throughput if a.throughput else 0.0
        line = (f"  {people:>3} people: throughput ratio skill/canned {ratio:.3f} "
                f"(target >= {TARGET_RATIO}: {mark(ratio >= TARGET_RATIO)})")
        if people == TARGET_P99_PEOPLE:
            p99 = b.pct(0.99)
            line += f"; skill p99 {p99:.2f} ms (target <= {TARGET_P99_MS:.0f} ms: {mark(p99 <= TARGET_P99_MS)})"
        slow = sum(ms > SLOW_S * 1000 for p in (a, b) for ms in p.latencies_ms)
        print(line + f"; over 1 s: {slow} (target 0: {mark(slow == 0)})")
    cold = statistics.median(i + c for i, c in zip(imports, creates))
    print(f"cold start, import + create_app: median {cold:.0f} ms over {len(imports)} fresh interpreters "
          f"(import {statistics.median(imports):.0f} ms, create_app {statistics.median(creates):.0f} ms; "
          f"whole process incl. Python start-up {statistics.median(walls):.0f} ms); "
          f"target <= {TARGET_COLD_MS:.0f} ms: {mark(cold <= TARGET_COLD_MS)}")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("interrupted: servers stopped, temporary files removed")

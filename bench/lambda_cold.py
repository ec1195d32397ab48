"""Lambda cold start: a fresh interpreter imports the handler from the unpacked dist/lambda.zip (no
site-packages, as on Lambda) and answers its first request. Measured with the zip's precompiled
bytecode and without it (what a zip of bare sources costs: every module compiled at each cold start).
Prints figures beside the target; asserts nothing. Bounded: --runs fresh interpreters per variant.

    .venv/bin/python bench/lambda_cold.py [--runs 15]

Lambda's own start-up (fetching the code, starting the runtime) is not included: it is not ours to change.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from skill.package import lambda_zip  # noqa: E402

TARGET_MS = 300.0
PROBE = r"""
import json, time
t0 = time.perf_counter()
import skill.alexa.lambda_function as entry
t1 = time.perf_counter()
system = {"application": {"applicationId": "amzn1.ask.skill.cold"}, "user": {"userId": "amzn1.ask.account.COLD"}}
launch = {"version": "1.0", "context": {"System": system}, "session": {"new": True, "sessionId": "s",
          "application": system["application"], "user": system["user"]},
          "request": {"type": "LaunchRequest", "requestId": "r", "timestamp": "2026-03-02T07:30:00Z", "locale": "en-US"}}
said = entry.handler(launch, None)["response"]["outputSpeech"]["ssml"]
t2 = time.perf_counter()
assert "Welcome to Back Coach" in said
print(json.dumps([(t1 - t0) * 1000, (t2 - t1) * 1000]))
"""


def measure(task: Path, runs: int, data: Path) -> tuple[list[float], list[float], list[float]]:
    imports, invokes, walls = [], [], []
    for i in range(runs):
        env = {"BACKCOACH_SKILL_IDS": "amzn1.ask.skill.cold", "BACKCOACH_DATA_DIR": str(data / str(i)),
               "PYTHONDONTWRITEBYTECODE": "1"}
        started = time.perf_counter()
        run = subprocess.run([sys.executable, "-S", "-c", PROBE], cwd=task, env=env, capture_output=True,
                             text=True, timeout=60)
        walls.append((time.perf_counter() - started) * 1000)
        if run.returncode:
            raise SystemExit(f"cold start probe failed:\n{run.stderr[-2000:]}")
        imported, invoked = json.loads(run.stdout)
        imports.append(imported)
        invokes.append(invoked)
    return imports, invokes, walls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="backcoach-cold-") as tmp:
        tmp = Path(tmp)
        zipped, unzipped = lambda_zip.build(tmp / "lambda.zip")
        compiled, bare = tmp / "compiled", tmp / "bare"
        with zipfile.ZipFile(tmp / "lambda.zip") as zf:
            zf.extractall(compiled)
        shutil.copytree(compiled, bare, ignore=shutil.ignore_patterns("__pycache__"))
        print(f"lambda.zip: {zipped / 1e6:.2f} MB zipped, {unzipped / 1e6:.2f} MB unzipped; {sys.version.split()[0]}, "
              f"{args.runs} fresh interpreters per variant, no site-packages, on this 2-core shared machine")
        for name, task in (("with bytecode (shipped)", compiled), ("bare sources", bare)):
            imports, invokes, walls = measure(task, args.runs, tmp / f"data-{task.name}")
            total = [i + v for i, v in zip(imports, invokes)]
            median = statistics.median(total)
            print(f"  {name:<24} import + first invoke: median {median:6.1f} ms, max {max(total):6.1f} ms "
                  f"(import {statistics.median(imports):.1f} ms, first invoke {statistics.median(invokes):.1f} ms; "
                  f"whole process incl. Python start-up {statistics.median(walls):.0f} ms)"
                  f"{f'  target <= {TARGET_MS:.0f} ms: ' + ('ok' if median <= TARGET_MS else 'MISSED') if task is compiled else ''}")


if __name__ == "__main__":
    main()

"""dist/lambda.zip: exactly what the Lambda handler imports, and nothing of the web server or the
audio builder (no Flask, gunicorn, gTTS, lameenc, miniaudio).

    python -m skill.package.lambda_zip [dist/lambda.zip]      (make lambda)

What goes in is found by running the handler, not by listing it: a fresh interpreter imports
skill.alexa.lambda_function, answers a few requests with hosted audio tracks on, imports the DynamoDB
adapter, and reports every module it loaded. Third-party packages go in whole (the SDK's serializer
imports model classes by name as requests arrive); the project's own modules one by one, with the
data files they read. boto3 and its dependencies stay out: every Lambda Python runtime provides them.
Bytecode is compiled in (unchecked-hash .pyc): Lambda's /var/task is read-only, so without it every
cold start would compile every module again. The zip is reproducible: fixed order, times and modes.
"""
from __future__ import annotations

import json
import os
import py_compile
import subprocess
import sys
import sysconfig
import tempfile
import warnings
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RUNTIME_PROVIDED = {"boto3", "botocore", "s3transfer", "jmespath"}
DATA_FILES = ("skill/coach/moves.json", "skill/coach/phrases/en.json", "audio/manifest.json")
NEVER = {"flask", "werkzeug", "gunicorn", "gtts", "lameenc", "miniaudio", "cryptography", "click", "jinja2"}
PYTHON = f"python{sys.version_info.major}.{sys.version_info.minor}"  # the Lambda runtime the .pyc files are for

_PROBE = r"""
import json, os, sys, tempfile
os.environ.update(BACKCOACH_SKILL_IDS="amzn1.ask.skill.probe", BACKCOACH_DATA_DIR=tempfile.mkdtemp(),
                  BACKCOACH_AUDIO_BASE_URL="https://audio.example.com/backcoach", BACKCOACH_LOG_LEVEL="ERROR")
import skill.alexa.lambda_function as entry

def envelope(request):
    system = {"application": {"applicationId": "amzn1.ask.skill.probe"}, "user": {"userId": "amzn1.ask.account.P"},
              "device": {"deviceId": "d", "supportedInterfaces": {}}}
    return {"version": "1.0", "context": {"System": system},
            "session": {"new": False, "sessionId": "s", "application": system["application"], "user": system["user"]},
            "request": {"requestId": "r", "timestamp": "2026-03-02T07:30:00Z", "locale": "en-US", **request}}

entry.handler(envelope({"type": "LaunchRequest"}), None)
for name in ("StartRoutineIntent", "ReadyIntent", "AMAZON.YesIntent", "AMAZON.StopIntent"):
    entry.handler(envelope({"type": "IntentRequest", "intent": {"name": name, "slots": {}}}), None)
entry.handler(envelope({"type": "CanFulfillIntentRequest", "intent": {"name": "StartRoutineIntent"}}), None)
import skill.alexa.dynamo  # chosen by BACKCOACH_STORE=dynamodb
print(json.dumps(sorted({m.__name__: m.__file__ for m in list(sys.modules.values())
                         if getattr(m, "__file__", None)}.items())))
"""


def imported_modules() -> dict[str, str]:
    """Modules the handler loaded, beyond what the interpreter loads on its own (site hooks such as
    an editable install's finder are not the handler's)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKCOACH_")}
    found = []
    for code in (_PROBE, "import json, sys; print(json.dumps(sorted(sys.modules)))"):
        run = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120,
                             env=env)
        if run.returncode:
            raise SystemExit(f"the handler failed while being probed:\n{run.stderr[-3000:]}")
        found.append(json.loads(run.stdout.splitlines()[-1]))
    handler, interpreter = found
    return {name: file for name, file in handler if name not in set(interpreter)}


def contents() -> dict[str, Path]:
    """Archive name -> source file, for everything the handler needs."""
    stdlib = {Path(sysconfig.get_paths()[key]).resolve() for key in ("stdlib", "platstdlib")}
    files: dict[str, Path] = {}
    for name, file in imported_modules().items():
        path = Path(file).resolve()
        top = name.split(".")[0]
        if path.is_relative_to(REPO / "skill"):
            files[path.relative_to(REPO).as_posix()] = path
            continue
        if any(path.is_relative_to(root) and "site-packages" not in path.parts for root in stdlib):
            continue
        if top in RUNTIME_PROVIDED:
            continue
        site = next(parent for parent in path.parents if parent.name == "site-packages")
        first = path.relative_to(site).parts[0]
        source = site / first
        for item in ([source] if source.is_file() else sorted(source.rglob("*"))):
            if item.is_file() and "__pycache__" not in item.parts and item.suffix != ".pyc":
                files[item.relative_to(site).as_posix()] = item
    for name in DATA_FILES:
        files[name] = REPO / name
    bad = sorted({n.split("/")[0] for n in files} & NEVER)
    if bad:
        raise SystemExit(f"the handler imported {', '.join(bad)}: it must not (they are not shipped to Lambda)")
    return files


def build(target: Path, files: dict[str, Path] | None = None) -> tuple[int, int]:
    """Write the zip of `files` (default: contents()); returns (zipped bytes, unzipped bytes)."""
    files = contents() if files is None else files
    target.parent.mkdir(parents=True, exist_ok=True)
    unzipped = 0
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name in sorted(files):
            data = files[name].read_bytes()
            unzipped += _add(zf, name, data)
            if name.endswith(".py"):
                compiled = Path(tmp) / "c.pyc"
                with warnings.catch_warnings():  # third-party sources' own warnings (invalid escapes)
                    warnings.simplefilter("ignore")
                    py_compile.compile(str(files[name]), cfile=str(compiled), dfile=f"/var/task/{name}",
                                       doraise=True, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
                folder, _, module = name.rpartition("/")
                cached = f"{folder + '/' if folder else ''}__pycache__/{module[:-3]}.{sys.implementation.cache_tag}.pyc"
                unzipped += _add(zf, cached, compiled.read_bytes())
    return target.stat().st_size, unzipped


def _add(zf: zipfile.ZipFile, name: str, data: bytes) -> int:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.external_attr = 0o644 << 16  # readable by Lambda's sandbox user
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, data)
    return len(data)


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else REPO / "dist" / "lambda.zip"
    zipped, unzipped = build(target)
    with zipfile.ZipFile(target) as zf:
        tops = sorted({n.split("/")[0] for n in zf.namelist()})
    print(f"wrote {target}: {zipped / 1e6:.2f} MB zipped, {unzipped / 1e6:.2f} MB unzipped, for {PYTHON} "
          f"(Lambda runtime {PYTHON}); contains {', '.join(tops)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Request verification cost: per request with a warm certificate cache (target <= 0.2 ms), per
certificate-cache miss, and cold start (import, then building the verifier). Prints figures only.

    .venv/bin/python bench/verify.py [runs]
"""
from __future__ import annotations

import dataclasses
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.signing

REPO = Path(__file__).resolve().parents[1]
SKILL_ID = "amzn1.ask.skill.bench"


def cold_import_ms(repeats: int = 5) -> float:
    """Median time to import the verification module in a fresh interpreter (startup excluded)."""
    probe = ("import time; t = time.perf_counter(); import skill.web.verify; "
             "print((time.perf_counter() - t) * 1000)")
    runs = [float(subprocess.run([sys.executable, "-c", probe], cwd=REPO, check=True, capture_output=True,
                                 text=True).stdout) for _ in range(repeats)]
    return statistics.median(runs)


def percentiles(samples_s: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples_s)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    return f"median {statistics.median(ms):.3f} ms, p99 {p99:.3f} ms, max {ms[-1]:.3f} ms (n={len(ms)})"


def main(runs: int) -> None:
    import_ms = cold_import_ms()

    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import RequestEnvelope

    from skill.web.verify import Verification, VerificationConfig
    from tests.signing import CERT_FILE, SigningCA

    ca = SigningCA()
    cert = ca.issue()
    now = datetime.now(timezone.utc)
    body = json.dumps({
        "version": "1.0",
        "context": {"System": {"application": {"applicationId": SKILL_ID}, "user": {"userId": "u"}}},
        "request": {"type": "IntentRequest", "requestId": "r", "locale": "en-US",
                    "timestamp": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "intent": {"name": "ReadyIntent"}},
    }).encode()
    envelope = DefaultSerializer().deserialize(body.decode(), RequestEnvelope)

    with tempfile.TemporaryDirectory() as tmp:
        roots, cert_dir = ca.write_offline_files(Path(tmp), cert)
        (cert_dir / "second.pem").write_bytes(cert.chain_pem)
        config = VerificationConfig(skill_ids=frozenset({SKILL_ID}), trust_roots=roots, cert_dir=cert_dir,
                                    clock=lambda: now)

        builds = []
        for _ in range(10):
            started = time.perf_counter()
            verification = Verification(config)
            builds.append(time.perf_counter() - started)

        headers = cert.headers(body)
        verification.verify(headers, body, envelope)  # warm the cache
        warm = []
        for _ in range(runs):
            started = time.perf_counter()
            verification.verify(headers, body, envelope)
            warm.append(time.perf_counter() - started)

        # A one-entry cache and two alternating URLs: every request re-reads and re-validates a chain.
        missing = Verification(dataclasses.replace(config, cache_size=1))
        alternating = [cert.headers(body, f"https://s3.amazonaws.com/echo.api/{name}")
                       for name in (CERT_FILE, "second.pem")]
        misses = []
        for i in range(200):
            started = time.perf_counter()
            missing.verify(alternating[i % 2], body, envelope)
            misses.append(time.perf_counter() - started)

    print(f"cold import of skill.web.verify: {import_ms:.1f} ms (median of 5 fresh interpreters)")
    print(f"building the verifier (certifi + extra roots): {percentiles(builds)}")
    print(f"verify, warm cache (target <= 0.2 ms median): {percentiles(warm)}")
    print(f"verify, certificate cache miss (local chain, no network): {percentiles(misses)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)

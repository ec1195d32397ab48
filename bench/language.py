"""Language understanding and safety screening on phrasings the model never saw (bench/corpus/heldout.tsv).

Each phrase goes through two paths to the event the skill's handlers choose (skill/alexa/probe.py:
the real handler classes, the engine left out):
- virtual-alexa: Bespoken's matcher on the unmodified interaction model, in session, posting real
  request envelopes to the probe over loopback HTTP (tests/virtual_alexa/check.js --in-session);
- console: the console's NLU (skill/console/nlu.py) and the envelope the console would send.
Prints per-class recall and precision and a confusion matrix per path, then the targets:
red-flag recall >= 95 %, no other phrase taken for a red flag, pain recall >= 90 % (pain of any kind
noticed as pain). Exits 1 when a target is missed.

    python bench/language.py [--corpus FILE] [--locale en-US]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from skill.alexa import probe  # noqa: E402
from skill.coach.events import Event  # noqa: E402
from skill.console.envelopes import Device  # noqa: E402
from skill.console.model import LOCALES, load_model  # noqa: E402
from skill.console.nlu import LAUNCH, Resolver  # noqa: E402

CORPUS = REPO / "bench" / "corpus" / "heldout.tsv"
CHECK_JS = REPO / "tests" / "virtual_alexa" / "check.js"
RED_FLAGS = ("urgent", "leg", "unwell")
PAIN = ("pain", "some", "elsewhere")
ORDER = (*RED_FLAGS, *PAIN, "rating", "yes", "no", "better", "same", "worse", "other", "error")
TARGETS = {"red-flag recall": 0.95, "pain recall": 0.90}


def load_corpus(path: Path) -> list[tuple[str, str]]:
    """(label, phrase) pairs; a clear error for a malformed line."""
    pairs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        label, sep, phrase = line.partition("\t")
        if not sep or not phrase.strip() or _class_name(label) not in ORDER:
            raise SystemExit(f"{path}:{number}: expected 'label<TAB>phrase' with a known label, got {line!r}")
        pairs.append((label, phrase.strip()))
    return pairs


def _class_name(label: str) -> str:
    return "rating" if label.startswith("rating=") else label


def console_events(phrases: list[str], locale: str) -> list[Event | None]:
    resolver, skill = Resolver(load_model(locale)), probe.probe_skill()
    now = datetime.now(timezone.utc)
    events = []
    for phrase in phrases:
        device = Device(locale=locale)
        resolution = resolver.resolve(phrase)
        if resolution.intent == LAUNCH:
            envelope = device.launch(now)
        else:
            slots = {name: slot.to_alexa(device.skill_id) for name, slot in resolution.slots.items()}
            envelope = device.intent(resolution.intent, now, slots)
        speech = probe.answer(skill, envelope)["response"].get("outputSpeech") or {}
        events.append(probe.event_said(speech.get("ssml")))
    return events


def virtual_alexa_events(phrases: list[str], locale: str) -> list[Event | None]:
    node = shutil.which("node")
    if node is None or not (CHECK_JS.parent / "node_modules" / "virtual-alexa").is_dir():
        raise SystemExit("virtual-alexa is not installed: run `make bench` (it installs node and the package)")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as script, probe.serve() as url:
        script.write("\n".join(phrases) + "\n")
        script.flush()
        run = subprocess.run([node, str(CHECK_JS), url, "--in-session", "--script", script.name],
                             capture_output=True, text=True, timeout=600, env={**os.environ, "LOCALE": locale})
    turns = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    if run.returncode != 0 or [t["said"] for t in turns] != phrases:
        raise SystemExit(f"check.js failed ({run.returncode}):\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
    return [probe.event_said(t["ssml"]) for t in turns]


def report(name: str, labels: list[str], events: list[Event | None], phrases: list[str]) -> dict[str, float]:
    got = [probe.label_of(e) for e in events]
    classes = [c for c in ORDER if c in {_class_name(x) for x in labels + got}]
    matrix = Counter((_class_name(want), _class_name(have) if _class_name(have) != "rating" or have == want
                      else "rating") for want, have in zip(labels, got))
    right = Counter(_class_name(w) for w, h in zip(labels, got) if w == h)
    said = Counter(_class_name(h) for h in got)
    print(f"\n## {name}: {len(labels)} phrases\n")
    print("| class | phrases | recall | precision |")
    print("|---|---:|---:|---:|")
    for c in classes:
        n = sum(_class_name(w) == c for w in labels)
        if n:
            print(f"| {c} | {n} | {_pct(right[c], n)} | {_pct(right[c], said[c])} |")
    print("\nconfusion (rows: labelled, columns: understood as)\n")
    print("| | " + " | ".join(classes) + " |")
    print("|---" * (len(classes) + 1) + "|")
    for want in classes:
        if any(_class_name(w) == want for w in labels):
            print(f"| {want} | " + " | ".join(str(matrix[(want, h)] or "") for h in classes) + " |")
    flags = [i for i, w in enumerate(labels) if w in RED_FLAGS]
    pains = [i for i, w in enumerate(labels) if w in PAIN]
    false_flags = [i for i, w in enumerate(labels) if w not in RED_FLAGS and got[i] in RED_FLAGS]
    wrong_rating = [i for i, w in enumerate(labels) if w.startswith("rating=") and got[i].startswith("rating=")
                    and got[i] != w]
    figures = {
        "red-flag recall": sum(got[i] in RED_FLAGS for i in flags) / len(flags),
        "red-flag kind right": sum(got[i] == labels[i] for i in flags) / len(flags),
        "pain recall": sum(got[i] in PAIN for i in pains) / len(pains),
        "false red flags": len(false_flags),
    }
    print(f"\nred flags stopped: {_pct(sum(got[i] in RED_FLAGS for i in flags), len(flags))} "
          f"(right urgency: {_pct(sum(got[i] == labels[i] for i in flags), len(flags))}); "
          f"pain noticed: {_pct(sum(got[i] in PAIN for i in pains), len(pains))}; "
          f"other phrases taken for a red flag: {len(false_flags)}"
          + (f"; ratings heard as another number: {len(wrong_rating)}" if wrong_rating else ""))
    misses = [i for i, w in enumerate(labels) if w != got[i]]
    if misses:
        print("\nmisses:")
        for i in misses:
            print(f"  {labels[i]:>10} -> {got[i]:<10} {phrases[i]}")
    return figures


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "-"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--locale", choices=LOCALES, default="en-US")
    args = parser.parse_args(argv)
    pairs = load_corpus(args.corpus)
    labels, phrases = [p[0] for p in pairs], [p[1] for p in pairs]
    missed = []
    for name, events in (("virtual-alexa", virtual_alexa_events(phrases, args.locale)),
                         ("console NLU", console_events(phrases, args.locale))):
        figures = report(name, labels, events, phrases)
        missed += [f"{name}: {k} {figures[k]:.1%} < {t:.0%}" for k, t in TARGETS.items() if figures[k] < t]
        if figures["false red flags"]:
            missed.append(f"{name}: {figures['false red flags']} phrases taken for a red flag")
    print("\ntargets: " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Write the other English locales' interaction models from en-US.json, the one hand-edited source.

    python interaction_model/build.py          # regenerate en-GB, en-CA, en-AU, en-IN
    python interaction_model/build.py --check  # exit 1 if any generated file is missing or stale

The samples use no US-only spelling, so every locale gets the same model; keeping them generated stops
five hand copies drifting apart.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = "en-US"
GENERATED = ("en-GB", "en-CA", "en-AU", "en-IN")


def render(locale: str) -> str:
    """The exact text the generated file for `locale` should hold."""
    if locale not in GENERATED:
        raise ValueError(f"{locale!r} is not a generated locale; choose one of {', '.join(GENERATED)}")
    model = json.loads((HERE / f"{SOURCE}.json").read_text(encoding="utf-8"))
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def stale() -> list[str]:
    """Generated locales whose file is missing or differs from what render() gives."""
    out = []
    for locale in GENERATED:
        path = HERE / f"{locale}.json"
        if not path.exists() or path.read_text(encoding="utf-8") != render(locale):
            out.append(locale)
    return out


def main(argv: list[str]) -> int:
    if argv not in ([], ["--check"]):
        print("usage: build.py [--check]", file=sys.stderr)
        return 2
    if argv == ["--check"]:
        behind = stale()
        if behind:
            print(f"out of date: {', '.join(behind)} (run python interaction_model/build.py)", file=sys.stderr)
            return 1
        return 0
    for locale in GENERATED:
        (HERE / f"{locale}.json").write_text(render(locale), encoding="utf-8")
        print(f"wrote interaction_model/{locale}.json")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

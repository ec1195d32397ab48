"""Load the skill's interaction model (the ASK CLI JSON in interaction_model/) for one locale."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# The repository's interaction_model/ folder: the one source the console, the tests and ASK CLI share.
MODEL_DIR = Path(__file__).resolve().parents[2] / "interaction_model"
LOCALES = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN")


def model_path(locale: str = "en-US") -> Path:
    if locale not in LOCALES:
        raise ValueError(f"no interaction model for locale {locale!r}; choose one of {', '.join(LOCALES)}")
    return MODEL_DIR / f"{locale}.json"


def load_model(locale: str = "en-US") -> dict[str, Any]:
    """The whole ASK CLI document: {"interactionModel": {"languageModel": {...}}}."""
    path = model_path(locale)
    if not path.is_file():
        raise FileNotFoundError(f"interaction model {path} is missing: run from a checkout of the repository")
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def language_model(model: dict[str, Any]) -> dict[str, Any]:
    """The languageModel part of a model document (accepts the bare languageModel too)."""
    return model["interactionModel"]["languageModel"] if "interactionModel" in model else model


def intent_names(model: dict[str, Any]) -> list[str]:
    return [intent["name"] for intent in language_model(model)["intents"]]

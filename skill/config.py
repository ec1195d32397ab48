"""Settings for the shells, from environment variables (every one is listed in the README)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

REPO_AUDIO_DIR = Path(__file__).resolve().parent.parent / "audio"
# A turn's budget: Alexa waits 8 s for an answer; from 2 s, room for a DynamoDB load and save.
TURN_BUDGET_RANGE_S = (2.0, 7.5)


class ConfigError(ValueError):
    """A setting that cannot work; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    skill_ids: frozenset[str] = frozenset()   # BACKCOACH_SKILL_IDS, comma-separated
    dev: bool = False                          # BACKCOACH_DEV=1: no signature/timestamp/skill-ID checks
    data_dir: Path = Path("data")              # BACKCOACH_DATA_DIR: where the SQLite store lives
    trust_roots: Path | None = None            # BACKCOACH_TRUST_ROOTS: extra PEM roots (tests, offline)
    cert_dir: Path | None = None               # BACKCOACH_CERT_DIR: local stand-in for the cert host
    audio_dir: Path = REPO_AUDIO_DIR           # BACKCOACH_AUDIO_DIR: the built MP3 set
    audio_base_url: str | None = None          # BACKCOACH_AUDIO_BASE_URL: public HTTPS URL of /audio
    log_level: str = "INFO"                    # BACKCOACH_LOG_LEVEL
    store: str = "sqlite"                      # BACKCOACH_STORE: sqlite | dynamodb
    dynamodb_table: str = "backcoach"          # BACKCOACH_DYNAMODB_TABLE
    dynamodb_endpoint: str | None = None       # BACKCOACH_DYNAMODB_ENDPOINT: a local DynamoDB-compatible server
    turn_budget_s: float = 6.0                 # BACKCOACH_TURN_BUDGET_S: seconds a turn may take, store waits included
    # Set by `backcoach serve` once its preflight has opened the SQLite store, never from env: the
    # (device, inode) of the file every worker must write, so none creates an empty one in its place.
    store_file: tuple[int, int] | None = None
    extra: Mapping[str, object] = field(default_factory=dict)  # test hooks (clock), never from env

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> Settings:
        """Settings from the environment; `overrides` (command-line flags) win over it."""
        env = os.environ if env is None else env

        def path(name: str) -> Path | None:
            return Path(env[name]) if env.get(name) else None

        settings = cls(
            skill_ids=frozenset(s.strip() for s in env.get("BACKCOACH_SKILL_IDS", "").split(",") if s.strip()),
            dev=_flag(env, "BACKCOACH_DEV"),
            data_dir=path("BACKCOACH_DATA_DIR") or cls.data_dir,
            trust_roots=path("BACKCOACH_TRUST_ROOTS"),
            cert_dir=path("BACKCOACH_CERT_DIR"),
            audio_dir=path("BACKCOACH_AUDIO_DIR") or REPO_AUDIO_DIR,
            audio_base_url=env.get("BACKCOACH_AUDIO_BASE_URL") or None,
            log_level=env.get("BACKCOACH_LOG_LEVEL", "INFO").upper(),
            store=env.get("BACKCOACH_STORE", "sqlite").lower(),
            dynamodb_table=env.get("BACKCOACH_DYNAMODB_TABLE", "backcoach"),
            dynamodb_endpoint=env.get("BACKCOACH_DYNAMODB_ENDPOINT") or None,
            turn_budget_s=_seconds(env, "BACKCOACH_TURN_BUDGET_S", cls.turn_budget_s),
        )
        return settings.with_(**overrides)

    def with_(self, **changes) -> Settings:
        updated = replace(self, **changes)
        updated.check()
        return updated

    def check(self) -> None:
        if self.store not in ("sqlite", "dynamodb"):
            raise ConfigError(f"BACKCOACH_STORE must be sqlite or dynamodb, not {self.store!r}")
        if self.dynamodb_endpoint and not self.dynamodb_endpoint.startswith(("http://", "https://")):
            raise ConfigError("BACKCOACH_DYNAMODB_ENDPOINT must be a URL (http://127.0.0.1:8001 for a local server)")
        if self.audio_base_url and not self.audio_base_url.startswith("https://"):
            raise ConfigError("BACKCOACH_AUDIO_BASE_URL must start with https:// (Alexa plays HTTPS audio only)")
        if self.log_level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ConfigError(f"BACKCOACH_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {self.log_level!r}")
        low, high = TURN_BUDGET_RANGE_S
        if not low <= self.turn_budget_s <= high:
            raise ConfigError(f"BACKCOACH_TURN_BUDGET_S must be from {low:g} to {high:g} seconds (Alexa waits 8), "
                              f"not {self.turn_budget_s:g}")
        for name, value in (("BACKCOACH_TRUST_ROOTS", self.trust_roots), ("BACKCOACH_CERT_DIR", self.cert_dir)):
            if value is not None and not value.exists():
                raise ConfigError(f"{name}: {value} does not exist")
        if not self.dev and not self.skill_ids:
            raise ConfigError("BACKCOACH_SKILL_IDS is empty: set your skill's ID (amzn1.ask.skill...) "
                              "or run in dev mode (BACKCOACH_DEV=1 / --dev)")


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    value = env.get(name, "").strip()
    if not value:
        return default
    try:
        return float(value)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, not {value!r}") from None


def _flag(env: Mapping[str, str], name: str) -> bool:
    value = env.get(name, "").strip().lower()
    if value in ("", "0", "false", "no"):
        return False
    if value in ("1", "true", "yes"):
        return True
    raise ConfigError(f"{name} must be 1 or 0, not {value!r}")

"""Alexa request verification: signature, timestamp and skill ID, as ask-sdk-webservice-support does it.

That package's verifier module cannot be imported on this machine (certvalidator -> oscrypto 1.3.0
fails on OpenSSL 3.0.x, wbond/oscrypto#78), so this module keeps its contract -- verifier classes with
verify(headers, serialized_request_env, deserialized_request_env), its constants, failures raised as
VerificationException -- and checks certificates with cryptography's X.509 verification API.

    verifier = verifier_for(settings)            # None in dev mode
    verifier.verify(request.headers, body, envelope)   # returns None or raises VerificationException
"""
from __future__ import annotations

import abc
import base64
import functools
import warnings
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Protocol, cast

from ask_sdk_model import RequestEnvelope
from ask_sdk_webservice_support.verifier_constants import (
    ALEXA_SKILL_EVENT_LIST,
    CHARACTER_ENCODING,
    MAX_NORMAL_REQUEST_TOLERANCE_IN_MILLIS,
    MAX_SKILL_EVENT_TOLERANCE_IN_MILLIS,
    SIGNATURE_CERT_CHAIN_URL_HEADER,
)
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.hashes import SHA256

from skill.config import Settings
from skill.web.verify_cert import (
    Fetch,
    SigningKeyCache,
    canonical_cert_url,
    fetch_chain,
    load_trust_store,
    read_cert_dir,
    validate_chain,
)
from skill.web.verify_errors import VerificationConfigError, VerificationException

__all__ = [
    "AbstractVerifier", "RequestVerifier", "SkillIdVerifier", "TimestampVerifier", "Verification",
    "VerificationConfig", "VerificationConfigError", "VerificationException", "build_verifiers", "verifier_for",
]

# Named here, not imported: this project verifies SHA-256 signatures only. The package's
# SIGNATURE_HEADER is "Signature-256" since 1.3.3 (alexa/alexa-skills-kit-sdk-for-python#200);
# earlier releases read "Signature", the SHA-1 one. Our own constant keeps a package downgrade
# from silently switching this check to the SHA-1 header.
SIGNATURE_256_HEADER = "Signature-256"

Clock = Callable[[], datetime]  # returns an aware datetime (UTC)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class HeaderItems(Protocol):
    """A dict, or werkzeug's Headers: anything with items(); names are matched case-insensitively."""

    def items(self) -> Iterable[tuple[str, str]]: ...


@dataclass(frozen=True)
class VerificationConfig:
    skill_ids: frozenset[str] = frozenset()  # application IDs allowed to call; must not be empty
    trust_roots: Path | None = None           # extra PEM roots, trusted besides certifi's (tests, offline)
    cert_dir: Path | None = None              # stands in for the certificate host: files by URL file name
    clock: Clock = utc_now                    # for the timestamp check, chain validity and cache expiry
    fetch: Fetch = fetch_chain                # how a certificate URL is loaded when cert_dir is None
    # Alexa waits about 8 s for an answer; a certificate download must leave time for the turn itself.
    fetch_timeout: float = 3.0
    cache_size: int = 16                      # certificate URLs remembered; Alexa uses very few at a time


class AbstractVerifier(abc.ABC):
    """The package's verifier contract: succeed silently or raise VerificationException."""

    @abc.abstractmethod
    def verify(self, headers: HeaderItems, serialized_request_env: bytes | str,
               deserialized_request_env: RequestEnvelope) -> None: ...


class RequestVerifier(AbstractVerifier):
    """Signature check: certificate URL rules, certificate chain, then RSA PKCS#1 v1.5 SHA-256
    over the body exactly as received."""

    def __init__(self, config: VerificationConfig) -> None:
        if config.fetch_timeout <= 0:
            raise VerificationConfigError("certificate fetch timeout must be positive")
        if config.cert_dir is not None and not config.cert_dir.is_dir():
            raise VerificationConfigError(f"BACKCOACH_CERT_DIR: {config.cert_dir} is not a directory")
        self._store = load_trust_store(config.trust_roots)
        self._load: Fetch = functools.partial(read_cert_dir, config.cert_dir) if config.cert_dir else config.fetch
        self._timeout = config.fetch_timeout
        self._clock = config.clock
        self._cache = SigningKeyCache(config.cache_size)

    def verify(self, headers: HeaderItems, serialized_request_env: bytes | str,
               deserialized_request_env: RequestEnvelope) -> None:
        cert_url = signature = None
        for name, value in headers.items():
            if name.lower() == SIGNATURE_CERT_CHAIN_URL_HEADER.lower():
                cert_url = value
            elif name.lower() == SIGNATURE_256_HEADER.lower():
                signature = value
        if cert_url is None or signature is None:
            raise VerificationException(f"missing {SIGNATURE_CERT_CHAIN_URL_HEADER} or {SIGNATURE_256_HEADER} header")
        try:
            raw_signature = base64.b64decode(signature, validate=True)
        except ValueError as exc:  # binascii.Error, or non-ASCII text
            raise VerificationException(f"{SIGNATURE_256_HEADER} is not base64") from exc
        key = self.signing_key(cert_url)
        body = (serialized_request_env.encode(CHARACTER_ENCODING)
                if isinstance(serialized_request_env, str) else serialized_request_env)
        try:
            key.verify(raw_signature, body, PKCS1v15(), SHA256())
        except InvalidSignature as exc:
            raise VerificationException("signature does not match the body") from exc

    def signing_key(self, cert_url: str) -> RSAPublicKey:
        """The verified signing key behind a certificate URL, from the cache or freshly loaded."""
        url = canonical_cert_url(cert_url)
        now = self._clock()
        cached = self._cache.get(url, now)
        if cached is not None:
            return cached.public_key
        # Concurrent misses on one URL may both load it; the result is the same, and it is rare.
        key = validate_chain(self._load(url, self._timeout), self._store, now)
        self._cache.put(url, key)
        return key.public_key


class TimestampVerifier(AbstractVerifier):
    """The request's timestamp is within the tolerance of now (Alexa skill events: one hour)."""

    def __init__(self, tolerance_in_millis: float = MAX_NORMAL_REQUEST_TOLERANCE_IN_MILLIS,
                 clock: Clock = utc_now) -> None:
        # As the package does: a larger tolerance is capped with a warning, a negative one refused.
        if tolerance_in_millis > MAX_NORMAL_REQUEST_TOLERANCE_IN_MILLIS:
            warnings.warn(f"timestamp tolerance {tolerance_in_millis} ms exceeds the maximum "
                          f"{MAX_NORMAL_REQUEST_TOLERANCE_IN_MILLIS} ms; using the maximum", stacklevel=2)
            tolerance_in_millis = MAX_NORMAL_REQUEST_TOLERANCE_IN_MILLIS
        if tolerance_in_millis < 0:
            raise VerificationConfigError("timestamp tolerance must not be negative")
        self._tolerance_s = tolerance_in_millis / 1000
        self._clock = clock

    def verify(self, headers: HeaderItems, serialized_request_env: bytes | str,
               deserialized_request_env: RequestEnvelope) -> None:
        request = deserialized_request_env.request
        stamp = getattr(request, "timestamp", None)
        if stamp is None:
            raise VerificationException("request has no timestamp")
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=timezone.utc)
        drift_s = abs((self._clock() - stamp).total_seconds())
        limit_s = (MAX_SKILL_EVENT_TOLERANCE_IN_MILLIS / 1000 if request.object_type in ALEXA_SKILL_EVENT_LIST
                   else self._tolerance_s)
        if drift_s > limit_s:
            raise VerificationException(f"request timestamp is {drift_s:.0f} s from now (limit {limit_s:.0f} s)")


class SkillIdVerifier(AbstractVerifier):
    """The calling skill's application ID (context.System.application, and session.application
    when present) is in the allow-list."""

    def __init__(self, skill_ids: Iterable[str]) -> None:
        self._skill_ids = frozenset(skill_ids)
        if not self._skill_ids:
            raise VerificationConfigError("no skill IDs to accept: set BACKCOACH_SKILL_IDS "
                                          "(or run in dev mode, which checks nothing)")

    def verify(self, headers: HeaderItems, serialized_request_env: bytes | str,
               deserialized_request_env: RequestEnvelope) -> None:
        system = getattr(deserialized_request_env.context, "system", None)
        sources = (getattr(system, "application", None),
                   getattr(deserialized_request_env.session, "application", None))
        ids = {app.application_id for app in sources if app is not None and app.application_id}
        if not ids:
            raise VerificationException("request names no application ID")
        if not ids <= self._skill_ids:
            raise VerificationException("application ID is not in the allow-list")


def build_verifiers(config: VerificationConfig) -> list[AbstractVerifier]:
    """The three checks, signature first; raises VerificationConfigError when they cannot run."""
    return [RequestVerifier(config), TimestampVerifier(clock=config.clock), SkillIdVerifier(config.skill_ids)]


class Verification(AbstractVerifier):
    """All checks in one: verify() returns None or raises VerificationException with a short reason."""

    def __init__(self, config: VerificationConfig) -> None:
        self.verifiers = build_verifiers(config)

    def verify(self, headers: HeaderItems, serialized_request_env: bytes | str,
               deserialized_request_env: RequestEnvelope) -> None:
        for verifier in self.verifiers:
            verifier.verify(headers, serialized_request_env, deserialized_request_env)


def verifier_for(settings: Settings) -> Verification | None:
    """The app's verifier: None in dev mode (nothing is checked), else every check.
    settings.extra may hold test hooks "clock" (Clock) and "fetch" (Fetch)."""
    if settings.dev:
        return None
    return Verification(VerificationConfig(
        skill_ids=settings.skill_ids,
        trust_roots=settings.trust_roots,
        cert_dir=settings.cert_dir,
        clock=cast(Clock, settings.extra.get("clock", utc_now)),
        fetch=cast(Fetch, settings.extra.get("fetch", fetch_chain)),
    ))

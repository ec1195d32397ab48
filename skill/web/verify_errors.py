"""The two ways request verification fails: a bad request, or a set-up that cannot verify at all."""
from __future__ import annotations

from ask_sdk_runtime.exceptions import AskSdkException

from skill.config import ConfigError


class VerificationException(AskSdkException):
    """A request failed verification. str(exc) is a short reason for the log; never echo it to the caller.

    Same name and base as ask_sdk_webservice_support.verifier.VerificationException, which cannot be
    imported here (its module pulls in certvalidator -> oscrypto, broken on OpenSSL 3).
    """


class VerificationConfigError(ConfigError):
    """Verification cannot be set up (no skill IDs, unreadable trust roots, missing certificate directory)."""

"""Whose progress a request belongs to."""
from __future__ import annotations

import hashlib
from typing import NamedTuple

from ask_sdk_model import RequestEnvelope


class NoUserError(ValueError):
    """The request names no Alexa user (only a CanFulfillIntentRequest may come without one)."""


class Owner(NamedTuple):
    key: str    # whose progress: the voice profile if recognised, else the account
    user: str   # the Alexa account (one account may hold several people's progress)


def _hash(kind: str, raw: str) -> str:
    return f"{kind}:" + hashlib.sha256(raw.encode()).hexdigest()[:32]


def owner_of(envelope: RequestEnvelope) -> Owner:
    """Two runners in one household with voice profiles keep separate progress. Keys are hashes:
    raw Alexa ids never reach the database or the logs."""
    system = envelope.context.system if envelope.context else None
    user = getattr(system, "user", None) or (envelope.session.user if envelope.session else None)
    user_id = getattr(user, "user_id", None)
    if not user_id:
        raise NoUserError("request names no user")
    person_id = getattr(getattr(system, "person", None), "person_id", None)
    user_key = _hash("user", user_id)
    return Owner(_hash("person", person_id) if person_id else user_key, user_key)

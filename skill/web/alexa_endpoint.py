"""POST /alexa: verify, parse, run the skill, answer. Bad input is a 400, never a 500."""
from __future__ import annotations

import json

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope
from flask import Blueprint, Response, g, request
from werkzeug.exceptions import BadRequest, ServiceUnavailable

from skill.alexa.identity import owner_of
from skill.alexa.logsafe import clip
from skill.alexa.store import StaleStateError
from skill.web.verify import VerificationException

# Two devices of one person answering at once: the loser of the race replays on the fresh state.
STALE_RETRIES = 3
# Real envelopes nest about 8 levels (session attributes here are empty); the SDK's recursive copy
# of session attributes fails at several hundred.
MAX_DEPTH = 64


def alexa_blueprint(skill: CustomSkill, verifier) -> Blueprint:
    bp = Blueprint("alexa", __name__)
    serializer = DefaultSerializer()

    @bp.post("/alexa")
    def alexa() -> Response:
        if request.mimetype != "application/json":
            g.reason = "content type is not application/json"
            raise BadRequest(g.reason)
        body = request.get_data(cache=False)  # raises 413 past MAX_CONTENT_LENGTH
        try:
            envelope = _parse(serializer, body)
        except BadRequest as exc:
            g.reason = exc.description
            raise
        g.what = _describe(envelope)
        if verifier is not None:
            try:
                verifier.verify(request.headers, body, envelope)
            except VerificationException as exc:
                g.reason = str(exc)
                raise BadRequest("request verification failed") from None
        for _ in range(STALE_RETRIES):
            try:
                response = skill.invoke(envelope, None)
                break
            except StaleStateError:
                continue
        else:
            g.reason = "state kept changing under this request"
            raise ServiceUnavailable("busy, please try again")
        payload = json.dumps(serializer.serialize(response), separators=(",", ":"))
        return Response(payload, mimetype="application/json")

    return bp


def _parse(serializer: DefaultSerializer, body: bytes) -> RequestEnvelope:
    try:
        text = body.decode("utf-8")
        document = json.loads(text)
        if not isinstance(document, dict):
            raise ValueError("not an object")
    # RecursionError: absurdly nested JSON, before anything is verified; bad input, not a crash.
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadRequest("body is not an Alexa request envelope") from None
    if _depth(document) > MAX_DEPTH:
        # The SDK copies session attributes recursively: hundreds of levels would crash it.
        raise BadRequest(f"body nests deeper than {MAX_DEPTH} levels")
    try:
        envelope = serializer.deserialize(text, RequestEnvelope)
    except (ValueError, SerializationException):
        raise BadRequest("body is not an Alexa request envelope") from None
    if envelope is None or envelope.request is None or envelope.context is None:
        raise BadRequest("body is not an Alexa request envelope")
    try:
        owner_of(envelope)
    except ValueError:
        raise BadRequest("request names no user") from None
    return envelope


def _depth(document: object) -> int:
    """How deeply objects and arrays nest (a scalar is 0), without recursion."""
    deepest, stack = 0, [(document, 1)]
    while stack:
        node, level = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest


def _describe(envelope: RequestEnvelope) -> str:
    """Request type, intent and hashed person: enough to follow a conversation, no raw ids."""
    req = envelope.request
    intent = getattr(getattr(req, "intent", None), "name", None)
    return f"{req.object_type}{'/' + clip(intent) if intent else ''} person={owner_of(envelope).key[-12:]}"

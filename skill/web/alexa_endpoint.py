"""POST /alexa: verify, parse, run the skill, answer. Bad input is a 400, never a 500."""
from __future__ import annotations

import json

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_model import RequestEnvelope
from flask import Blueprint, Response, g, request
from werkzeug.exceptions import BadRequest

from skill.alexa.identity import NoUserError, Owner
from skill.alexa.logsafe import clip
from skill.alexa.skill import BackCoach, identify
from skill.web.verify import VerificationException

# Session attributes deeper than this are refused: this skill keeps none (its state is in the store),
# and the SDK's recursive copy of them fails at several hundred levels.
MAX_DEPTH = 64


def alexa_blueprint(skill: BackCoach, verifier) -> Blueprint:
    bp = Blueprint("alexa", __name__)
    serializer = skill.serializer

    @bp.post("/alexa")
    def alexa() -> Response:
        deadline = skill.deadline()  # the turn's budget runs from here: verification is part of it
        if request.mimetype != "application/json":
            g.reason = "content type is not application/json"
            raise BadRequest(g.reason)
        body = request.get_data(cache=False)  # raises 413 past MAX_CONTENT_LENGTH
        try:
            envelope = _parse(serializer, body)
        except BadRequest as exc:
            g.reason = exc.description
            raise
        owner = identify(envelope)  # the person, hashed once for the whole request
        g.what = _describe(envelope, owner)
        if verifier is not None:
            try:
                verifier.verify(request.headers, body, envelope)
            except VerificationException as exc:
                g.reason = str(exc)
                raise BadRequest("request verification failed") from None
        try:
            response = skill.invoke(envelope, owner, deadline=deadline)
        except NoUserError:
            g.reason = "request names no user"
            raise BadRequest(g.reason) from None
        payload = json.dumps(serializer.serialize(response), separators=(",", ":"))
        return Response(payload, mimetype="application/json")

    return bp


def _parse(serializer, body: bytes) -> RequestEnvelope:
    """The body parsed once, straight into the SDK's envelope (JSON that is not an object fails there)."""
    try:
        envelope = serializer.deserialize(body.decode("utf-8"), RequestEnvelope)
    # RecursionError: absurdly nested JSON, before anything is verified; bad input, not a crash.
    except (UnicodeDecodeError, RecursionError, SerializationException):
        raise BadRequest("body is not an Alexa request envelope") from None
    if envelope is None or envelope.request is None or envelope.context is None:
        raise BadRequest("body is not an Alexa request envelope")
    # Session attributes stay plain JSON values; the SDK copies them recursively (hundreds of
    # levels crash it): refuse them before it does.
    if envelope.session is not None and _depth(envelope.session.attributes) > MAX_DEPTH:
        raise BadRequest(f"session attributes nest deeper than {MAX_DEPTH} levels")
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


def _describe(envelope: RequestEnvelope, owner: Owner | None) -> str:
    """Request type, intent and hashed person: enough to follow a conversation, no raw ids."""
    req = envelope.request
    intent = getattr(getattr(req, "intent", None), "name", None)
    return f"{req.object_type}{'/' + clip(intent) if intent else ''} person={owner.key[-12:] if owner else '-'}"

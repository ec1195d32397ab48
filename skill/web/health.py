"""GET /healthz: ready when the store takes a real write now (a full disk, a read-only directory, a lock
held elsewhere, a database file deleted or replaced: each is a 503, the reason in the log)."""
from __future__ import annotations

import logging

from flask import Blueprint, g, jsonify

from skill.alexa.deadline import Deadline
from skill.alexa.logsafe import clip
from skill.alexa.store import Store
from skill.web.request_log import REASON_LIMIT

log = logging.getLogger("backcoach.web")

# The check's own deadline: SQLite waits that long for a lock held by another connection (a save holds
# it for milliseconds); a DynamoDB call needs 1.5 s of it (dynamo.CALL_LIMIT_S). Inside a load
# balancer's usual health-check timeout (5 s).
HEALTH_WAIT_S = 2.0


def health_blueprint(store: Store) -> Blueprint:
    bp = Blueprint("health", __name__)

    @bp.get("/healthz")
    def healthz():
        try:
            store.ping(Deadline(HEALTH_WAIT_S))
        except Exception as exc:  # any store failure means "not ready", never a 500
            g.reason = f"store failing: {exc}"  # on the request's log line too
            log.error("health check failed: %s", clip(exc, REASON_LIMIT))
            return jsonify(status="unavailable", store="failing"), 503
        return jsonify(status="ok", store="ok")

    return bp

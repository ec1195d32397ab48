"""GET /healthz: ready when the store answers."""
from __future__ import annotations

import logging

from flask import Blueprint, jsonify

from skill.alexa.store import Store

log = logging.getLogger("backcoach.web")


def health_blueprint(store: Store) -> Blueprint:
    bp = Blueprint("health", __name__)

    @bp.get("/healthz")
    def healthz():
        try:
            store.ping()
        except Exception as exc:  # any store failure means "not ready", never a 500
            log.error("health check failed: %s", exc)
            return jsonify(status="unavailable", store="unreachable"), 503
        return jsonify(status="ok", store="ok")

    return bp

"""create_app(settings): the Flask application, one blueprint per concern."""
from __future__ import annotations

import logging
from time import perf_counter

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from skill.alexa.skill import build_skill
from skill.config import Settings
from skill.web.alexa_endpoint import alexa_blueprint
from skill.web.audio_routes import audio_blueprint
from skill.web.health import health_blueprint
from skill.web.request_log import log_request
from skill.web.verify import verifier_for

MAX_BODY_BYTES = 128 * 1024


def create_app(settings: Settings) -> Flask:
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    log = logging.getLogger("backcoach.web")
    if settings.dev:
        log.warning("DEV MODE: Alexa request signatures, timestamps and skill IDs are NOT checked. "
                    "Never expose this server beyond loopback.")

    app = Flask("backcoach")
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    skill = build_skill(settings)
    app.extensions["backcoach.store"] = skill.store

    app.register_blueprint(alexa_blueprint(skill, verifier_for(settings)))
    app.register_blueprint(health_blueprint(skill.store))
    app.register_blueprint(audio_blueprint(settings.audio_dir))

    @app.before_request
    def start_clock() -> None:
        g.started = perf_counter()

    @app.after_request
    def log_line(response: Response) -> Response:
        log_request(dev=settings.dev, method=request.method, path=request.path, what=g.get("what", "-"),
                    status=response.status_code, ms=(perf_counter() - g.get("started", perf_counter())) * 1000,
                    reason=g.get("reason"))
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        # JSON, short: our own words only, nothing from the request echoed back.
        return jsonify(error=error.name, detail=error.description), error.code

    return app

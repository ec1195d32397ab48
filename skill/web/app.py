"""create_app(settings): the Flask application, one blueprint per concern."""
from __future__ import annotations

import logging
from time import perf_counter

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from skill.alexa.logsafe import clip
from skill.alexa.skill import skill_builder
from skill.alexa.store import SQLiteStore
from skill.web.tracks import HostedTracks
from skill.audio.manifest import AudioSet
from skill.coach.catalog import load_catalog
from skill.coach.session import Coach
from skill.config import Settings
from skill.web.alexa_endpoint import alexa_blueprint
from skill.web.audio_routes import audio_blueprint
from skill.web.health import health_blueprint
from skill.web.verify import verifier_for

MAX_BODY_BYTES = 128 * 1024
REASON_LIMIT = 160  # our own words, possibly quoting the request (an exception's text)


def create_app(settings: Settings) -> Flask:
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    log = logging.getLogger("backcoach.web")
    if settings.dev:
        log.warning("DEV MODE: Alexa request signatures, timestamps and skill IDs are NOT checked. "
                    "Never expose this server beyond loopback.")

    app = Flask("backcoach")
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    store = SQLiteStore(settings.data_dir)
    audio_set = AudioSet.load(settings.audio_dir)
    tracks = HostedTracks(audio_set, settings.audio_base_url) if settings.audio_base_url else None
    skill = skill_builder(Coach(load_catalog()), store, tracks).create()

    app.register_blueprint(alexa_blueprint(skill, verifier_for(settings)))
    app.register_blueprint(health_blueprint(store))
    app.register_blueprint(audio_blueprint(settings.audio_dir))

    mark = "[DEV MODE, UNVERIFIED] " if settings.dev else ""

    @app.before_request
    def start_clock() -> None:
        g.started = perf_counter()

    @app.after_request
    def log_request(response: Response) -> Response:
        # One line per request. Method, path and `reason` may quote an unverified request: each is
        # clipped and escaped (`what`, the request type, intent and hashed person, is built clipped).
        ms = (perf_counter() - g.get("started", perf_counter())) * 1000
        reason = f" reason='{clip(g.reason, REASON_LIMIT)}'" if g.get("reason") else ""
        log.info("%s%s %s '%s' %d %.1fms%s", mark, clip(request.method), clip(request.path), g.get("what", "-"),
                 response.status_code, ms, reason)
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        # JSON, short: our own words only, nothing from the request echoed back.
        return jsonify(error=error.name, detail=error.description), error.code

    return app

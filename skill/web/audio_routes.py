"""GET /audio/<name>: the pre-rendered tracks, for Alexa's <audio> tags.

Only names listed in the manifest are served, so no request can reach any other file. Names are
content-hashed, so a file never changes under its name: caches may keep it for a year.
"""
from __future__ import annotations

from pathlib import Path

import flask

from skill.audio.manifest import AudioSet

ONE_YEAR_S = 365 * 24 * 3600


def audio_blueprint(audio_dir: Path) -> flask.Blueprint:
    """Serve the set in `audio_dir`; raises ManifestError at start-up if it has no usable manifest."""
    audio_dir = Path(audio_dir).resolve()
    audio_set = AudioSet.load(audio_dir)
    blueprint = flask.Blueprint("audio", __name__)

    @blueprint.get("/audio/<name>")
    def audio_file(name: str) -> flask.Response:
        entry = audio_set.by_name(name)
        if entry is None:
            flask.abort(404)
        # conditional=True answers If-None-Match with 304 and Range with 206.
        response = flask.send_from_directory(audio_dir, entry.name, mimetype="audio/mpeg", conditional=True,
                                             etag=entry.sha256, max_age=ONE_YEAR_S)
        response.cache_control.public = True
        response.cache_control.immutable = True
        return response

    return blueprint

"""Run the Flask app under gunicorn's gevent worker (not Flask's development server).

Each connection is a greenlet, so clients that trickle their headers or body, or keep idle
connections open, hold a greenlet each and never the workers: headers must arrive within
HEADER_DEADLINE_S (gunicorn's keep-alive timeout bounds the wait for each request's headers),
bodies within BODY_DEADLINE_S more (WholeBody), and the app only runs on complete requests.
"""
from __future__ import annotations

import logging

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from skill.alexa.logsafe import clip
from skill.config import Settings

HEADER_DEADLINE_S = 2    # also how long an idle keep-alive connection stays open
BODY_DEADLINE_S = 2.0
WORKER_CONNECTIONS = 1000  # per worker: open connections, idle or not (gunicorn's default)
GUNICORN_LINE_LIMIT = 200  # characters of one of gunicorn's own log lines


class _Clipped(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = clip(record.getMessage(), GUNICORN_LINE_LIMIT), None
        return True


class ClippedLogger(Logger):
    """gunicorn's own log lines can quote a request ("Invalid request from ip=...: <request line or
    header>", up to 8 KB): clipped and escaped like the app's."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        self.error_log.addFilter(_Clipped())


class GunicornServer(BaseApplication):
    def __init__(self, settings: Settings, options: dict) -> None:
        self.settings, self.options = settings, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if value is not None:
                self.cfg.set(key, value)

    def load(self):
        from skill.web.app import MAX_BODY_BYTES
        from skill.web.whole_body import WholeBody

        return WholeBody(self.app(), max_bytes=MAX_BODY_BYTES, deadline_s=BODY_DEADLINE_S, dev=self.settings.dev)

    def app(self):
        # Each worker builds its own app, after gevent has patched it: SQLite connections and
        # caches are per process.
        from skill.web.app import create_app

        return create_app(self.settings)


def serve(settings: Settings, *, host: str, port: int, workers: int, connections: int,
          certfile: str | None, keyfile: str | None) -> None:
    GunicornServer(settings, {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "worker_class": "gevent",
        "worker_connections": connections,
        "keepalive": HEADER_DEADLINE_S,
        "certfile": certfile,
        "keyfile": keyfile,
        "accesslog": None,  # the app logs one line per request, with ids hashed
        "logger_class": ClippedLogger,
        "loglevel": settings.log_level.lower(),
        "timeout": 30,
        # gunicorn's control socket has one default path per machine: two servers would clash.
        "control_socket_disable": True,
    }).run()

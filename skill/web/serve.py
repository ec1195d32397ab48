"""Run the Flask app under gunicorn (not Flask's development server)."""
from __future__ import annotations

from gunicorn.app.base import BaseApplication

from skill.config import Settings


class GunicornServer(BaseApplication):
    def __init__(self, settings: Settings, options: dict) -> None:
        self.settings, self.options = settings, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if value is not None:
                self.cfg.set(key, value)

    def load(self):
        # Each worker builds its own app: SQLite connections and caches are per process.
        from skill.web.app import create_app

        return create_app(self.settings)


def serve(settings: Settings, *, host: str, port: int, workers: int, threads: int,
          certfile: str | None, keyfile: str | None) -> None:
    GunicornServer(settings, {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "certfile": certfile,
        "keyfile": keyfile,
        "accesslog": None,  # the app logs one line per request, with ids hashed
        "loglevel": settings.log_level.lower(),
        "timeout": 30,
        # gunicorn's control socket has one default path per machine: two servers would clash.
        "control_socket_disable": True,
    }).run()

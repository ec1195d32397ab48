"""Getting an envelope to the skill: in-process (the skill the server builds, same store) or over
HTTP to a running `backcoach serve --dev`."""
from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from skill.config import Settings


class Unreachable(Exception):
    """The skill's URL did not answer at all; the message says why and what to do."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict | None  # the response envelope; None when the body was not a JSON object
    detail: str = ""   # for a failed request: what the server said (its short JSON error)


class Transport(Protocol):
    def send(self, envelope: dict) -> Answer: ...


def _answer(status: int, raw: bytes) -> Answer:
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return Answer(status, None, raw[:200].decode("utf-8", "replace"))
    if not isinstance(body, dict):
        return Answer(status, None, str(body)[:200])
    if status != 200:
        return Answer(status, None, str(body.get("error", "")))
    return Answer(status, body)


class InProcess:
    """The same skill `backcoach serve` runs (build_skill, same settings and store), called directly."""

    def __init__(self, settings: Settings) -> None:
        from skill.alexa.skill import build_skill  # imported late: it loads the whole skill

        self._skill = build_skill(settings)

    def send(self, envelope: dict) -> Answer:
        from skill.alexa.identity import NoUserError

        try:
            return Answer(200, self._skill.invoke_json(envelope))
        except NoUserError as exc:
            return Answer(400, None, str(exc))


class Remote:
    """POST to a running server's /alexa (a --dev server: the console does not sign requests)."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url, self.timeout = url, timeout

    def send(self, envelope: dict) -> Answer:
        request = urllib.request.Request(self.url, data=json.dumps(envelope).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return _answer(response.status, response.read())
        except urllib.error.HTTPError as exc:
            with exc:
                return _answer(exc.code, exc.read())
        except urllib.error.URLError as exc:
            raise Unreachable(self._why(exc.reason)) from None
        except TimeoutError:
            raise Unreachable(f"no answer from {self.url} within {self.timeout:g} s") from None
        except OSError as exc:  # a reset or a dropped connection mid-answer
            raise Unreachable(f"lost the connection to {self.url}: {exc.strerror or exc}") from None

    def _why(self, reason: object) -> str:
        if isinstance(reason, ConnectionRefusedError):
            return f"cannot reach {self.url}: connection refused — is `backcoach serve --dev` running?"
        if isinstance(reason, TimeoutError):
            return f"no answer from {self.url} within {self.timeout:g} s"
        if isinstance(reason, socket.gaierror):
            return f"cannot reach {self.url}: unknown host"
        text = getattr(reason, "strerror", None) or str(reason)
        return f"cannot reach {self.url}: {text}"

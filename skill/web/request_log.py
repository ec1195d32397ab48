"""The one log line per request, shared by the app and the body reader that may answer before it."""
from __future__ import annotations

import logging

from skill.alexa.logsafe import clip

log = logging.getLogger("backcoach.web")

DEV_MARK = "[DEV MODE, UNVERIFIED] "
REASON_LIMIT = 160  # our own words, possibly quoting the request (an exception's text)


def log_request(*, dev: bool, method: str, path: str, what: str, status: int, ms: float, reason: str | None) -> None:
    """Method, path and reason may quote an unverified request: each is clipped and escaped. `what`
    (request type, intent, hashed person) is built from clipped parts by the caller."""
    said = f" reason='{clip(reason, REASON_LIMIT)}'" if reason else ""
    log.info("%s%s %s '%s' %d %.1fms%s", DEV_MARK if dev else "", clip(method), clip(path), what, status, ms, said)

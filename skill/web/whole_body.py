"""Whole request bodies before the app: read within a deadline and a size limit.

gunicorn hands the application a body still on the socket. A client that sends less than its
Content-Length, a broken chunked encoding, or a chunked body without end would otherwise reach
Flask mid-read: a greenlet waiting for ever, a 500, or a body silently cut at the limit. Here each
body is read in full first, under gunicorn's gevent worker (the deadline is a gevent.Timeout):

    stalled past the deadline, or shorter than its Content-Length    -> 400
    broken chunked encoding (bad chunk size, missing CRLF, cut off)  -> 400
    larger than the limit, declared or chunked                       -> 413

A body that arrives whole is handed on as a plain bytes stream with its Content-Length.
"""
from __future__ import annotations

import io
from http import HTTPStatus
from time import perf_counter

import gevent
from flask import json
from gunicorn.http.errors import ParseException

from skill.web.request_log import log_request

READ_STEP = 64 * 1024


class Refused(Exception):
    def __init__(self, status: HTTPStatus, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


class WholeBody:
    """WSGI middleware: `app` only ever sees complete bodies of at most `max_bytes`."""

    def __init__(self, app, *, max_bytes: int, deadline_s: float, dev: bool) -> None:
        self.app, self.max_bytes, self.deadline_s, self.dev = app, max_bytes, deadline_s, dev

    def __call__(self, environ, start_response):
        # A greenlet whose client has its next request ready never blocks, so it never yields: let
        # the other connections' requests go first, or one busy connection can hold the worker.
        gevent.sleep(0)
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        declared = environ.get("CONTENT_LENGTH") or "0"
        if not chunked and declared == "0":
            return self.app(environ, start_response)
        started = perf_counter()
        try:
            body = self._read(environ["wsgi.input"], None if chunked else int(declared))
        except Refused as refused:
            log_request(dev=self.dev, method=environ.get("REQUEST_METHOD", "-"), path=environ.get("PATH_INFO", "-"),
                        what="-", status=refused.status, ms=(perf_counter() - started) * 1000, reason=refused.reason)
            payload = json.dumps({"error": refused.status.phrase, "detail": refused.reason}).encode()
            start_response(f"{refused.status.value} {refused.status.phrase}",
                           [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
            return [payload]
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        return self.app(environ, start_response)

    def _read(self, stream, length: int | None) -> bytes:
        """The body: `length` bytes, or for a chunked body everything up to its last chunk."""
        if length is not None and length > self.max_bytes:
            raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"body of {length} bytes is over the limit")
        wanted = self.max_bytes + 1 if length is None else length  # one byte past the limit tells too large
        parts, received = [], 0
        try:
            with gevent.Timeout(self.deadline_s):
                while received < wanted:
                    part = stream.read(min(READ_STEP, wanted - received))
                    if not part:
                        break
                    parts.append(part)
                    received += len(part)
        except gevent.Timeout:
            raise Refused(HTTPStatus.BAD_REQUEST, f"body not received within {self.deadline_s:g} s") from None
        except (ParseException, OSError, ValueError) as exc:  # gunicorn's NoMoreData is an OSError
            raise Refused(HTTPStatus.BAD_REQUEST, f"body is not valid HTTP ({type(exc).__name__})") from None
        if received > self.max_bytes:
            raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "chunked body is over the limit")
        if length is not None and received < length:
            raise Refused(HTTPStatus.BAD_REQUEST, f"body ended after {received} of {length} bytes")
        return b"".join(parts)

"""Request-derived text for log lines: cut short and escaped, so no request can flood the log or forge a line."""
from __future__ import annotations

FIELD_LIMIT = 64  # characters of one request-derived field kept in a log line


def clip(value: object, limit: int = FIELD_LIMIT) -> str:
    """At most `limit` characters of `value`, control and non-ASCII characters escaped (\\n, \\x1b, \\u2028),
    with the original length noted when it was cut."""
    text = value if isinstance(value, str) else str(value)
    kept = text[:limit].encode("unicode_escape").decode("ascii")
    return kept if len(text) <= limit else f"{kept}...[{len(text)} chars]"

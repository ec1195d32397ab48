"""Turns already applied, kept in each person's record: a request seen again (Alexa's retry, or a captured
request sent again within the 150 s its timestamp allows) gets the same answer and changes nothing.

Kept, and nothing more: hashes of the id and type of the person's last KEEP saved requests (never the
ids), and the state the latest of them was applied to. The engine is pure, so that request run again on
that state gives the very answer it gave: no answer is stored (after a red flag it would say which kind
of symptom; the replayed request says it again itself). An earlier one of those requests gets "repeat"
on the current state: where the routine is now."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import Enum
from typing import Any

KEEP = 8


class Seen(Enum):
    LATEST = "latest"    # the person's latest saved request: run again on the state it was applied to
    EARLIER = "earlier"  # one before it: the state it saw is gone


def request_key(request_id: str, request_type: str) -> str:
    """The request's id (unique per request) with its type: a forged request reusing an id under
    another type (a SessionEndedRequest, which must get no speech) is not taken for the one applied."""
    return hashlib.sha256(f"{request_type}:{request_id}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Applied:
    keys: tuple[str, ...] = ()            # request keys of the last KEEP saved turns, oldest first
    before: dict[str, Any] | None = None  # the state (JSON) the latest one was applied to; None if not kept

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Applied:
        return cls(tuple(data["keys"]), data.get("before")) if data else cls()

    def to_json(self) -> dict[str, Any] | None:
        if not self.keys:
            return None
        return {"keys": list(self.keys), **({"before": self.before} if self.before is not None else {})}

    def seen(self, request_id: str | None, request_type: str) -> Seen | None:
        key = request_key(request_id, request_type) if request_id else None
        if key is None or key not in self.keys:
            return None
        return Seen.LATEST if key == self.keys[-1] and self.before is not None else Seen.EARLIER

    def after(self, request_id: str | None, request_type: str, before: dict[str, Any] | None) -> Applied:
        """These turns and one more, applied to the state `before` (None: keep no copy of it)."""
        if not request_id:  # nothing to know it again by
            return Applied(self.keys)
        return Applied((*self.keys, request_key(request_id, request_type))[-KEEP:], before)

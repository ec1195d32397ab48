"""A person's state, typed: long-term progress and the session in progress. Plain JSON on disk (schema 2).

State
  progress: Progress      what is kept between sessions (levels, history, preferences)
  session:  Session|None  the conversation in progress (None: idle)

Health data is minimised: after a red flag only `checkup_pending` is kept (never which symptom), and the
coach never names a symptom aloud later. Version-1 records are migrated on load (levels kept; a routine in
flight is dropped, since its shape changed).
"""
from __future__ import annotations

import dataclasses
import functools
import types
import typing
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

SCHEMA_VERSION = 2


class Phase(StrEnum):
    IDLE = "idle"                   # no session (never stored: session is None)
    OFFER = "offer"                 # a yes/no offer; `Session.offer` says of what
    CHECKED = "checked"             # after a red flag: "have you been seen since?"
    BACK_CHECK = "back_check"       # the next-day check: better, the same, or worse?
    RESUME = "resume"               # "You were on X, set 2. Shall we carry on?"
    READY = "ready"                 # a move split between responses: "Ready for set three?"
    MOVING = "moving"               # sets were sent, ending with "Pain-free?" (or that is still to answer)
    RATING = "rating"               # "a little": how much, zero to ten?
    STRETCH = "stretch"             # a stretch was sent, ending with "Did that feel okay?"
    PAUSED = "paused"               # a routine paused mid-move; resumable
    CONFIRM_SKIP = "confirm_skip"   # "Skip the rest of X?"
    FORGET = "forget"               # "This erases ... say yes to erase"


class Offer(StrEnum):
    ROUTINE = "routine"                       # "Shall we start your back routine?"
    STRETCHES = "stretches"                   # after the routine: "Want the stretches too?"
    STRETCHES_INSTEAD = "stretches_instead"   # "my back hurts": the stretches instead?
    RESTART = "restart"                       # "Start again from the top, or stop for today?"
    ROUTINE_NEXT = "routine_next"             # stretches done first: now the routine?
    CARRY_ON = "carry_on"                     # stretches or an extra done mid-routine: back to it?


class Then(StrEnum):
    """What a yes at the check-up question goes on to."""

    OFFER = "offer"
    ROUTINE = "routine"
    SHORT = "short"
    STRETCHES = "stretches"
    STRETCHES_FIRST = "stretches_first"
    EXTRA = "extra"


class Form(StrEnum):
    FULL = "full"
    EASIER = "easier"
    OUTDOOR = "outdoor"     # the move's outdoor alternative, for today only (same level as full)


class Status(StrEnum):
    TODO = "todo"
    DONE = "done"
    SKIPPED = "skipped"
    PARKED = "parked"       # hurt even on the easier form: set aside for today (and a few sessions)


class Result(StrEnum):
    PENDING = "pending"     # sent and (as far as we know) done, not yet answered
    OK = "ok"
    HOLD = "hold"           # a pain rating of 4-5: done, but no step up
    HURT = "hurt"


class Kind(StrEnum):
    STRENGTH = "strength"
    STRETCHES = "stretches"
    EXTRA = "extra"         # asked for on its own: the upper-back pull-downs


@dataclass
class SetDone:
    form: Form
    result: Result


@dataclass
class Item:
    """One move of today's plan (or one stretch / extra)."""

    move: str                       # the ladder move (or stretch, or extra) id
    form: Form = Form.FULL          # the form being done now
    full_reps: int = 8              # the person's reps on this move
    reps: int = 8                   # reps per set now (full_reps kept inside the form's range)
    planned: int = 3                # sets to do today (grows by one after pain on the last set)
    status: Status = Status.TODO
    sets: list[SetDone] = field(default_factory=list)
    hurt: bool = False              # hurt today: starts easier next time
    dropped: bool = False           # moved to the easier form today (for pain or by request)
    stepped_down: bool = False      # started a level down today (worse back, or first after a check-up)
    outdoors: bool = False          # "I'm outside": harder from the easier form returns to the outdoor move


@dataclass
class Routine:
    kind: Kind
    started: float                  # epoch seconds
    index: int                      # the item in hand
    items: list[Item]
    short: bool = False
    pain: bool = False              # anything hurt today (the summary advises easy runs)
    then_routine: bool = False      # stretches done first: offer the routine after them
    stretched: bool = False         # a strength routine after the stretches: no stretch offer at its end


@dataclass
class Sent:
    """The last response that played sets: when it was built and where each set starts in it."""

    at: float                       # the request time it answered
    length: float                   # estimated seconds of speech
    sets: list[list[float]]         # [set number, first rep at, last rep ends at] per set, in order


@dataclass
class Session:
    phase: Phase
    updated_at: float
    said: dict[str, int] = field(default_factory=dict)   # phrase variants said (rotates praise, never random)
    offer: Offer | None = None
    then: Then | None = None
    return_to: Phase | None = None  # where "no" at confirm_skip / forget goes back to
    routine: Routine | None = None
    suspended: Routine | None = None   # a strength routine waiting while stretches or an extra are done
    ease: bool = False              # the first routine after a check-up steps down a level
    misses: int = 0                 # unexpected answers in a row (the hints escalate)
    sent: Sent | None = None
    info: str | None = None         # the last answer to a question, for "repeat"


@dataclass
class MoveRecord:
    form: Form = Form.FULL
    reps: int = 8
    at_max: int = 0                 # sessions in a row at the top of the range, pain-free
    parked_at: int | None = None    # `sessions` when it was set aside
    mastered: bool = False
    started: int | None = None      # `sessions` when it was first done (one new move joins at a time)
    changed_at: float | None = None  # when its level last went up (at most once in PROGRESS_GAP_SECONDS)


@dataclass
class HistoryEntry:
    at: float
    moves: int
    sets: int
    pain_free: int
    parked: int


@dataclass
class Progress:
    sessions: int = 0               # routines that finished at least one move
    last_session_at: float | None = None
    safety_note_given: bool = False
    checkup_pending: bool = False   # a red flag stopped a session; no training until they say they were seen
    worse_checks: int = 0           # next-day checks answered "worse" in a row
    moves: dict[str, MoveRecord] = field(default_factory=dict)
    tempo: dict[str, float] = field(default_factory=dict)   # the person's slower/faster choice per move
    seen: list[str] = field(default_factory=list)            # moves coached once (cues get shorter)
    skip_stretches: list[str] = field(default_factory=list)  # stretches that did not feel okay
    history: list[HistoryEntry] = field(default_factory=list)


@dataclass
class State:
    progress: Progress = field(default_factory=Progress)
    session: Session | None = None

    @property
    def phase(self) -> Phase:
        return self.session.phase if self.session is not None else Phase.IDLE

    def to_json(self) -> dict[str, Any]:
        return {"schema_version": SCHEMA_VERSION, **_encode(self)}

    def copy(self) -> State:
        """A deep copy (the engine works on one, so the caller's state is never touched)."""
        return _copy(self)

    @classmethod
    def from_json(cls, data: Any) -> State:
        """Read a stored state (migrating version 1); a record this code cannot read raises ValueError."""
        if not isinstance(data, dict):
            raise ValueError("state must be a JSON object")
        if "schema_version" not in data and isinstance(data.get("progress"), dict):
            data = migrate_v1(data)
        version = data.get("schema_version")
        if version != SCHEMA_VERSION:
            raise ValueError(f"state schema_version {version!r} is not supported (this engine reads {SCHEMA_VERSION})")
        return _decode(cls, {k: v for k, v in data.items() if k != "schema_version"}, "state")


def migrate_v1(data: dict[str, Any]) -> dict[str, Any]:
    """A version-1 state (schema_version inside progress) as version 2: levels, history and preferences kept;
    the red flag's kind dropped (only that a check-up is pending); a routine in flight dropped."""
    old = data["progress"]
    if old.get("schema_version") != 1:
        raise ValueError(f"progress schema_version {old.get('schema_version')!r} is not supported")
    moves = {}
    for move_id, rec in (old.get("moves") or {}).items():
        moves[move_id] = {"form": rec["form"], "reps": rec["reps"], "at_max": rec["at_max"],
                          "parked_at": rec["parked_at"], "mastered": rec["mastered"], "started": 0,
                          "changed_at": None}
    progress = {
        "sessions": old["sessions"], "last_session_at": old["last_session_at"],
        "safety_note_given": old["safety_note_given"], "checkup_pending": old.get("red_flag") is not None,
        "worse_checks": old.get("worse_checks", 0), "moves": moves, "tempo": old["tempo"], "seen": old["seen"],
        "skip_stretches": old["skip_stretches"], "history": old["history"],
    }
    return {"schema_version": SCHEMA_VERSION, "progress": progress, "session": None}


# -- a small typed codec: dataclasses, enums, lists, dicts and optionals <-> plain JSON ------------------------
# Each type gets its decoder built once (the state is read and written on every turn).
def _encode(value: Any) -> Any:
    return _encoder(type(value))(value)


Encoder = typing.Callable[[Any], Any]


@functools.cache
def _encoder(tp: type) -> Encoder:
    """An encoder for one class of value, built once: dataclasses field by field, enums by value."""
    if dataclasses.is_dataclass(tp):
        names = _field_names(tp)
        return lambda value: {name: _encode(getattr(value, name)) for name in names}
    if issubclass(tp, StrEnum):
        return lambda value: value.value
    if tp is list:
        return lambda value: [_encode(v) for v in value]
    if tp is dict:
        return lambda value: {k: _encode(v) for k, v in value.items()}
    return lambda value: value


def _copy(value: Any) -> Any:
    return _copier(type(value))(value)


@functools.cache
def _copier(tp: type) -> Encoder:
    if dataclasses.is_dataclass(tp):
        names = _field_names(tp)
        return lambda value: tp(**{name: _copy(getattr(value, name)) for name in names})
    if tp is list:
        return lambda value: [_copy(v) for v in value]
    if tp is dict:
        return lambda value: {k: _copy(v) for k, v in value.items()}
    return lambda value: value          # enums, numbers, strings, None: immutable


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _decode(tp: Any, value: Any, where: str) -> Any:
    return _decoder(tp)(value, where)


Decoder = typing.Callable[[Any, str], Any]


@functools.cache
def _decoder(tp: Any) -> Decoder:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [o for o in typing.get_args(tp) if o is not type(None)]
        inner_decode = _decoder(inner)
        return lambda value, where: None if value is None else inner_decode(value, where)
    if origin is list:
        item = _decoder(typing.get_args(tp)[0])

        def decode_list(value: Any, where: str) -> list:
            if not isinstance(value, list):
                raise ValueError(f"{where}: must be a list")
            return [item(v, f"{where}[{i}]") for i, v in enumerate(value)]
        return decode_list
    if origin is dict:
        entry = _decoder(typing.get_args(tp)[1])

        def decode_dict(value: Any, where: str) -> dict:
            if not isinstance(value, dict):
                raise ValueError(f"{where}: must be an object")
            return {str(k): entry(v, f"{where}.{k}") for k, v in value.items()}
        return decode_dict
    if dataclasses.is_dataclass(tp):
        return _dataclass_decoder(tp)
    if isinstance(tp, type) and issubclass(tp, StrEnum):
        members = {m.value: m for m in tp}

        def decode_enum(value: Any, where: str) -> StrEnum:
            try:
                return members[value]
            except (KeyError, TypeError):
                raise ValueError(f"{where}: {value!r} is not one of {list(members)}") from None
        return decode_enum
    if tp is float:
        def decode_float(value: Any, where: str) -> float:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"{where}: must be a number")
            return float(value)
        return decode_float
    if tp in (int, bool, str):
        def decode_plain(value: Any, where: str) -> Any:
            if type(value) is not tp:
                raise ValueError(f"{where}: must be {tp.__name__}")
            return value
        return decode_plain
    raise TypeError(f"cannot decode {tp!r}")  # a field type this codec was not written for


def _dataclass_decoder(cls: type) -> Decoder:
    """Every field must be there: a stored record is always written whole, so a missing field means damage
    (defaulting it could silently lose someone's progress)."""
    hints = typing.get_type_hints(cls)
    names = _field_names(cls)
    decoders: dict[str, Decoder] = {}

    def decode_object(value: Any, where: str) -> Any:
        if not isinstance(value, dict):
            raise ValueError(f"{where}: must be an object")
        if len(value) != len(names) or not value.keys() <= set(names):
            if unknown := sorted(set(value) - set(names)):
                raise ValueError(f"{where}.{unknown[0]}: not a field")
            raise ValueError(f"{where}.{next(n for n in names if n not in value)}: missing")
        kwargs = {}
        for name in names:
            if name not in decoders:            # built lazily: the types refer to each other
                decoders[name] = _decoder(hints[name])
            kwargs[name] = decoders[name](value[name], f"{where}.{name}")
        return cls(**kwargs)
    return decode_object

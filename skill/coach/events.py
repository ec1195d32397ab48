"""The events the engine understands: what the person said (or what happened), shell-independent."""
from __future__ import annotations

from dataclasses import dataclass

# kind -> what `value` holds (None: no value)
KINDS: dict[str, str | None] = {
    "launch": None,           # opened the skill with no specific request
    "start_routine": "None | short",       # short: "a quick one", "I only have ten minutes"
    "start_stretches": "None | first",     # first: "stretches first", "I've just been for a run"
    "extra": "upper_back",    # an extra on its own: pull-downs for upper-back tension
    "ready": None,
    "yes": None,
    "no": None,
    "done": None,             # "done", "finished", "that was easy": after a move, as good as yes
    "hurts": "None | some | elsewhere",  # it hurt / a little (asks for a number) / pain somewhere else
    "pain": "int 0..10",      # a pain rating; out of range or missing -> the engine asks again
    "red_flag": "urgent | leg | unwell",  # urgent: chest pain, breathlessness, fainting, saddle numbness, bladder
                                          # or bowel trouble, new leg weakness; leg: numbness/tingling/pain
                                          # spreading into a leg; unwell: feeling unwell, dizzy
    "back_feel": "better | same | worse",  # the next-day check; after a move, better/same mean pain-free
    "cant": None,             # "I can't do this one": the easier version, or leave it
    "lost_count": None,
    "thanks": None,
    "question": "sets | reps | rest | time",
    "pause": None,
    "resume": None,
    "repeat": None,
    "skip": None,
    "easier": None,
    "harder": None,
    "slower": None,
    "faster": None,
    "outdoors": None,         # "I'm outside": the current move's outdoor alternative, if it has one
    "progress": None,         # how am I doing (long-term)
    "explain": None,          # how do I do this
    "help": None,
    "stop": None,
    "start_over": None,
    "forget": None,           # erase my progress (the engine asks for confirmation)
    "unknown": None,          # anything unexpected
    "session_ended": None,    # the voice session ended (timeout, exit): keep the routine resumable
}


@dataclass(frozen=True)
class Event:
    kind: str
    value: int | str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown event kind {self.kind!r}")

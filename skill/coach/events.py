"""The events the engine understands: what the person said (or what happened), shell-independent."""
from __future__ import annotations

from dataclasses import dataclass

# kind -> what `value` holds (None: no value)
KINDS: dict[str, str | None] = {
    "launch": None,           # opened the skill with no specific request
    "start_routine": None,
    "start_stretches": None,
    "ready": None,
    "yes": None,
    "no": None,               # "no", "that was painful"
    "hurts": None,            # "it hurts", "my back hurts": an answer after a set, or pain at any moment
    "pain": "int 0..10",      # a pain rating; out of range or missing -> the engine asks again
    "red_flag": "leg | urgent | unwell",  # leg: numbness/tingling/pain spreading into a leg; urgent: groin
                                          # numbness, bladder/bowel trouble, leg weakness; unwell: feeling
                                          # unwell, dizzy, chest pain, unbearable pain, something popped
    "back_feel": "better | same | worse",  # answer to the next-day check
    "done": None,             # "done", "finished", "that was easy"
    "cant": None,             # "I can't do this one"
    "lost_count": None,       # "I lost count"
    "thanks": None,           # "thank you"
    "question": "sets | reps | rest | time",  # "how many reps", "how long is the rest", "how long will this take"
    "extra": "upper_back",    # "my upper back is tight": the Wall Lateral Pull-Downs extra
    "pause": None,
    "resume": None,
    "repeat": None,
    "skip": None,
    "easier": None,
    "harder": None,
    "slower": None,
    "faster": None,
    "outdoors": None,         # "I'm outside": the current move's outdoor alternative, if it has one
    "status": None,           # how many sets are left
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

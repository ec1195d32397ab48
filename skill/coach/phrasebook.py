"""Every sentence the coach says, loaded from phrases/<lang>.json and checked against what the engine uses.

A phrase is a string or a list of variants with {placeholders}. Variants are picked by a counter the
caller keeps (never at random), so the same praise never comes twice in a row.
"""
from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from typing import Any

# phrase key -> the placeholders every variant of it must use (no more, no fewer)
PHRASES: dict[str, frozenset[str]] = {
    key: frozenset(fields)
    for key, fields in {
        "welcome_new": (), "welcome_back": (), "safety": (),
        "checked_question": ("symptoms",), "checked_reprompt": (), "flag_leg": (), "flag_urgent": (),
        "flag_unwell": (), "checked_yes": (), "checked_no": (), "ease_after_check": (),
        "offer_routine": (), "offer_routine_reprompt": (),
        "offer_stretches": ("stretches",), "offer_stretches_reprompt": (),
        "offer_stretches_instead": ("stretches",), "offer_stretches_instead_reprompt": (),
        "offer_restart": (), "offer_restart_reprompt": (), "leave_routine": (),
        "goodbye": (), "idle_prompt": (), "no_routine": (), "unexpected": (),
        "plan_same": ("moves", "sets", "reps"), "plan_mixed": ("moves", "sets"),
        "intro_first": ("name",), "intro_next": ("name",), "intro_last": ("name",),
        "intro_again": ("name", "n", "total"), "say_ready": (), "ready_reprompt": (), "not_ready": (),
        "set_start": ("n", "total"), "left_side": (), "switch_sides": (), "right_side": (),
        "pain_question": (), "pain_reprompt": (), "pain_invalid": (),
        "praise": (), "rest": ("seconds",), "move_done": ("name",), "hold_ack": ("name",),
        "hurt_ack": (), "switch_easier": ("name",), "easier_next_time": ("name",), "park_today": ("name",),
        "easier_already": (), "harder_blocked": (), "harder_already": (), "harder_switch": ("name",),
        "switch_outdoor": ("name",), "outdoor_already": (), "outdoor_easier": ("name",), "works_anywhere": (),
        "outdoor_not_now": (), "harder_outdoor": (), "harder_to_outdoor": ("name",),
        "skip_move": ("name",), "skip_ask": ("name",), "move_finished": ("name",), "slower": ("seconds",), "faster": ("seconds",),
        "slowest": (), "fastest": (), "no_count": (),
        "status_routine": ("sets", "name", "moves"), "status_last": ("sets", "name"),
        "status_last_set": ("name",), "status_next_up": ("name",), "status_last_set_last": ("name",),
        "status_stretches": ("stretches",), "explain_none": (),
        "already_running": (), "busy_routine": (),
        "pause": (), "stop_saved": (), "paused_at": ("name",), "paused_reprompt": (),
        "resume_at": ("name", "n", "total"), "resume_stretch": (),
        "confirm_resume": ("name", "n"), "confirm_resume_stretch": ("name",), "confirm_resume_reprompt": (),
        "fresh_start": (), "start_over": (), "start_over_stretches": (),
        "back_check": (), "back_check_reprompt": (), "back_better": (), "back_same": (), "back_worse": (),
        "forget_confirm": (), "forget_done": (), "forget_kept": (),
        "red_flag_leg": (), "red_flag_urgent": (), "red_flag_unwell": (),
        "help_idle": (), "help_offer": (), "help_offer_stretches": (), "help_offer_restart": (),
        "help_confirm_checked": (), "help_back_check": (), "help_confirm_resume": (),
        "help_await_ready": (), "help_await_ready_outdoor": (), "help_await_answer": (), "help_stretch_ready": (),
        "help_stretch_answer": (), "help_paused": (), "help_confirm_forget": (),
        "summary_head": ("moves", "ok", "total"), "summary_empty": (),
        "next_up": ("names", "reps"), "next_up_many": ("names", "reps"),
        "next_at_max": ("names", "reps"), "next_at_max_many": ("names", "reps"),
        "next_mastered": ("names",), "next_joins": ("names",), "next_joins_many": ("names",),
        "next_easier": ("names",), "next_easier_many": ("names",),
        "next_back_up": ("names",), "next_back_up_many": ("names",),
        "next_hold": ("names", "reps"), "next_hold_many": ("names", "reps"),
        "next_parked": ("names",), "next_parked_many": ("names",),
        "keep_runs_easy": (), "card_title": (),
        "card_line": ("name", "ok", "done", "reps"), "card_line_easier": ("name", "variant", "ok", "done", "reps"),
        "card_line_outdoor": ("name", "variant", "ok", "done", "reps"),
        "card_skipped": ("name",), "card_parked": ("name",),
        "progress_none": (), "progress_sessions": ("sessions",), "progress_levels": ("levels",),
        "level_full": ("name", "reps"), "level_easier": ("name",), "progress_mastered": ("names",),
        "stretch_intro_first": ("name",), "stretch_intro_next": ("name",), "stretch_ready_reprompt": (),
        "stretch_question": (), "stretch_reprompt": (), "stretch_skip_next": (), "skip_stretch": ("name",),
        "stretches_done": (), "stretches_all_again": (), "one_level": (), "take_your_time": (),
        "hurts_rest": (), "hurts_aside": (), "checkup_advice": (),
        "technical_sorry": (), "technical_sorry_reprompt": (),   # the Alexa shell's apology when a turn fails
    }.items()
}
# Phrases said again and again in one session: they need variants to rotate through.
VARIED = frozenset({"praise", "hurt_ack", "hold_ack"})
# Counted things: [singular, plural with {n}].
PLURALS = frozenset({"set", "move", "more_move", "session", "stretch", "the_stretch"})
NUMBERS_UP_TO = 20   # number words 0..20 must all be there (reps, sets, counts)

_FORMATTER = string.Formatter()


class PhraseError(ValueError):
    """A phrase file problem; the message names the key."""


def fields_of(text: str) -> set[str]:
    return {name for _, name, _, _ in _FORMATTER.parse(text) if name is not None}


class Phrases:
    """Validated phrases for one language."""

    def __init__(self, data: Any) -> None:
        if not isinstance(data, dict):
            raise PhraseError("the file must hold a JSON object")
        self._phrases = _check_phrases(data.get("phrases"))
        self._numbers = _check_numbers(data.get("numbers"))
        self._plurals = _check_plurals(data.get("plurals"))
        conjunction = data.get("and")
        if not isinstance(conjunction, str) or not conjunction.strip():
            raise PhraseError("and: must be a word such as 'and'")
        self._and = conjunction.strip()

    def variants(self, key: str) -> int:
        return len(self._phrases[key])

    def text(self, key: str, variant: int = 0, /, **values: object) -> str:
        options = self._phrases[key]
        return options[variant % len(options)].format(**values)

    def number(self, n: int | float) -> str:
        """The spoken word for n where the file has one, else the digits (TTS reads them)."""
        whole = int(n)
        return self._numbers.get(str(whole), str(whole)) if whole == n else str(n)

    def has_number(self, n: int) -> bool:
        return str(n) in self._numbers

    def plural(self, unit: str, n: int) -> str:
        one, many = self._plurals[unit]
        return one if n == 1 else many.format(n=self.number(n))

    def join(self, names: Iterable[str]) -> str:
        items = list(names)
        if len(items) <= 1:
            return "".join(items)
        # a name with "and" in it ("Single Leg Balance and Reach") needs a comma before the last "and"
        comma = "," if len(items) > 2 and any(f" {self._and} " in item for item in items) else ""
        return f"{', '.join(items[:-1])}{comma} {self._and} {items[-1]}"


def _check_phrases(phrases: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(phrases, dict):
        raise PhraseError("phrases: must be an object of key -> text")
    unknown = sorted(set(phrases) - set(PHRASES))
    if unknown:
        raise PhraseError(f"phrases.{unknown[0]}: not a phrase the coach uses")
    checked: dict[str, tuple[str, ...]] = {}
    for key, wanted in PHRASES.items():
        if key not in phrases:
            raise PhraseError(f"phrases.{key}: missing")
        value = phrases[key]
        options = [value] if isinstance(value, str) else value
        if not isinstance(options, list) or not options:
            raise PhraseError(f"phrases.{key}: must be a text or a non-empty list of texts")
        if key in VARIED and len(options) < 3:
            raise PhraseError(f"phrases.{key}: needs at least 3 variants, has {len(options)}")
        for i, option in enumerate(options):
            where = f"phrases.{key}" + (f"[{i}]" if isinstance(value, list) else "")
            if not isinstance(option, str) or not option.strip():
                raise PhraseError(f"{where}: must be non-empty text")
            try:
                found = fields_of(option)
            except ValueError as exc:
                raise PhraseError(f"{where}: broken placeholder ({exc})") from None
            if missing := sorted(wanted - found):
                raise PhraseError(f"{where}: missing placeholder {{{missing[0]}}}")
            if extra := sorted(found - wanted):
                raise PhraseError(f"{where}: unknown placeholder {{{extra[0]}}}")
        checked[key] = tuple(options)
    return checked


def _check_numbers(numbers: Any) -> dict[str, str]:
    if not isinstance(numbers, dict):
        raise PhraseError("numbers: must be an object of number -> word")
    for n in range(NUMBERS_UP_TO + 1):
        if not isinstance(numbers.get(str(n)), str) or not numbers[str(n)].strip():
            raise PhraseError(f"numbers.{n}: missing")
    return dict(numbers)


def _check_plurals(plurals: Any) -> Mapping[str, tuple[str, str]]:
    if not isinstance(plurals, dict):
        raise PhraseError("plurals: must be an object of unit -> [one, many]")
    checked: dict[str, tuple[str, str]] = {}
    for unit in sorted(PLURALS):
        pair = plurals.get(unit)
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
            raise PhraseError(f"plurals.{unit}: must be [singular, plural]")
        if fields_of(pair[0]) or fields_of(pair[1]) != {"n"}:
            raise PhraseError(f"plurals.{unit}: the plural needs {{n}} and the singular no placeholder")
        checked[unit] = (pair[0], pair[1])
    return checked

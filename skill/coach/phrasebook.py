"""Every sentence the coach says, loaded from phrases/<lang>.json and checked against what the engine uses.

A phrase is a string or a list of variants with {placeholders}. Variants are picked by a counter the
caller keeps (never at random), so the same praise never comes twice in a row.
"""
from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from typing import Any

from .numbers import number_word

# phrase key -> the placeholders every variant of it must use (no more, no fewer)
PHRASES: dict[str, frozenset[str]] = {
    key: frozenset(fields)
    for key, fields in {
        "welcome_new": (),
        "welcome_back": (),
        "safety": (),
        "checked_question": (),
        "checked_reprompt": (),
        "checked_yes": (),
        "checked_no": (),
        "ease_after_check": (),
        "offer_routine": (),
        "offer_routine_reprompt": (),
        "offer_stretches": ('minutes', 'stretches'),
        "offer_stretches_reprompt": (),
        "offer_stretches_instead": ('minutes', 'stretches'),
        "offer_stretches_instead_reprompt": (),
        "offer_restart": (),
        "offer_restart_reprompt": (),
        "offer_routine_next": (),
        "offer_routine_next_reprompt": (),
        "offer_carry_on": ('name',),
        "offer_carry_on_reprompt": (),
        "leave_routine": (),
        "goodbye": (),
        "goodbye_done": (),
        "idle_prompt": (),
        "no_routine": (),
        "unexpected": (),
        "offer_pause": (),
        "offer_stop": (),
        "some_sets": (),
        "plan_same": ('minutes', 'moves', 'names', 'reps', 'sets'),
        "plan_mixed": ('minutes', 'moves', 'names', 'sets'),
        "intro_first": ('name',),
        "intro_next": ('name',),
        "intro_last": ('name',),
        "intro_extra": ('name',),
        "extra_intro": (),
        "extra_done": ('name',),
        "set_start": ('n', 'total'),
        "one_more_set": (),
        "left_side": (),
        "switch_sides": (),
        "right_side": (),
        "rest": ('seconds',),
        "pain_question": (),
        "pain_question_named": ('name',),
        "pain_reprompt": ('name',),
        "pain_invalid": (),
        "split_question": ('n',),
        "split_reprompt": ('n',),
        "rating_question": (),
        "rating_reprompt": (),
        "praise": (),
        "move_done": ('name',),
        "move_finished": ('name',),
        "hold_ack": ('name',),
        "hurt_ack": (),
        "hurt_elsewhere": (),
        "assumed_set": ('n',),
        "switch_easier": ('name',),
        "park_today": ('name',),
        "cant_ack": (),
        "cant_leave": ('name',),
        "carry_on_sets": (),
        "wait_more": ('seconds',),
        "lost_count_redo": ('n',),
        "lost_count_done": (),
        "easier_already": (),
        "harder_blocked": (),
        "harder_already": (),
        "harder_switch": ('name',),
        "switch_outdoor": ('name',),
        "outdoor_already": (),
        "outdoor_easier": ('name',),
        "works_anywhere": (),
        "outdoor_not_now": (),
        "harder_outdoor": (),
        "harder_to_outdoor": ('name',),
        "skip_confirm": ('name',),
        "skip_confirm_reprompt": ('name',),
        "skip_move": ('name',),
        "skip_unanswered": ('name',),
        "slower": ('seconds',),
        "faster": ('seconds',),
        "tempo_next_time": (),
        "slowest": (),
        "fastest": (),
        "no_count": (),
        "status_routine": ('moves', 'name', 'sets'),
        "status_last": ('name', 'sets'),
        "status_last_set": ('name',),
        "status_next_up": ('name',),
        "status_last_set_last": ('name',),
        "status_stretches": ('stretches',),
        "reps_now": ('name', 'reps'),
        "reps_each_side": ('name', 'reps'),
        "rest_now": ('seconds',),
        "time_left": ('minutes',),
        "time_idle": ('minutes', 'quick'),
        "explain_none": (),
        "already_running": (),
        "thanks": (),
        "pause": (),
        "stop_saved": (),
        "paused_at": ('name',),
        "paused_reprompt": (),
        "resume_at": ('name',),
        "resume_stretch": (),
        "confirm_resume": ('n', 'name'),
        "confirm_resume_stretch": ('name',),
        "confirm_resume_reprompt": (),
        "start_over": (),
        "start_over_stretches": (),
        "back_check": (),
        "back_check_reprompt": (),
        "back_better": (),
        "back_same": (),
        "back_worse": (),
        "forget_confirm": (),
        "forget_confirm_reprompt": (),
        "forget_done": (),
        "forget_kept": (),
        "red_flag_leg": (),
        "red_flag_urgent": (),
        "red_flag_unwell": (),
        "advice_card_title": (),
        "red_flag_leg_card": (),
        "red_flag_urgent_card": (),
        "red_flag_unwell_card": (),
        "severe_pain": (),
        "severe_pain_card": (),
        "help_idle": (),
        "help_offer_routine": (),
        "help_offer_stretches": (),
        "help_offer_stretches_instead": (),
        "help_offer_restart": (),
        "help_offer_routine_next": (),
        "help_offer_carry_on": (),
        "help_back_check": (),
        "help_checked": (),
        "help_resume": (),
        "help_ready": (),
        "help_ready_outdoor": (),
        "help_moving": (),
        "help_moving_outdoor": (),
        "help_rating": (),
        "help_stretch": (),
        "help_paused": (),
        "help_confirm_skip": (),
        "help_forget": (),
        "summary_head": ('moves', 'ok', 'total'),
        "summary_empty": (),
        "next_up": ('names', 'reps'),
        "next_up_many": ('names', 'reps'),
        "next_at_max": ('names', 'reps'),
        "next_at_max_many": ('names', 'reps'),
        "next_today": ('names', 'reps'),
        "next_today_many": ('names', 'reps'),
        "next_mastered": ('names',),
        "next_joins": ('names',),
        "next_joins_many": ('names',),
        "next_easier": ('names',),
        "next_easier_many": ('names',),
        "next_back_up": ('names',),
        "next_back_up_many": ('names',),
        "next_hold": ('names', 'reps'),
        "next_hold_many": ('names', 'reps'),
        "next_parked": ('names',),
        "next_parked_many": ('names',),
        "keep_runs_easy": (),
        "checkup_advice": (),
        "card_title": (),
        "card_line": ('done', 'name', 'ok', 'reps'),
        "card_line_easier": ('done', 'name', 'ok', 'reps', 'variant'),
        "card_line_outdoor": ('done', 'name', 'ok', 'reps', 'variant'),
        "card_skipped": ('name',),
        "card_parked": ('name',),
        "progress_none": (),
        "progress_first": (),
        "progress_today": ('ok', 'total'),
        "progress_sessions": ('sessions',),
        "progress_levels": ('levels',),
        "level_full": ('name', 'reps'),
        "level_easier": ('name',),
        "progress_mastered": ('names',),
        "stretch_intro_first": ('name',),
        "stretch_intro_next": ('name',),
        "stretch_question": (),
        "stretch_reprompt": (),
        "stretch_skip_next": (),
        "skip_stretch": ('name',),
        "stretches_mid_routine": (),
        "stretches_done": (),
        "stretches_all_again": (),
        "one_level": (),
        "take_your_time": (),
        "hurts_rest": (),
        "hurts_aside": (),
        "hint_sets": (),
        "hint_question": (),
        "hint_stretch": (),
        "hint_paused": (),
        "technical_sorry": (),
        "technical_sorry_reprompt": (),
    }.items()
}
# Phrases said again and again in one session: they need variants to rotate through.
VARIED = frozenset({"praise", "hurt_ack", "hold_ack"})
# Counted things: [singular, plural with {n}].
PLURALS = frozenset({"set", "move", "more_move", "session", "stretch", "the_stretch", "minute"})

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

    def plural(self, unit: str, n: int) -> str:
        one, many = self._plurals[unit]
        return one if n == 1 else many.format(n=number_word(n))

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

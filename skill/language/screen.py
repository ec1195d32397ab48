"""Free text -> what it says about the body: a red flag (by urgency), pain (back or elsewhere), or nothing.

The words come from Alexa (an AMAZON.SearchQuery slot: whatever the person said after "my ...",
"I feel ...") or from the console. Screening is by concepts, not by whole sentences, so phrasings
nobody wrote down still count: "my feet have gone numb" is numbness + both feet.

How a text is read (the word lists are data, in symptoms.json):
1. lower case, contractions expanded ("can't" -> "can not", "leg's" -> "leg is"), punctuation and
   the clause words ("but", "though") split it into clauses, read one by one; a leading answer word
   ("no my leg went numb") is a clause of its own;
2. in each clause the longest known term wins at each position ("pins and needles", "back passage",
   "between my legs" before "legs"); part words match their plurals ("feet", "buttocks");
3. a concept is ignored when a negator stands up to `negation_window` words before it in its clause
   ("no tingling", "my leg is not numb") or "free" follows it ("pain free");
4. the rules below, most urgent first, decide; the most urgent finding of all clauses is the answer.

Rules (sources and reasoning in bench/corpus/README.md):
- urgent: chest pain or tightness, can't breathe, fainting; bladder or bowel trouble; numbness or
  tingling in the saddle area; numbness, tingling or weakness in both legs ("both", "either", or a
  paired part in the plural: "my feet are numb"); new weakness or giving way of a leg or foot.
- leg: numbness or tingling in a leg, a foot or the back (or said with no place); pain that spreads,
  shoots or radiates into a leg, or anything said to travel down it ("it's going down my leg");
  sciatica, a trapped nerve.
- unwell: dizzy, sick, light-headed, feverish, a racing heart, something popped.
- pain: pain in the back or the muscles the routine works, or pain with no place said;
  "pain_some" when it comes with "a bit", "kind of"...
- elsewhere: pain, numbness or a giving way somewhere else (a wrist, a knee, a hand).
- Weakness said with exertion ("from the exercise", "after that set", "tired", "shaky") is the
  ordinary fatigue of training, not a red flag.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

LEXICON_PATH = Path(__file__).with_name("symptoms.json")

RED_FLAGS = ("urgent", "leg", "unwell")
# Every answer `screen` gives, most urgent first.
FINDINGS = (*RED_FLAGS, "pain", "pain_some", "elsewhere", "none")

_CONCEPTS = ("neutral", "urgent", "bladder", "bladder_trouble", "chest_trouble", "nerve", "nerve_if_placed",
             "nerve_pain", "radiating", "travels", "spread", "pain", "mild", "weak", "exertion", "unwell",
             "heart_fast")
_PART_GROUPS = ("saddle", "leg", "joint", "back", "core", "chest", "other")
_CONTRACTIONS = ((r"\bcan't\b|\bcannot\b", "can not"), (r"\bwon't\b", "will not"), (r"\bshan't\b", "shall not"),
                 (r"n't\b", " not"), (r"'m\b", " am"), (r"'re\b", " are"), (r"'ve\b", " have"),
                 (r"'ll\b", " will"), (r"'d\b", " would"), (r"'s\b", " is"))
_BREAK = "|"  # stands for punctuation that ends a clause


@dataclass(frozen=True)
class _Match:
    concept: str      # a concept name, or "part"
    start: int
    end: int
    part: str = ""    # for parts: the singular form ("foot")
    plural: bool = False


class Lexicon:
    """The symptom word lists, checked at load, compiled for matching."""

    def __init__(self, data: dict[str, Any]) -> None:
        _check(data)
        self.negators = frozenset(data["negators"])
        self.after_negators = frozenset(data["after_negators"])
        self.window = int(data["negation_window"])
        self.breaks = {tuple(b.split()) for b in data["clause_breaks"]}
        self.answers, self.followers = frozenset(data["answer_words"]), frozenset(data["answer_followers"])
        self.paired = frozenset(data["paired_parts"])
        self.both_words = frozenset(data["both_words"])
        self.groups: dict[str, frozenset[str]] = {g: frozenset(data["parts"][g]) for g in _PART_GROUPS}
        self.mild = tuple(data["concepts"]["mild"])  # "a bit", "kind of": also the model's pain amounts
        irregular = data["irregular_plurals"]
        # term (a tuple of words) -> (concept, singular part or "", plural)
        self.terms: dict[tuple[str, ...], tuple[str, str, bool]] = {}
        for concept in _CONCEPTS:
            for term in data["concepts"][concept]:
                self._add(tuple(term.split()), concept, "", False)
                self._add(tuple(_plural(term).split()), concept, "", False)
        for part in sorted({p for g in _PART_GROUPS for p in data["parts"][g]}):
            self._add(tuple(part.split()), "part", part, False)
            self._add(tuple(_plural(part).split()), "part", part, True)
        for plural, singular in irregular.items():
            self._add((plural,), "part", singular, True)
        self.longest = max(len(t) for t in self.terms)

    def _add(self, words: tuple[str, ...], concept: str, part: str, plural: bool) -> None:
        # The first listing wins: a concept's own word is never overridden by a generated plural.
        self.terms.setdefault(words, (concept, part, plural))

    def screen(self, text: str) -> str:
        """One of FINDINGS for what `text` says."""
        findings = [self._clause(clause) for clause in self._clauses(text)]
        return min(findings, key=FINDINGS.index, default="none")

    def _clauses(self, text: str) -> list[list[str]]:
        text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
        for pattern, replacement in _CONTRACTIONS:
            text = re.sub(pattern, replacement, text)
        text = re.sub(r"[,;:.!?()\u2014\u2013]+|\s-\s", f" {_BREAK} ", text)
        words = [w.strip("'") for w in re.sub(r"[^a-z0-9'| ]+", " ", text).split()]
        if len(words) > 1 and words[0] in self.answers and words[1] in self.followers:
            words.insert(1, _BREAK)  # "no my leg went numb" is "no, my leg went numb", not "no numbness"
        clauses, current, i = [], [], 0
        while i < len(words):
            two = tuple(words[i:i + 2])
            if words[i] == _BREAK or (words[i],) in self.breaks or two in self.breaks:
                clauses.append(current)
                current = []
                i += 2 if two in self.breaks else 1
                continue
            if words[i]:
                current.append(words[i])
            i += 1
        clauses.append(current)
        return [c for c in clauses if c]

    def _matches(self, words: list[str]) -> list[_Match]:
        found, i = [], 0
        while i < len(words):
            for n in range(min(self.longest, len(words) - i), 0, -1):
                hit = self.terms.get(tuple(words[i:i + n]))
                if hit is not None:
                    concept, part, plural = hit
                    found.append(_Match(concept, i, i + n, part, plural))
                    i += n
                    break
            else:
                i += 1
        return found

    def _negated(self, words: list[str], match: _Match, matches: list[_Match]) -> bool:
        inside = {k for m in matches for k in range(m.start, m.end)}
        before = [k for k in range(max(0, match.start - self.window), match.start) if k not in inside]
        after = words[match.end] if match.end < len(words) else ""
        return any(words[k] in self.negators for k in before) or after in self.after_negators

    def _clause(self, words: list[str]) -> str:
        matches = self._matches(words)
        said = {m.concept for m in matches if m.concept != "part" and not self._negated(words, m, matches)}
        parts = [m for m in matches if m.concept == "part"]
        names = {m.part for m in parts}

        def placed(*groups: str) -> bool:
            return any(names & self.groups[g] for g in groups)

        leg_place = placed("leg", "joint")
        both = leg_place and bool(self.both_words & set(words))
        paired = any(m.plural and m.part in self.paired for m in parts)
        nerve = "nerve" in said or ("nerve_if_placed" in said and placed("leg", "joint", "back", "saddle"))
        weak = "weak" in said and "exertion" not in said
        pain = "pain" in said
        spreads = bool({"radiating", "travels"} & said) or ("spread" in said and (pain or nerve))
        chest = placed("chest")

        if ("urgent" in said or (chest and (pain or "chest_trouble" in said))
                or ("bladder" in said and ({"bladder_trouble", "nerve", "nerve_if_placed"} & said))
                or (nerve and placed("saddle"))
                or ((nerve or weak) and (both or paired))
                or (pain and both and placed("leg"))
                or (weak and placed("leg"))):
            return "urgent"
        if ("nerve_pain" in said
                or (nerve and (placed("leg", "joint", "back") or not names))
                or (spreads and leg_place)
                or ("radiating" in said and not names)):
            return "leg"
        if "unwell" in said or ("heart_fast" in said and chest) or ("weak" in said and not names
                                                                    and "exertion" not in said):
            return "unwell"
        if pain and (placed("back", "core") or not names):
            return "pain_some" if "mild" in said else "pain"
        if pain or (nerve and placed("other")) or ("weak" in said and placed("joint")):
            return "elsewhere"
        return "none"


def _plural(term: str) -> str:
    words = term.split()
    last = words[-1]
    words[-1] = last + ("es" if last.endswith(("s", "sh", "ch")) else "s")
    return " ".join(words)


def _check(data: dict[str, Any]) -> None:
    """Refuse a lexicon that is missing a list or holds something that is not lower-case words."""
    for key in ("negators", "after_negators", "clause_breaks", "answer_words", "answer_followers", "paired_parts",
                "both_words"):
        _words(data, key, data.get(key))
    if not isinstance(data.get("negation_window"), int) or not 1 <= data["negation_window"] <= 8:
        raise ValueError("symptom lexicon: negation_window must be a whole number from 1 to 8")
    for group in _PART_GROUPS:
        _words(data, f"parts.{group}", data.get("parts", {}).get(group))
    for concept in _CONCEPTS:
        _words(data, f"concepts.{concept}", data.get("concepts", {}).get(concept))
    if not isinstance(data.get("irregular_plurals"), dict):
        raise ValueError("symptom lexicon: irregular_plurals must map a plural to its singular")
    unknown = set(data["concepts"]) - set(_CONCEPTS)
    if unknown:
        raise ValueError(f"symptom lexicon: unknown concept {sorted(unknown)[0]!r}")
    seen: dict[str, str] = {}
    for concept in _CONCEPTS:
        for term in data["concepts"][concept]:
            if seen.setdefault(term, concept) != concept:
                raise ValueError(f"symptom lexicon: {term!r} is in both {seen[term]} and {concept}")


def _words(data: dict[str, Any], key: str, value: Any) -> None:
    if not isinstance(value, list) or not value:
        raise ValueError(f"symptom lexicon: {key} must be a non-empty list")
    for item in value:
        if not isinstance(item, str) or not re.fullmatch(r"[a-z]+(?: [a-z]+)*", item):
            raise ValueError(f"symptom lexicon: {key} holds {item!r}; use lower-case words and single spaces")


@lru_cache(maxsize=1)
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    with path.open(encoding="utf-8") as f:
        return Lexicon(json.load(f))


def screen(text: str) -> str:
    """What `text` says, by the shipped lexicon: one of FINDINGS."""
    return load_lexicon().screen(text)

"""Typed words -> intent + slots, from the skill's own interaction model, the way Alexa's NLU would.

Matching, in order:
1. a leading wake word / invocation is stripped ("alexa, ask back coach to ..." is a one-shot
   invocation; "alexa open back coach" is a LaunchRequest);
2. an exact match against a sample utterance, where {slot} stands for one of the slot type's values or
   synonyms (custom types) or a number in words or digits (AMAZON.NUMBER);
3. a fuzzy match (difflib similarity of the words, a misspelt word counting as the word meant, or the
   sample said whole inside a slightly longer sentence) above a threshold, so small variations and typos
   still resolve -- but a different real word is not a typo ("can you speak up" is not "speed up"), and
   the symptom lexicon (skill/language) must agree: a near match reaches a red-flag intent only when the
   words screen as that red flag, and never reaches another intent when they screen as a symptom;
4. a carrier phrase with free words (AMAZON.SearchQuery: "my {description}"), which Alexa fills with
   whatever followed the carrier;
5. otherwise AMAZON.FallbackIntent, as on a device.
Built-in AMAZON intents also answer to the common phrases Alexa's own models give them.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from skill.coach.numbers import NUMBER_WORDS, parse_number
from skill.console.model import language_model
from skill.language.carriers import finding_allows
from skill.language.screen import screen

FALLBACK = "AMAZON.FallbackIntent"
LAUNCH = "LaunchRequest"
NUMBER = "AMAZON.NUMBER"
PHRASE = "AMAZON.SearchQuery"  # free words; a sample with one needs a carrier phrase

# What Alexa's built-in intents understand without any samples from the skill (a representative set).
BUILTIN_PHRASES: dict[str, tuple[str, ...]] = {
    "AMAZON.YesIntent": (
        "yes", "yeah", "yep", "yup", "yes please", "sure", "sure thing", "of course", "okay", "ok",
        "correct", "that's right", "right", "absolutely", "definitely", "please do", "go ahead",
        "sounds good", "alright", "all right", "uh huh", "i did", "it was", "affirmative",
    ),
    "AMAZON.NoIntent": (
        "no", "nope", "nah", "no thanks", "no thank you", "not really", "negative", "i don't think so",
        "not now", "no way", "it wasn't", "i didn't", "not quite",
    ),
    "AMAZON.StopIntent": (
        "stop", "stop it", "stop talking", "quit", "exit", "end", "shut up", "be quiet", "enough",
        "that's enough",
    ),
    "AMAZON.CancelIntent": ("cancel", "cancel that", "never mind", "nevermind", "forget it"),
    "AMAZON.PauseIntent": (
        "pause", "pause it", "hold on", "hold it", "wait", "wait a minute", "wait a second", "one moment",
    ),
    "AMAZON.ResumeIntent": (
        "resume", "continue", "carry on", "keep going", "go on", "unpause", "let's continue",
        "let's carry on",
    ),
    "AMAZON.RepeatIntent": (
        "repeat", "repeat that", "say that again", "say again", "come again", "pardon", "pardon me",
        "what did you say", "once more", "again",
    ),
    "AMAZON.NextIntent": ("next", "next one", "skip", "skip it", "skip this", "move on"),
    "AMAZON.StartOverIntent": (
        "start over", "start again", "restart", "begin again", "from the beginning", "from the top",
        "start from the beginning", "go back to the beginning",
    ),
    "AMAZON.HelpIntent": ("help", "help me", "i need help", "what can i say", "what can i do",
                          "what are my options"),
    "AMAZON.NavigateHomeIntent": ("go home", "home", "go to the home screen", "exit to home"),
}

# Words people drop into requests that change nothing; ignored by the fuzzy match only.
FILLERS = frozenset({"please", "um", "uh", "er", "erm", "hmm", "just", "actually", "like"})

_NEGATIONS = frozenset({"not", "no", "never", "nothing", "nope", "cannot"})

# Two words this alike (difflib ratio), both at least _TYPO_MIN_LETTERS long, are one word misspelt:
# "strat"/"start", "tinglng"/"tingling"; "speak"/"speed" (0.6) are two words, and so are short words
# one letter apart ("feel"/"felt").
_TYPO_RATIO = 0.8
_TYPO_MIN_LETTERS = 5

# Alexa's phrases for opening a skill, and the words that join an invocation to a request.
_LAUNCH_WORDS = r"open|launch|start|begin|load|run|play|use|resume|enable|talk to|ask|tell"
_ASK_WORDS = r"ask|tell"
_JOINERS = r"to|for|about|if|whether|that|and"
_OPEN_JOINERS = r"and|to|for"
_TRAILING = r"using|with|from|on|via"

_NUMBER_RE = r"\d+|(?:{w})(?: (?:{w}))*".format(
    w="|".join(sorted(NUMBER_WORDS, key=len, reverse=True)))
_SLOT_RE = re.compile(r"\{(\w+)\}")


def normalise(text: str) -> str:
    """Lower case; curly quotes straightened; punctuation dropped; spaces collapsed."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"(?<=\d)\.(?=\d)", " point ", text)  # "4.5" stays two numbers, not "45"
    text = re.sub(r"[^a-z0-9' ]+", " ", text.replace(".", ""))
    return " ".join(token.strip("'") for token in text.split() if token.strip("'"))


@dataclass(frozen=True)
class SlotValue:
    """One slot of a resolved intent. raw is None when the person did not fill it."""
    name: str
    type: str
    raw: str | None = None    # the words as heard: "four", "a bit better"
    value: str | None = None  # AMAZON.NUMBER: digits ("4"); custom: the canonical name; phrase: the words
    id: str | None = None     # custom types: the value's id ("better")

    def to_alexa(self, skill_id: str) -> dict[str, Any]:
        """The slot as it appears in an IntentRequest (with entity resolution for custom types)."""
        slot: dict[str, Any] = {"name": self.name, "confirmationStatus": "NONE"}
        if self.raw is None:
            return slot
        spoken = self.value if self.type == NUMBER else self.raw
        slot["value"] = spoken
        slot["source"] = "USER"
        simple: dict[str, Any] = {"type": "Simple", "value": spoken}
        if self.type not in (NUMBER, PHRASE):  # built-in types carry no entity resolution
            match = {"name": self.value, **({"id": self.id} if self.id else {})}
            slot["resolutions"] = simple["resolutions"] = {"resolutionsPerAuthority": [{
                "authority": f"amzn1.er-authority.echo-sdk.{skill_id}.{self.type}",
                "status": {"code": "ER_SUCCESS_MATCH"},
                "values": [{"value": match}],
            }]}
        slot["slotValue"] = simple
        return slot


@dataclass(frozen=True)
class Resolution:
    intent: str                       # an intent name, or "LaunchRequest"
    slots: dict[str, SlotValue] = field(default_factory=dict)  # every slot the intent declares
    invocation: bool = False          # the words named the skill ("alexa, ask back coach to ...")

    @property
    def request_type(self) -> str:
        return LAUNCH if self.intent == LAUNCH else "IntentRequest"


@dataclass(frozen=True)
class _Sample:
    intent: str
    slots: tuple[tuple[str, str], ...]  # (slot name, slot type) in order of appearance
    pattern: re.Pattern[str] | None     # exact matcher for samples with slots
    phrase: bool                        # has a free-words slot: tried only after every other match
    template: str                       # fuzzy form: fillers dropped, each {slot} a one-character mark
    literal_words: int
    unfilled: str                       # the template with its slots left unsaid ("pain level"), or ""


class Resolver:
    """Resolves typed utterances against one locale's interaction model."""

    def __init__(self, model: dict[str, Any], threshold: float = 0.85) -> None:
        lm = language_model(model)
        self.threshold = threshold
        self.invocation_name = normalise(lm["invocationName"])
        # phrase -> (canonical name, id), per custom type
        self._values: dict[str, dict[str, tuple[str, str | None]]] = {
            t["name"]: {
                normalise(phrase): (v["name"]["value"], v.get("id"))
                for v in t["values"]
                for phrase in (v["name"]["value"], *v["name"].get("synonyms", ()))
            }
            for t in lm.get("types", ())
        }
        self._marks: dict[str, str] = {}
        self._slot_types: dict[str, dict[str, str]] = {}
        self._literal: dict[str, str] = {}
        self._samples: list[_Sample] = []
        for intent in lm["intents"]:
            name = intent["name"]
            types = {s["name"]: s["type"] for s in intent.get("slots", ())}
            self._slot_types[name] = types
            for slot_type in types.values():
                if slot_type not in (NUMBER, PHRASE) and slot_type not in self._values:
                    raise ValueError(f"intent {name}: slot type {slot_type} is neither AMAZON.NUMBER, "
                                     "AMAZON.SearchQuery nor a custom type defined in the model")
                self._marks.setdefault(slot_type, chr(0xE000 + len(self._marks)))
            for sample in (*intent.get("samples", ()), *BUILTIN_PHRASES.get(name, ())):
                self._add(name, types, sample)
        self._samples.sort(key=lambda s: -s.literal_words)
        self._invocation_patterns = self._compile_invocation()

    def _add(self, intent: str, types: dict[str, str], sample: str) -> None:
        tokens: list[str] = []
        for part in re.split(r"(\{\w+\})", sample):
            tokens.extend([part] if _SLOT_RE.fullmatch(part) else normalise(part).split())
        refs = [t[1:-1] for t in tokens if _SLOT_RE.fullmatch(t)]
        unknown = [r for r in refs if r not in types]
        if unknown:
            raise ValueError(f"intent {intent}: sample {sample!r} uses undeclared slot {unknown[0]}")
        slots = tuple((r, types[r]) for r in refs)
        phrase = any(slot_type == PHRASE for _, slot_type in slots)
        if phrase and (len(slots) > 1 or len(tokens) == 1):
            raise ValueError(f"intent {intent}: sample {sample!r}: a free-words slot needs a carrier phrase "
                             "and no other slot")
        kept = [t for t in tokens if t not in FILLERS]
        if len(kept) < 2:  # "uh huh" is not "huh", "please do" is not "do"
            kept = tokens
        template = " ".join(self._marks[types[t[1:-1]]] if _SLOT_RE.fullmatch(t) else t for t in kept)
        pattern = None
        if slots:
            pattern = re.compile(" ".join(
                self._slot_regex(types[t[1:-1]]) if _SLOT_RE.fullmatch(t) else re.escape(t)
                for t in tokens))
        else:
            self._literal.setdefault(" ".join(tokens), intent)
        unfilled = [w for w in template.split() if w not in self._marks.values()] if slots else []
        # only a sample with two words left: "a {rating}" unsaid is "a", which means nothing
        self._samples.append(_Sample(intent, slots, pattern, phrase, template, len(tokens) - len(refs),
                                     " ".join(unfilled) if len(unfilled) >= 2 and not phrase else ""))

    def _slot_regex(self, slot_type: str) -> str:
        if slot_type == NUMBER:
            return f"({_NUMBER_RE})"
        if slot_type == PHRASE:
            return "(.+)"
        phrases = sorted(self._values[slot_type], key=len, reverse=True)
        return "(" + "|".join(re.escape(p) for p in phrases) + ")"

    def _compile_invocation(self) -> list[tuple[re.Pattern[str], bool]]:
        """(pattern, one-shot) pairs, tried in order; a one-shot pattern's `rest` group is the request."""
        name = re.escape(self.invocation_name)
        return [
            (re.compile(rf"(?:{_LAUNCH_WORDS}) {name}(?: (?:{_JOINERS}))?"), False),
            (re.compile(rf"(?:{_ASK_WORDS}) {name}(?: (?:{_JOINERS}))? (?P<rest>.+)"), True),
            (re.compile(rf"(?:{_LAUNCH_WORDS}) {name} (?:{_OPEN_JOINERS}) (?P<rest>.+)"), True),
            (re.compile(rf"(?P<rest>.+) (?:{_TRAILING}) {name}"), True),
        ]

    def resolve(self, utterance: str) -> Resolution:
        text = normalise(utterance)
        woke = text == "alexa" or text.startswith("alexa ")
        if woke:
            text = text[len("alexa"):].strip()
        if woke and text == self.invocation_name:
            return Resolution(LAUNCH, invocation=True)
        for pattern, one_shot in self._invocation_patterns:
            m = pattern.fullmatch(text)
            if m and one_shot:
                return self._resolve_request(m.group("rest"), invocation=True)
            if m:
                return Resolution(LAUNCH, invocation=True)
        return self._resolve_request(text, invocation=False)

    def _resolve_request(self, text: str, invocation: bool) -> Resolution:
        found = self._exact(text) or self._fuzzy(text) or self._exact(text, phrase=True)
        if found is None:
            return Resolution(FALLBACK, invocation=invocation)
        intent, filled = found
        slots = {name: filled.get(name, SlotValue(name, slot_type))
                 for name, slot_type in self._slot_types.get(intent, {}).items()}
        return Resolution(intent, slots, invocation)

    def _exact(self, text: str, phrase: bool = False) -> tuple[str, dict[str, SlotValue]] | None:
        """A sample said exactly: literal or with slots; with `phrase`, only the free-words carriers."""
        if not phrase and text in self._literal:
            return self._literal[text], {}
        for sample in self._samples:
            if sample.pattern is None or sample.phrase != phrase:
                continue
            m = sample.pattern.fullmatch(text)
            if m is None:
                continue
            filled = {}
            for (name, slot_type), raw in zip(sample.slots, m.groups()):
                value = self._slot_value(name, slot_type, raw)
                if value is None:
                    break
                filled[name] = value
            else:
                return sample.intent, filled
        return None

    def _slot_value(self, name: str, slot_type: str, raw: str) -> SlotValue | None:
        if slot_type == NUMBER:
            number = parse_number(raw)
            return None if number is None else SlotValue(name, slot_type, raw, str(number))
        if slot_type == PHRASE:
            return SlotValue(name, slot_type, raw, raw)
        canonical, value_id = self._values[slot_type][raw]
        return SlotValue(name, slot_type, raw, canonical, value_id)

    def _fuzzy(self, text: str) -> tuple[str, dict[str, SlotValue]] | None:
        words = [w for w in text.split() if w not in FILLERS]
        plain = " ".join(words)
        marked, heard = self._mark_slot_values(words)
        finding = screen(text)
        best: tuple[float, _Sample] | None = None
        for sample in self._samples:
            if sample.phrase or not finding_allows(sample.intent, finding):
                continue
            strict = sample.intent in _STRICT
            said = marked if sample.slots else plain
            score = _similarity(said, sample.template, strict)
            if len(words) <= len(sample.unfilled.split()):  # the sample said without its slot, no more
                score = max(score, _similarity(plain, sample.unfilled, strict))
            if best is None or score > best[0]:
                best = (score, sample)
        if best is None or best[0] < self.threshold:
            return None
        sample = best[1]
        filled: dict[str, SlotValue] = {}
        queues = {t: list(vals) for t, vals in heard.items()}
        for name, slot_type in sample.slots:
            if queues.get(slot_type):
                raw = queues[slot_type].pop(0)
                value = self._slot_value(name, slot_type, raw)
                if value is not None:
                    filled[name] = value
        return sample.intent, filled

    def _mark_slot_values(self, words: list[str]) -> tuple[str, dict[str, list[str]]]:
        """Replace each slot value heard (longest first) with its type's mark; return what was heard."""
        out: list[str] = []
        heard: dict[str, list[str]] = {}
        i = 0
        while i < len(words):
            span = None
            for j in range(len(words), i, -1):
                phrase = " ".join(words[i:j])
                slot_type = next((t for t in self._marks
                                  if t not in (NUMBER, PHRASE) and phrase in self._values[t]), None)
                if slot_type is None and NUMBER in self._marks and parse_number(phrase) is not None:
                    slot_type = NUMBER
                if slot_type is not None:
                    span = (j, slot_type, phrase)
                    break
            if span is None:
                out.append(words[i])
                i += 1
            else:
                j, slot_type, phrase = span
                out.append(self._marks[slot_type])
                heard.setdefault(slot_type, []).append(phrase)
                i = j
        return " ".join(out), heard


# A near yes or no records a set as pain-free or turns an offer down, so these samples match strictly:
# no misspelling read as meant ("tight" is not "right"), and a bare "it was" or "i didn't" answers only
# at the end of what was said ("yep it was"), not as the start of a statement ("it was hard").
_STRICT = frozenset({"AMAZON.YesIntent", "AMAZON.NoIntent"})
_BARE = frozenset({"i", "it", "that", "was", "wasn't", "did", "didn't", "do", "don't", "is", "isn't"})


def _similarity(said: str, sample: str, strict: bool = False) -> float:
    """Best of: word similarity (misspelt words read as meant unless strict) and the sample said whole
    in a longer sentence. Whole words, not characters: "it didn't" is not "i didn't", nor "that's it"
    "that's right"."""
    if not said or not sample:
        return 0.0
    raw_words, sample_words = said.split(), sample.split()
    # "I'm not ready" is not "I'm ready": a negation on one side only counts heavily against a match.
    penalty = 0.8 if _negations(raw_words) != _negations(sample_words) else 1.0
    said_words = raw_words if strict else [_as_meant(w, sample_words) for w in raw_words]
    words = difflib.SequenceMatcher(None, said_words, sample_words).ratio()
    contained = 0.0
    n, m = len(sample_words), len(said_words)
    starts = range(m - n, m - n + 1) if strict and _BARE.issuperset(sample_words) else range(m - n + 1)
    if 2 <= n < m <= 2 * n and any(said_words[i:i + n] == sample_words for i in starts):
        contained = 0.85 + 0.15 * n / m
    return penalty * max(words, contained)


def _as_meant(word: str, sample_words: list[str]) -> str:
    """The sample's word this one is a misspelling of ("strat" -> "start"), else the word itself."""
    if word in sample_words:
        return word
    for meant in sample_words:
        if word.replace("'", "") == meant.replace("'", ""):
            return meant
        if (min(len(word), len(meant)) >= _TYPO_MIN_LETTERS
                and difflib.SequenceMatcher(None, word, meant).ratio() >= _TYPO_RATIO):
            return meant
    return word


def _negations(words: list[str]) -> set[str]:
    return {w for w in words if w in _NEGATIONS or w.endswith("n't")}

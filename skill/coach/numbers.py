"""Numbers as words, both ways: the one table for what the coach says and what people say."""
from __future__ import annotations

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
         "sixteen seventeen eighteen nineteen").split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_WORD_OF_TENS = {value: word for word, value in _TENS.items()}
UNITS = {word: n for n, word in enumerate(_ONES[:10])} | {"nought": 0}
TEENS = {word: n + 10 for n, word in enumerate(_ONES[10:])}
TENS = dict(_TENS)


def number_word(n: int) -> str:
    """0..99 as the coach says it: "eight", "twenty", "forty-five"."""
    if not 0 <= n < 100 or int(n) != n:
        raise ValueError(f"no word for {n!r}")
    n = int(n)
    if n < 20:
        return _ONES[n]
    tens, ones = divmod(n, 10)
    word = _WORD_OF_TENS[tens * 10]
    return word if ones == 0 else f"{word}-{_ONES[ones]}"


def parse_number(words: str) -> int | None:
    """'4' -> 4, 'four' -> 4, 'twenty one' / 'twenty-one' -> 21, 'a hundred and five' -> 105; None otherwise."""
    tokens = words.replace("-", " ").split()
    if len(tokens) == 1 and tokens[0].isdecimal():
        return int(tokens[0])
    total, chunk, last = 0, 0, None
    for i, token in enumerate(tokens):
        follows_nothing_or_scale = last in (None, "hundred", "thousand", "and")
        if token == "a" and i == 0 and len(tokens) > 1 and tokens[1] in ("hundred", "thousand"):
            chunk, last = 1, "a"
        elif token in UNITS and (follows_nothing_or_scale or last == "ten"):
            if UNITS[token] == 0 and len(tokens) > 1:
                return None
            chunk, last = chunk + UNITS[token], "unit"
        elif token in TEENS and follows_nothing_or_scale:
            chunk, last = chunk + TEENS[token], "teen"
        elif token in TENS and follows_nothing_or_scale:
            chunk, last = chunk + TENS[token], "ten"
        elif token == "hundred" and last in (None, "a", "unit") and chunk < 10:
            chunk, last = (chunk or 1) * 100, "hundred"
        elif token == "thousand" and last is not None and last != "and" and total == 0:
            total, chunk, last = (chunk or 1) * 1000, 0, "thousand"
        elif token == "and" and last in ("hundred", "thousand"):
            last = "and"
        else:
            return None
    if last in (None, "a", "and"):
        return None
    return total + chunk


NUMBER_WORDS = frozenset({*UNITS, *TEENS, *TENS, "hundred", "thousand", "a", "and"})

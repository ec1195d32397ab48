"""Numbers as the coach says them, and the countdown markers shared by every renderer."""
from __future__ import annotations

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
         "nineteen"]
_TENS = {20: "twenty", 30: "thirty", 40: "forty", 50: "fifty", 60: "sixty"}


def number_word(n: int) -> str:
    if 0 <= n < 20:
        return _ONES[n]
    if n in _TENS:
        return _TENS[n]
    if 20 < n < 70:
        return f"{_TENS[n - n % 10]}-{_ONES[n % 10]}"
    raise ValueError(f"no word for {n}")


def countdown_marks(seconds: int) -> list[int]:
    """Seconds-remaining at which a countdown speaks: every ten seconds, then three, two, one.

    A marker at least every 10 s means the silence never feels like a crash."""
    tens = [r for r in range(seconds - 1, 3, -1) if r % 10 == 0]
    return tens + [r for r in (3, 2, 1) if r < seconds]

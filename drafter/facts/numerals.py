"""Chinese numerals, both ways (一 … 九十九), for headings and sub-point markers."""

from __future__ import annotations

DIGITS = "零一二三四五六七八九"
_VALUES = {ch: i for i, ch in enumerate(DIGITS)} | {"两": 2, "〇": 0}


def to_chinese(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 99 -> 九十九. Raises ValueError outside 0..99."""
    if not 0 <= n <= 99:
        raise ValueError(f"numeral out of range: {n}")
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else DIGITS[tens]
    return head + "十" + (DIGITS[ones] if ones else "")


def from_chinese(text: str) -> int | None:
    """一 -> 1, 十二 -> 12, 二十 -> 20; also ASCII digits. None when not a numeral."""
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    if "十" in text:
        head, _, tail = text.partition("十")
        if (head and head not in _VALUES) or (tail and tail not in _VALUES) or len(head) > 1 or len(tail) > 1:
            return None
        return (_VALUES[head] if head else 1) * 10 + (_VALUES[tail] if tail else 0)
    if len(text) == 1 and text in _VALUES:
        return _VALUES[text]
    return None

"""Read stage, years: years written in Chinese numerals (一九九五年, 二〇二一年, 二○○三年) as Arabic ones.

The miner dates a source and slots its years in whatever numeral form they are written; this is the one
place that reads the Chinese form.
"""

from __future__ import annotations

import re

from drafter.rx import quick

_DIGIT = {"〇": "0", "○": "0", "零": "0", "Ｏ": "0", "O": "0", "0": "0"} | {
    ch: str(i) for i, ch in enumerate("一二三四五六七八九", start=1)
}
# Four numeral digits before 年, the first 一 or 二 (a year of the 20th or 21st century).
CN_YEAR = re.compile(
    r"(?<![一二三四五六七八九〇○零十百千万两几])([一二][一二三四五六七八九〇○零Ｏ]{3})(?=年)"
)


def arabic_years(text: str) -> str:
    """The text with every Chinese-numeral year (一九九五年) written in Arabic digits (1995年)."""
    # 19xx holds 九, 20xx holds 〇/○/零: text without them holds no Chinese-numeral year.
    if "年" not in text or not ("九" in text or "〇" in text or "○" in text or "零" in text):
        return text
    return quick(CN_YEAR).sub(_to_arabic, text)  # (behind a test of its first character: drafter.rx)


def _to_arabic(match: re.Match[str]) -> str:
    digits = "".join(_DIGIT.get(ch, "?") for ch in match.group(1))
    if "?" in digits or not ("1900" <= digits <= "2099"):
        return match.group(0)
    return digits

"""Stage: lint, rules ``level`` and ``place``: words of another level (全市政府系统 in a 县 speech) and
names of provinces, prefectures and counties that are neither the target locality nor its province.

The gazetteer is bundled in drafter/data/gazetteer.tsv (from jionlp's division list, built by
scripts/build_gazetteer.py); gazetteer_words.txt holds ordinary words that contain or straddle a short
name (长治久安, 推广|安全 around 广安) so that they are not taken for places.
"""

from __future__ import annotations

import re
from functools import cache

from drafter.facts.vocab import LEVEL_SLOTS
from drafter.lint.context import LintContext, plain
from drafter.lint.gazetteer import load_gazetteer
from drafter.models import LEVELS, Severity

# --- level -----------------------------------------------------------------------------------

_NOT_BEFORE_BEN = "(?<![基资成根样日版文脚剧课账书原])"  # 基本市场, 资本市场 are not 本市


@cache
def _level_patterns() -> dict[str, re.Pattern[str]]:
    """Per level, the words by which a speaker refers to their own 市/县/区 (全县政府系统, 我县, 县直部门 …)."""
    out: dict[str, re.Pattern[str]] = {}
    for index, level in enumerate(LEVELS):
        whole = LEVEL_SLOTS["全市"][index]
        alts = [
            rf"{whole}(?:政府系统|上下|各级各(?:有关)?部门)",
            LEVEL_SLOTS["我市"][index],
            rf"{_NOT_BEFORE_BEN}{LEVEL_SLOTS['本市'][index]}(?![场域])",
            rf"{LEVEL_SLOTS['市直'][index]}(?:各|有关)?(?:部门|机关|单位)",
            rf"各位{LEVEL_SLOTS['副市长'][index]}",
        ]
        if level == "市":
            alts.append(r"(?<!全市)(?<!市内)各县区")
        out[level] = re.compile("|".join(f"(?:{a})" for a in alts))
    return out


def infer_level(ctx: LintContext) -> tuple[str | None, str | None]:
    """The level whose self-words the speech uses most (at least twice, and more than any other)."""
    counts: dict[str, int] = {level: 0 for level in LEVELS}
    for line in ctx.lines:
        text = plain(line.text)
        for level, pattern in _level_patterns().items():
            counts[level] += len(pattern.findall(text))
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    (best, n), (_, second) = ranked[0], ranked[1]
    if n >= 2 and n > second:
        return best, f"据文中“{LEVEL_SLOTS['我市'][LEVELS.index(best)]}”一类说法"
    return None, None


def check_level(ctx: LintContext) -> None:
    if ctx.level not in LEVELS:
        return
    severity: Severity = "error" if ctx.level_given or ctx.locality else "warning"
    index = LEVELS.index(ctx.level)  # type: ignore[arg-type]
    for line in ctx.lines:
        text = plain(line.text)
        for level, pattern in _level_patterns().items():
            if level == ctx.level:
                continue
            for m in pattern.finditer(text):
                word = m.group(0)
                fixed = _to_level(word, index)
                hint = f"，应为“{fixed}”" if fixed != word else ""
                ctx.add(
                    line.number,
                    "level",
                    severity,
                    f"“{word}”是{level}级的说法，本稿是{ctx.level}级讲话{hint}",
                )


def _to_level(word: str, index: int) -> str:
    for forms in sorted(LEVEL_SLOTS.values(), key=lambda f: -max(map(len, f))):
        for form in forms:
            if form in word:
                return word.replace(form, forms[index], 1)
    return word


# --- place -----------------------------------------------------------------------------------


def resolve_locality(locality: str) -> tuple[str, ...]:
    """Codes of the divisions a user's --locality names (汉中市, 汉中, 陕西省汉中市); empty if unknown."""
    gazetteer = load_gazetteer()
    name = re.sub(r"\s+", "", locality)
    if name in gazetteer.by_name:
        return gazetteer.by_name[name]
    # 陕西省汉中市城固县: the last division named
    found = [word for _s, _e, word in find_places(name)]
    return gazetteer.by_name[found[-1]] if found else ()


def allowed_codes(codes: tuple[str, ...]) -> set[str]:
    """The locality itself, the divisions above it, and those directly below it."""
    gazetteer = load_gazetteer()
    allowed: set[str] = set()
    for code in codes:
        allowed.update(d.code for d in gazetteer.lineage(code))
        allowed.update(gazetteer.children(code))
    return allowed


def find_places(text: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of every division named in ``text``, ordinary words left out."""
    gazetteer = load_gazetteer()
    out: list[tuple[int, int, str]] = []
    pos = 0
    last_end = -1
    while hit := gazetteer.scan(text, pos):
        start, word = hit
        end = start + len(word)
        if word in gazetteer.masks:
            pos = end
            continue
        if _straddled(text, start, end, last_end, gazetteer.bigrams) or _followed_by_word(text, word, end):
            pos = start + 1
            continue
        out.append((start, end, word))
        last_end = end
        pos = end
    return out


def _straddled(text: str, start: int, end: int, last_end: int, bigrams: frozenset[str]) -> bool:
    """推广安全 hides 广安: an ordinary two-character word across a short name's edge."""
    if end - start != 2:
        return False
    if start > 0 and start != last_end and text[start - 1 : start + 1] in bigrams:
        return True
    return end < len(text) and text[end - 1 : end + 1] in bigrams


def _followed_by_word(text: str, word: str, end: int) -> bool:
    """和平区域, 某某市场: the suffix belongs to an ordinary word."""
    nxt = text[end : end + 1]
    return (word[-1] in "区县市" and nxt == "域") or (word[-1] == "市" and nxt == "场")


# District names that are also ordinary words (老解放区, 创建平安区县): a place only after its city's
# name (焦作市解放区) or before 委/政府 (解放区委).
_WORD_LIKE = frozenset(
    [
        "解放区",
        "平安区",
        "新兴区",
        "红旗区",
        "光明区",
        "向阳区",
        "前进区",
        "东风区",
        "工农区",
        "友好区",
        "爱民区",
        "安定区",
        "太平区",
        "长寿区",
        "大同区",
    ]
)
_AS_PLACE_AFTER = re.compile(r"^(?:委|政府|人民政府|人大|政协|纪委)")


def _word_not_place(text: str, start: int, end: int, word: str) -> bool:
    if word not in _WORD_LIKE:
        return False
    if _AS_PLACE_AFTER.match(text[end:]):
        return False
    gazetteer = load_gazetteer()
    for code in gazetteer.by_name.get(word, ()):
        parent = gazetteer.divisions[code].parent
        names = (
            [gazetteer.divisions[parent].name, *gazetteer.divisions[parent].aliases]
            if parent in gazetteer.divisions
            else []
        )
        if any(n and text[:start].endswith(n) for n in names):
            return False
    return True


# Quotations (“…”) and footnotes cite other people's words: not the speech's own places. Titles (《…》)
# stay checked: 《安康市…若干措施》 in another city's speech is a copied document.
_QUOTED = re.compile(r"“[^“”]*”|「[^「」]*」")
_FOOTNOTE = re.compile(r"^(?:注[\d：:释]|[①②③④⑤⑥⑦⑧⑨⑩]|[［\[]\d{1,3}[］\]]|（注|资料来源|参考文献|来源[：:])")


def _speech_text(text: str) -> str:
    """The line with quotations blanked (same length, so positions still hold)."""
    return _QUOTED.sub(lambda m: "\u3000" * len(m.group(0)), text)


# What a text calls its own area: 全国/我国 (national), 全省/我省 (provincial), 全市/全县/全区 (local).
_SCOPE_WORDS = {
    "national": re.compile(
        r"全国(?!人民代表大会|人大|政协|先进|文明|优秀|百强|示范|重点|统一)|我国|国务院(?:常务会议|各部门)|中央和国家机关"
    ),
    "province": re.compile(r"全省|我省|本省|省委省政府(?=的?坚强领导)|全区各族|全自治区"),
    "local": re.compile(r"全[市县区](?!域)|我[市县区]|本[市县区](?![场域])"),
}
_PROVINCE_GOVERNMENT_RE = re.compile(r"([\u4e00-\u9fff]{2,8}?(?:省|自治区))人民政府")


def text_scope(ctx: LintContext) -> tuple[str, str | None]:
    """("national" | "province" | "local", the province's name for a provincial text). A national or
    provincial text (a government work report, a provincial speech) may name places all over its area."""
    counts = {scope: 0 for scope in _SCOPE_WORDS}
    for line in ctx.lines:
        text = plain(line.text)
        for scope, pattern in _SCOPE_WORDS.items():
            counts[scope] += len(pattern.findall(text))
    head = " ".join(plain(line.text) for line in ctx.lines[:6])
    if re.search(
        r"国务院总理|全国人民代表大会第|国务院(?:第[一二三四五六七八九十]+次)?廉政工作会议上的讲话", head
    ):
        counts["national"] += 10
    best = max(counts, key=lambda k: counts[k])
    if best == "local" or counts[best] < 3 or counts[best] <= 2 * counts["local"]:
        return "local", None
    if best == "national":
        return "national", None
    m = _PROVINCE_GOVERNMENT_RE.search(head)
    return "province", (m.group(1) if m else None)


def _most_named_province(ctx: LintContext) -> str | None:
    """The province most of a provincial text's place names belong to."""
    gazetteer = load_gazetteer()
    tally: dict[str, int] = {}
    for line in ctx.lines:
        for _s, _e, word in find_places(_speech_text(plain(line.text))):
            provinces = {gazetteer.province_of(c).name for c in gazetteer.by_name.get(word, ())}
            if len(provinces) == 1:
                name = provinces.pop()
                tally[name] = tally.get(name, 0) + 1
    return max(tally, key=lambda k: tally[k]) if tally else None


_OWN_GOVERNMENT_RE = re.compile(r"([\u4e00-\u9fff]{2,12}?[市县区旗])人民政府")


def infer_locality(ctx: LintContext) -> str | None:
    """The place a speech names as its own in its title or byline (在汉中市人民政府廉政工作会议上的讲话)."""
    for line in ctx.lines[:6]:
        for m in _OWN_GOVERNMENT_RE.finditer(plain(line.text)):
            if resolve_locality(m.group(1)):
                return m.group(1)
    return None


def check_places(ctx: LintContext) -> None:
    gazetteer = load_gazetteer()
    scope, home_province = text_scope(ctx)
    if scope == "national":
        return  # a national text names places all over the country
    given = ctx.locality is not None
    locality = ctx.locality or infer_locality(ctx)
    codes = resolve_locality(locality) if locality else ()
    if scope == "province" and home_province is None:
        home_province = gazetteer.province_of(codes[0]).name if codes else _most_named_province(ctx)
    allowed = allowed_codes(codes)
    if scope == "province" and home_province and (province_codes := resolve_locality(home_province)):
        # a provincial text: every place in that province is its own
        wanted = set(province_codes)
        allowed = {c for c in gazetteer.divisions if gazetteer.province_of(c).code in wanted}
        allowed |= wanted
        codes, locality = tuple(province_codes), home_province
    severity: Severity = "error" if given and codes else "warning"
    home = ""
    if codes:
        first = gazetteer.divisions[codes[0]]
        province = gazetteer.province_of(first.code)
        home = first.name if province.code == first.code else f"{first.name}（{province.name}）"
        home += "" if given else "（据标题）"
    for line in ctx.lines:
        seen: set[str] = set()
        raw = plain(line.text)
        if _FOOTNOTE.match(raw):
            continue
        text = _speech_text(raw)
        for start, end, word in find_places(text):
            if _word_not_place(text, start, end, word):
                continue
            word_codes = gazetteer.by_name.get(word, ())
            if not word_codes or word in seen or allowed.intersection(word_codes):
                continue
            if locality and word in (locality, locality.rstrip("市县区")):
                continue
            seen.add(word)
            where = _describe(word, word_codes)
            if codes:
                message = f"外地地名“{word}”{where}，本稿是{home}的讲话；如是引用外地经验可忽略"
            elif given:
                message = f"地名“{word}”{where}：地名表中没有“{locality}”，无法判断是否外地，请自行核对"
            else:
                message = f"地名“{word}”{where}：请确认是本地或有意引用（用 --locality 指定本地可精确检查）"
            ctx.add(line.number, "place", severity, message)


def _describe(word: str, codes: tuple[str, ...]) -> str:
    gazetteer = load_gazetteer()
    parts = []
    for code in codes[:2]:
        lineage = gazetteer.lineage(code)
        above = [d.name for d in reversed(lineage[1:])]
        if above:
            parts.append("".join(above) + lineage[0].name if lineage[0].name != word else "".join(above))
        elif lineage[0].name != word:
            parts.append(lineage[0].name)
    return f"（{'；'.join(parts)}）" if parts else ""

"""Stage: lint, rules on what a speech says (all warnings, each with what to write instead):

- ``scope``: another place's programs and documents (“三本账”, 省委、县委十项规定, 《宝鸡市…条例》) and
  words bound to one moment or episode (最近, 今年以来, 今年上半年, 正在起草, 今年“五一”, 几次疫情处置);
- ``placename``: the full place name where writers use the short one or the level word
  (谱写中国式现代化汉阴县建设新篇章 -> …建设的汉阴新篇章; 为城固县未来发展 -> 为全县未来发展);
- ``levelfit``: content that does not fit the speech's level (县处级干部 in a county, 市县乡村四级联动 in
  a county, 对照中省市部署 in a city);
- ``typo``: the curated confusion list of drafter.facts.typos (侯会, 尤其在是在, 截止{date} …).
"""

from __future__ import annotations

import re

from drafter.facts.placenames import short_place_name
from drafter.facts.typos import find_typos
from drafter.lint.context import LintContext, excerpt, plain
from drafter.lint.places import find_places, infer_locality, load_gazetteer, resolve_locality
from drafter.mine.scope import KIND_LABELS, level_misfits, scope_flags

CONTENT_RULES: dict[str, tuple[str, str]] = {
    "scope": ("warning", "只属于某地的做法、文件，只在某个时刻成立的说法，正文没有交代的事"),
    "placename": ("warning", "口号和“……新篇章”中用全称的地名（应写简称或“全县”）"),
    "levelfit": ("warning", "与讲话层级不符的内容（县级讲话中的“县处级干部”“市县乡村四级联动”）"),
    "typo": ("warning", "常见错别字：侯会、尤其在是在、截止（日期前）、既使、其它"),
}

_NAME = r"[\u4e00-\u9fff]{2,8}?(?:市|县|区|旗)"
_NOT_NAME = re.compile(r"^(?:全|我|本|各|该|省|市|县|区|辖|这|那|其|每)")
_NEW_CHAPTER = re.compile(rf"(中国式现代化|高质量发展|现代化)?({_NAME})(建设|发展)?新篇章")
_FUTURE = re.compile(rf"为({_NAME})(未来|长远|高质量|经济社会)发展")


def _place_name(candidate: str, locality: str | None) -> str:
    """The place a lazily matched "…县" really names: the speech's own place, else the longest known
    place name it ends with (谱写洋县 -> 洋县), else the candidate as it is."""
    if locality and candidate.endswith(locality):
        return locality
    by_name = load_gazetteer().by_name
    for start in range(len(candidate) - 1):
        if candidate[start:] in by_name:
            return candidate[start:]
    return candidate


def _place_forms(ctx: LintContext, text: str, number: int) -> None:
    for m in _NEW_CHAPTER.finditer(text):
        name = _place_name(m.group(2), ctx.locality)
        if _NOT_NAME.match(name) or (ctx.locality and not name.endswith(ctx.locality[-1:])):
            continue
        short = short_place_name(name)
        if short == name:
            continue
        prefix = (m.group(1) or "") + (m.group(3) or "建设")
        written = (m.group(1) or "") + name + (m.group(3) or "") + "新篇章"
        ctx.add(
            number,
            "placename",
            "warning",
            f"“{written}”：口号中地名用简称，写成“{prefix}的{short}新篇章”",
        )
    for m in _FUTURE.finditer(text):
        name = m.group(1)
        if _NOT_NAME.match(name):
            continue
        whole = "全" + (ctx.level or name[-1])
        ctx.add(
            number,
            "placename",
            "warning",
            f"“{m.group(0)}”：本地自称写成“为{whole}{m.group(2)}发展”",
        )


def _home_codes(ctx: LintContext) -> set[str]:
    """The speech's own division and those above it (its city, its province)."""
    locality = ctx.locality or infer_locality(ctx)
    codes = resolve_locality(locality) if locality else ()
    gazetteer = load_gazetteer()
    return {d.code for code in codes for d in gazetteer.lineage(code)}


def _own_document(title: str, home: set[str]) -> bool:
    """A 《…》 title named after the speech's own place or its superiors (《陕西省…条例》 in Shaanxi)."""
    if not home:
        return False
    gazetteer = load_gazetteer()
    names = [word for _s, _e, word in find_places(title)]
    return bool(names) and all(home.intersection(gazetteer.by_name.get(word, ())) for word in names)


def check_content(ctx: LintContext) -> None:
    """Add the scope, placename, levelfit and typo findings of every line."""
    home = _home_codes(ctx)
    for line in ctx.lines:
        text = plain(line.text)
        seen: set[str] = set()
        for flag in scope_flags(text):
            name = flag.match.strip("“”")
            if flag.match.startswith("《") and _own_document(flag.match, home):
                continue  # the speech's own or its province's regulation
            if any(name in s or s in name for s in seen):
                continue  # a name said several times in one paragraph is reported once
            seen.add(name)
            what = excerpt(text, flag.start, flag.end, around=4)
            shown = flag.match if "“" in flag.match or flag.match.startswith("《") else f"“{flag.match}”"
            ctx.add(
                line.number,
                "scope",
                "warning",
                f"{shown}是{KIND_LABELS[flag.kind]}（{flag.reason}）：{flag.instead}。原文：{what}",
            )
        _place_forms(ctx, text, line.number)
        if ctx.level:
            for misfit in level_misfits(text):
                if ctx.level in misfit.levels:
                    continue
                instead = misfit.instead.get(ctx.level, "")
                tail = f"，可写成“{instead}”" if instead else "，请删去或改写"
                ctx.add(
                    line.number,
                    "levelfit",
                    "warning",
                    f"“{misfit.match}”不适合{ctx.level}级讲话：{misfit.reason}{tail}",
                )
        for hit in find_typos(text):
            ctx.add(line.number, "typo", "warning", f"错别字“{hit.found}”，应为“{hit.instead}”（{hit.why}）")

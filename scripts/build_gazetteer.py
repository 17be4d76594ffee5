"""Development-time tool: build drafter/data/gazetteer.tsv and gazetteer_words.txt for `drafter lint`.

Not run by drafter itself (nothing needs the network at run time). Inputs, both from PyPI wheels/sdists
fetched with ``pip download --no-deps``:

- jionlp (Apache-2.0): ``jionlp/dictionary/china_location.zip`` -> ``china_location.txt``, the divisions
  of China (province / prefecture / county, with short names). Only the first three levels are kept.
- jieba (MIT): ``jieba/dict.txt``, a word-frequency dictionary. It supplies the ordinary words that
  contain a place's short name (长治久安, 大同小异, 孙中山) and the two-character words that would straddle
  one (推广|安全 hides 广安, 聚焦|作风 hides 焦作), so the linter does not mistake them for places.

Usage: python scripts/build_gazetteer.py CHINA_LOCATION_TXT JIEBA_DICT_TXT
"""

from __future__ import annotations

import sys
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent.parent / "drafter" / "data"
SOURCE_NOTE = (
    "jionlp 1.5.31 (Apache-2.0), jionlp/dictionary/china_location.zip: china_location.txt, "
    "https://github.com/dongrixinyu/JioNLP"
)
WORDS_NOTE = "jieba 0.42.1 (MIT), jieba/dict.txt, https://github.com/fxsjy/jieba"

# Left out: Hong Kong, Macao and Taiwan (their names occur in national, not local, contexts).
SKIP_PROVINCES = ("81", "82", "71")
ZONE_WORDS = ("开发区", "产业园", "工业园", "示范区", "管理区", "高新技术")
# Short names never matched on their own (ordinary words, or the capital in national contexts);
# their full names (朝阳市, 安康市 …) are still matched.
NO_ALIAS = {"北京", "朝阳", "来宾", "大同", "安康", "吉林市", "省直辖"}
# Generic district names: only characters like these (城区, 郊区, 东区, 市中区, 新城区) name no one place.
GENERIC_CHARS = set("东西南北中城新老市郊矿区关")
# Phrases with a place name in them that speeches use in national contexts.
EXTRA_MASKS = (
    "幸福安康",
    "阖家安康",
    "北京时间",
    "北京冬奥",
    "北京冬残奥",
    "上海合作组织",
    "延安精神",
    "延安时期",
    "延安整风",
    "遵义会议",
    "遵义精神",
    "井冈山精神",
    "井冈山时期",
    "红船精神",
    "嘉兴南湖",
    "大庆精神",
    "大庆油田",
    "三明医改",
    "海南自由贸易港",
    "海南自贸港",
    "浦东开发",
    "雄安新区",
    "长白山",
    "文山会海",
    "新乡贤",
    "新乡村",
    "世界大同",
    "兰考",
)
PLACE_SUFFIXES = ("省", "市", "县", "区", "州", "盟", "旗", "地区", "自治", "人", "籍", "话")
MASK_MIN_FREQ = 3
BIGRAM_MIN_FREQ = 50


def read_divisions(path: Path) -> list[tuple[str, str, str, str, list[str]]]:
    """(code, name, level, parent_code, aliases) for provinces, prefectures and counties."""
    out: list[tuple[str, str, str, str, list[str]]] = []
    province = city = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        depth = len(raw) - len(raw.lstrip("\t"))
        if depth > 2:
            continue
        parts = raw.strip("\t").split("\t")
        if len(parts) != 3:
            continue  # entries without a code (Taiwan's districts)
        name, code, alias = parts
        if code[:2] in SKIP_PROVINCES or name.startswith("省直辖"):
            if depth == 1:
                city = ""
            continue
        aliases = [a for a in alias.split("/") if a and a != name]
        if depth == 0:
            province = code
            out.append((code, name, "province", "", aliases))
        elif depth == 1:
            if name == out[-1][1] and out[-1][2] == "province":  # 北京市 under 北京市
                city = code
                continue
            city = code
            out.append((code, name, "city", province, aliases))
        else:
            if 70 <= int(code[-2:]) <= 79 or any(k in name for k in ZONE_WORDS):
                continue  # development zones (经开区, 高新区): not administrative divisions
            base = alias.split("/")[0] or name[:-1]
            if set(base) <= GENERIC_CHARS:
                continue
            parent = city if city and city[:4] == code[:4] else province
            out.append((code, name, "county", parent, aliases))
        if name.endswith("自治州"):
            short = aliases[0] if aliases else ""
            if short and short + "州" not in aliases:
                aliases.append(short + "州")
    return out


def matched_aliases(divisions: list[tuple[str, str, str, str, list[str]]]) -> set[str]:
    names: set[str] = set()
    for _code, _name, level, _parent, aliases in divisions:
        for alias in aliases:
            if alias in NO_ALIAS or len(alias) < 2:
                continue
            if level == "county" and len(alias) < 3:
                continue
            names.add(alias)
    return names


def read_jieba(path: Path) -> dict[str, tuple[int, str]]:
    """word -> (frequency, part-of-speech tag)."""
    words: dict[str, tuple[int, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3:
            words[parts[0]] = (int(parts[1]), parts[2])
    return words


def build_words(
    divisions: list[tuple[str, str, str, str, list[str]]], words: dict[str, tuple[int, str]]
) -> tuple[list[str], list[str]]:
    aliases = matched_aliases(divisions)
    place_words = {n for d in divisions for n in (d[1], *d[4])}
    masks: set[str] = set(EXTRA_MASKS)
    for word, (freq, tag) in words.items():
        if freq < MASK_MIN_FREQ or len(word) < 3 or word in place_words:
            continue
        inside = [a for a in aliases if a in word]
        if inside and not any(_names_place(word, tag, a) for a in inside):
            masks.add(word)
    heads = {a[0] for a in aliases if len(a) == 2}
    tails = {a[-1] for a in aliases if len(a) == 2}
    bigrams = sorted(
        w
        for w, (f, _tag) in words.items()
        if len(w) == 2 and f >= BIGRAM_MIN_FREQ and w not in place_words and (w[1] in heads or w[0] in tails)
    )
    bigrams += ["乡贤", "营商"]
    return sorted(masks), sorted(set(bigrams))


def _names_place(word: str, tag: str, alias: str) -> bool:
    """上海浦东新区, 中共福建省委, 陕西人: the word still names the place, so it is no mask."""
    if word.startswith(alias) and tag in ("ns", "nt"):
        return True
    at = word.find(alias) + len(alias)
    return word[at:].startswith(PLACE_SUFFIXES)


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__)
        return 2
    for given in argv[1:]:
        if not Path(given).is_file():
            print(f"错误：找不到文件 {given}", file=sys.stderr)
            print(
                "提示：两个输入文件的来源见本脚本开头的说明（pip download --no-deps jionlp jieba）。",
                file=sys.stderr,
            )
            return 1
    try:
        divisions = read_divisions(Path(argv[1]))
        words = read_jieba(Path(argv[2]))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        print(f"错误：无法读取输入文件：{e}", file=sys.stderr)
        print("提示：请给出 china_location.txt 和 jieba 的 dict.txt（UTF-8）。", file=sys.stderr)
        return 1
    masks, bigrams = build_words(divisions, words)
    lines = [
        "# drafter lint 的行政区划地名表：省、地、县三级（不含港澳台）。由 scripts/build_gazetteer.py 生成，勿手改。",
        f"# 来源：{SOURCE_NOTE}",
        "# 已去掉各类开发区、高新区（统计用代码末两位为 7x）和 城区/郊区/东区 一类泛称。",
        "# 列：code<TAB>name<TAB>level<TAB>parent<TAB>aliases（逗号分隔）<TAB>match（哪些简称也单独匹配，逗号分隔）",
    ]
    for code, name, level, parent, aliases in divisions:
        match = [a for a in aliases if a in matched_aliases([(code, name, level, parent, [a])])]
        lines.append("\t".join((code, name, level, parent, ",".join(aliases), ",".join(match))))
    (OUT_DIR / "gazetteer.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    word_lines = [
        "# drafter lint 的常用词表：含地名简称的普通词（mask）和可能跨在简称边界上的双字词（bigram）。",
        f"# 由 scripts/build_gazetteer.py 生成，勿手改。来源：{WORDS_NOTE}，另加少量手工词语。",
        *(f"mask\t{w}" for w in masks),
        *(f"bigram\t{w}" for w in bigrams),
    ]
    (OUT_DIR / "gazetteer_words.txt").write_text("\n".join(word_lines) + "\n", encoding="utf-8")
    print(f"{len(divisions)} divisions, {len(masks)} mask words, {len(bigrams)} bigrams")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

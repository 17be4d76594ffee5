"""Cleaning: resellers' ads, watermarks, contact lines and page furniture go; punctuation and spacing
are normalised; a sentence repeated verbatim is kept once; line numbers stay those of the file."""

from __future__ import annotations

from pathlib import Path

from drafter.models import SourceLine, SourceText
from drafter.read.clean import clean_source, is_dirt, normalize_text, split_sentences_quoted
from drafter.read.sources import read_source

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _source(*texts: str) -> SourceText:
    return SourceText(Path("x.txt"), "utf-8", tuple(SourceLine(i, t) for i, t in enumerate(texts, start=1)))


def test_seed_002_loses_every_ad_and_keeps_its_title() -> None:
    source = read_source(SEEDS / "002_267f086385aef8a6.txt")
    kept = source.text
    for dirt in (
        "仅供学习",
        "禁止外传",
        "酷乐文行",
        "QQ",
        "206157060",
        "会员群",
        "打击倒卖",
        "订阅立享",
        "自建平台",
    ):
        assert dirt not in kept, dirt
    removed = {line.number for line in source.removed}
    assert {1, 2, 5, 7, 8, 9, 18, 43} <= removed
    assert source.lines[0] == SourceLine(16, "在市政府第三次廉政工作会议上的讲话")
    assert source.lines[1] == SourceLine(19, "同志们：")
    assert [line.number for line in source.removed] == sorted(line.number for line in source.removed)


def test_seed_003_repeated_sentences_are_kept_once() -> None:
    text = read_source(SEEDS / "003_c1f2ed010dd07385.txt").text
    assert text.count("完成行政效能审计项目*个，有力促进了工作落实。") == 1
    assert text.count("让执法既有力度、更有温度。") == 1
    raw = (SEEDS / "003_c1f2ed010dd07385.txt").read_text(encoding="utf-8")
    assert raw.count("让执法既有力度、更有温度。") == 2


def test_contact_lines_and_page_furniture_are_removed() -> None:
    source = clean_source(
        _source(
            "在县政府廉政工作会议上的讲话",
            "同志们：",
            "今天我们召开会议。",
            "- 2 -",
            "第3页 共9页",
            "联系电话：0912-1234567",
            "更多范文请关注微信公众号",
            "资料来源：某某写作网 service@example.com",
            "要强化监督。",
        )
    )
    assert [line.text for line in source.lines] == [
        "在县政府廉政工作会议上的讲话",
        "同志们：",
        "今天我们召开会议。",
        "要强化监督。",
    ]
    assert [line.number for line in source.lines] == [1, 2, 3, 9]
    assert len(source.removed) == 5


def test_inline_reseller_signature_is_cut_from_a_speech_line() -> None:
    source = clean_source(_source("同志们：", "要强化监督。酷乐文行整理，咨询QQ206157060"))
    assert [line.text for line in source.lines] == ["同志们：", "要强化监督。"]


def test_normalize_punctuation_and_spacing() -> None:
    assert (
        normalize_text("习近平总书记指出, “全面从严治党”、 “政治腐败”。 全市")
        == "习近平总书记指出，“全面从严治党”、“政治腐败”。全市"
    )
    assert normalize_text("不该去的地方不去,不该做的事情不做!") == "不该去的地方不去，不该做的事情不做！"
    assert normalize_text("\ufeff\u3000落实 “四个不摘”要求 ") == "落实“四个不摘”要求"
    assert normalize_text('他说"要干净干事"。') == "他说“要干净干事”。"


def test_dirt_is_not_speech() -> None:
    assert is_dirt("免费QQ群：123456")
    assert is_dirt("【打击倒卖活动】")
    assert not is_dirt("要加大信访积案化解力度，依法打击非访行为。")


def test_sentences_keep_quotations_whole() -> None:
    text = "习近平总书记强调，“全面从严治党永远在路上。各级党组织要担负起主体责任。”我们要从点滴抓起。"
    assert split_sentences_quoted(text) == [
        "习近平总书记强调，“全面从严治党永远在路上。各级党组织要担负起主体责任。”",
        "我们要从点滴抓起。",
    ]
    assert split_sentences_quoted("他说“好。") == ["他说“好。"]  # unbalanced: plain split

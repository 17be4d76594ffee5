"""Cleaning: resellers' ads, watermarks, contact lines and page furniture go; punctuation and spacing
are normalised; a sentence repeated verbatim is kept once; line numbers stay those of the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.models import SourceLine, SourceText
from drafter.read.clean import clean_source, is_dirt, normalize_text
from drafter.read.sentences import split_sentences_quoted
from drafter.read.sources import read_source
from drafter.read.webclean import clean_web, is_chrome, split_line, strip_html
from drafter.read.years import arabic_years

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


# --- real sources: web pages, HTML, books (drafter.read.webclean) --------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "请使用微信扫描二维码登录。",
        "请使用微信扫一扫二维码完成支付。",
        "开通VIP会员，海量文档免费下载",
        "发布时间：2023-02-20 浏览次数：1286",
        "来源：某某网　责任编辑：王五",
        "上一篇：在全县经济工作会议上的讲话",
        "热门搜索：廉政讲话 表态发言",
        "相关文章",
        "分享到：微信 微博",
        "首页 > 范文 > 正文",
    ],
)
def test_web_chrome_lines(line: str) -> None:
    assert is_chrome(line)


@pytest.mark.parametrize(
    "line",
    [
        "要拓宽群众监督渠道，公布举报电话、网站和信箱，认真受理群众来信来访，对反映的问题件件有着落。",
        "资金来源要合法合规。",
        "同志们：",
        "一、关于正确认识当前形势",
    ],
)
def test_speech_lines_are_not_chrome(line: str) -> None:
    assert not is_chrome(line)


def test_html_tags_become_lines_and_entities_text() -> None:
    pieces, removed = strip_html(
        "<p><b>二、关于加强政府系统自身建设</b></p><p>有的干部&nbsp;作风不实&amp;担当不够。</p>"
    )
    assert [p for p in pieces if p.strip()] == [
        "二、关于加强政府系统自身建设",
        "有的干部 作风不实&担当不够。",
    ]
    assert "<b>" in removed and "</b>" in removed


def test_one_line_speech_is_split() -> None:
    body = "各级政府要切实把党风廉政建设摆在更加突出的位置，主要负责同志要亲自抓、负总责。" * 3
    text = f"在全县廉政工作会议上的讲话同志们：今天召开会议。下面，我讲两点意见。一、压实责任。{body}二、改进作风。{body}"
    pieces = split_line(text)
    assert pieces[:3] == ["在全县廉政工作会议上的讲话", "同志们：", "今天召开会议。下面，我讲两点意见。"]
    assert pieces[3].startswith("一、压实责任。") and pieces[4].startswith("二、改进作风。")


def test_an_enumeration_inside_a_long_paragraph_stays() -> None:
    text = (
        "要抓好三件事。"
        + "第一，要压实责任。"
        + "各级各部门要把党风廉政建设摆在突出位置，层层传导压力。" * 8
        + "第二，要改进作风。"
    )
    assert split_line(text) == [text]


def test_footnotes_editor_notes_and_stray_characters() -> None:
    lines = tuple(
        SourceLine(i, t)
        for i, t in enumerate(
            [
                "同志们：",
                "反腐败斗争是严重的政治斗争〔1〕，必须坚持不懈。オ",
                "要坚持两手抓，，两手都要硬。。",
                "注释",
                "〔1〕见《邓小平文选》第三卷，人民出版社1993年版。",
                "这一行在注释之后，也不是讲话。",
            ],
            start=1,
        )
    )
    kept, removed = clean_web(lines)
    assert [line.text for line in kept] == [
        "同志们：",
        "反腐败斗争是严重的政治斗争，必须坚持不懈。",
        "要坚持两手抓，两手都要硬。",
    ]
    assert {(line.number, line.text) for line in removed} >= {
        (2, "〔1〕"),
        (2, "オ"),
        (4, "注释"),
        (6, "这一行在注释之后，也不是讲话。"),
    }


def test_a_lone_note_word_without_notes_does_not_end_the_speech() -> None:
    lines = tuple(
        SourceLine(i, t) for i, t in enumerate(["同志们：", "要压实责任。", "说明", "要改进作风。"], start=1)
    )
    kept, _ = clean_web(lines)
    assert [line.text for line in kept][-1] == "要改进作风。"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一九九五年，全县查处案件", "1995年，全县查处案件"),
        ("二〇二一年和二○○三年", "2021年和2003年"),
        ("十一二年来", "十一二年来"),
        ("三四年", "三四年"),
    ],
)
def test_chinese_numeral_years(text: str, expected: str) -> None:
    assert arabic_years(text) == expected

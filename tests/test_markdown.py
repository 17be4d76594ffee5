"""drafter.read.markdown: a .md speech as plain paragraphs, one line out per line in."""

from __future__ import annotations

from drafter.read.markdown import inline_text, markdown_lines


def test_headings_lists_quotes_and_breaks() -> None:
    lines = [
        "# 在汉中市人民政府廉政工作会议上的讲话 #",
        "",
        "## 一、提高政治站位",
        "- 一要压实责任。",
        "* 二要强化监督。",
        "> 同志们，",
        "1. 第一条",
        "***",
        "标题",
        "===",
    ]
    out = markdown_lines(lines)
    assert len(out) == len(lines)
    assert out[0] == "在汉中市人民政府廉政工作会议上的讲话"
    assert out[2] == "一、提高政治站位"
    assert out[3:6] == ["一要压实责任。", "二要强化监督。", "同志们，"]
    assert out[6] == "1. 第一条"  # a speech's own numbering stays
    assert out[7] == "" and out[8] == "标题" and out[9] == ""


def test_inline_syntax_leaves_only_text() -> None:
    assert inline_text("**一要**压实*主体*责任，__二要__强化_监督_。") == "一要压实主体责任，二要强化监督。"
    assert inline_text("见[通知](http://x.cn/a)和`代码`、![图](a.png)<br/>。\\*号") == "见通知和代码、图。*号"
    assert inline_text("snake_case_name 和 2*3 不是强调") == "snake_case_name 和 2*3 不是强调"


def test_front_matter_and_fences() -> None:
    lines = ["---", "title: 草稿", "---", "同志们：", "```", "# 不是标题", "```"]
    out = markdown_lines(lines)
    assert out[:3] == ["", "", ""] and out[3] == "同志们："
    assert out[5] == "# 不是标题" and out[4] == out[6] == ""


def test_stars_standing_for_numbers_stay_for_lint() -> None:
    line = "全年查处**起，处理**人，增长*.*%，**加强**监督。"
    assert inline_text(line) == "全年查处**起，处理**人，增长*.*%，加强监督。"

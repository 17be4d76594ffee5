"""`drafter outline`: the recovered skeleton of the seeds, of drafts shaped like the composer's, of
GBK / UTF-16 / auto-numbered .docx inputs — and never a crash on any text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from speechdocs import SPEECH, speech_docx
from typer.testing import CliRunner

from drafter.cli import app
from drafter.mine.outline import outline_source, paragraph_marker, parse_speech
from drafter.models import SourceLine, SourceText
from drafter.read.sources import read_source

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
runner = CliRunner()

EXPECTED = {
    "000_286e9747093eda74.txt": (8, None),
    "001_72772b59ca55cb1f.txt": (5, 5),
    "002_267f086385aef8a6.txt": (5, None),
    "003_c1f2ed010dd07385.txt": (4, 4),
    "004_7b3dd490df3a5935.txt": (3, 3),
}


def _outline_json(path: Path) -> dict[str, object]:
    result = runner.invoke(app, ["outline", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _speech(*texts: str) -> SourceText:
    return SourceText(
        Path("draft.txt"), "utf-8", tuple(SourceLine(i, t) for i, t in enumerate(texts, start=1))
    )


@pytest.mark.parametrize(("name", "expected"), EXPECTED.items())
def test_seed_outlines(name: str, expected: tuple[int, int | None]) -> None:
    data = _outline_json(SEEDS / name)
    assert set(data) == {"title", "announced", "parts"}
    parts = data["parts"]
    assert isinstance(parts, list)
    assert (len(parts), data["announced"]) == expected
    for part in parts:
        assert set(part) == {"heading", "points"}
        assert all(isinstance(p, str) and p for p in part["points"])


def test_seed_001_headings_and_points() -> None:
    data = _outline_json(SEEDS / "001_72772b59ca55cb1f.txt")
    parts = data["parts"]
    assert isinstance(parts, list)
    assert [p["heading"] for p in parts] == [
        "深化思想认识，不断增强反腐倡廉的行动自觉",
        "保持政治定力，深入推进政府系统全面从严治党",
        "强化源头治腐，严格规范行政权力运行",
        "从严正风肃纪，坚决打赢反腐败这场硬仗",
        "坚持勤政有为，推动各项工作落地落实",
    ]
    assert parts[0]["points"] == []  # part one reviews last year
    assert parts[2]["points"] == ["持续推进“放管服”改革", "强化重点领域精准监管", "加强干部教育培训"]
    assert parts[3]["points"][0] == "从严查处腐败问题"
    assert data["title"] is None


def test_seed_structure_review_problems_closing() -> None:
    speech = parse_speech(read_source(SEEDS / "000_286e9747093eda74.txt"))
    assert speech.review is not None and len(speech.review.items) == 7
    assert speech.problems is not None and len(speech.problems.items) == 6
    assert speech.problems.tail.startswith("这些问题充分说明")
    assert [line.number for line in speech.situation] == [5]
    assert speech.parts_intro is not None and speech.parts_intro.number == 6
    assert [part.line for part in speech.parts] == list(range(7, 15))
    assert [line.number for line in speech.closing] == [15]
    assert speech.heading_style is None and speech.level == "市" and speech.year == 2021

    speech = parse_speech(read_source(SEEDS / "001_72772b59ca55cb1f.txt"))
    assert speech.announced == 5 and speech.announce_line == 2
    assert len(speech.review.items) == 5 and len(speech.problems.items) == 5  # type: ignore[union-attr]
    assert [line.number for line in speech.extras] == [27]
    assert speech.closing[0].text.startswith("同志们，")
    assert speech.parts[2].points[0].items[0].marker == "一要"  # （一） holds 一要 … 三要
    assert speech.sections[:3] == ("opening", "part", "review")

    speech = parse_speech(read_source(SEEDS / "002_267f086385aef8a6.txt"))
    assert speech.title is not None and speech.title.text == "在市政府第三次廉政工作会议上的讲话"
    assert [p.marker for p in speech.parts[4].points] == ["一是", "二要", "三要", "四要", "五要"]

    speech = parse_speech(read_source(SEEDS / "003_c1f2ed010dd07385.txt"))
    assert speech.heading_style == "第一，" and speech.level == "县" and speech.year == 2023
    assert speech.review is not None and [i.title for i in speech.review.items][:2] == [
        "旗帜鲜明讲政治",
        "转变职能优服务",
    ]

    speech = parse_speech(read_source(SEEDS / "004_7b3dd490df3a5935.txt"))
    assert speech.level == "区"
    assert speech.problems is not None and len(speech.problems.items) == 3
    assert speech.parts[1].points[3].items[0].title == "从严抓好国资国企监管"


def test_composer_shaped_draft_with_yi_headings() -> None:
    speech = parse_speech(
        _speech(
            "在汉中市人民政府廉政工作会议上的讲话",
            "汉中市人民政府市长　【姓名】",
            "（2026年【X】月【X】日）",
            "同志们：",
            "今天，我们召开市政府廉政工作会议。下面，我讲四点意见。",
            "一、认清形势，正视问题",
            "过去一年，全市政府系统党风廉政建设取得新成效。",
            "一是政治建设持续加强。坚持第一议题制度。",
            "二是作风建设扎实推进。持续纠治“四风”。",
            "看到成绩的同时，我们也要清醒地认识到存在的问题。",
            "一是责任落实还有差距。个别单位压得不实。",
            "二、强化监督，规范权力运行",
            "（一）加强财政资金监管。要严格预算约束。",
            "（二）强化重点领域监管。要紧盯工程建设领域。",
            "三、从严正风肃纪",
            "一要从严查处腐败问题。要紧盯重点领域。",
            "二要深化拓展民生监督。要整治群众身边腐败。",
            "四、勤政有为，狠抓落实",
            "一要坚持实干担当。要真抓实干。",
            "同志们，让我们奋发有为，不断开创新局面！",
        )
    )
    outline = outline_source(speech.source)
    assert outline.title == "在汉中市人民政府廉政工作会议上的讲话"
    assert outline.announced == 4
    assert [p.heading for p in outline.parts] == [
        "认清形势，正视问题",
        "强化监督，规范权力运行",
        "从严正风肃纪",
        "勤政有为，狠抓落实",
    ]
    assert outline.parts[1].points == ("加强财政资金监管", "强化重点领域监管")
    assert outline.parts[2].points == ("从严查处腐败问题", "深化拓展民生监督")
    assert outline.parts[0].points == ()
    assert speech.review is not None and len(speech.review.items) == 2
    assert speech.problems is not None and len(speech.problems.items) == 1
    assert speech.closing[0].number == 20


def test_composer_shaped_draft_with_di_yi_headings() -> None:
    outline = outline_source(
        _speech(
            "同志们：",
            "刚才，几位同志作了发言。下面，我讲三点意见。",
            "第一，提高政治站位，扛牢管党治党责任",
            "一要强化政治建设。要增强“四个意识”。",
            "二要压实主体责任。要落实“一岗双责”。",
            "第二，聚焦重点领域，强化监督制约",
            "一是加强审计监督。要推进审计全覆盖。",
            "第三，驰而不息纠治“四风”",
            "（一）持续整治形式主义。要精文减会。",
            "同志们，全面从严治党永远在路上。",
        )
    )
    assert outline.announced == 3
    assert [p.style for p in outline.parts] == ["第一，"] * 3
    assert [p.heading for p in outline.parts] == [
        "提高政治站位，扛牢管党治党责任",
        "聚焦重点领域，强化监督制约",
        "驰而不息纠治“四风”",
    ]
    assert outline.parts[0].points == ("强化政治建设", "压实主体责任")
    assert outline.parts[2].points == ("持续整治形式主义",)


@pytest.mark.parametrize("encoding", ["gbk", "utf-16"])
def test_outline_of_gbk_and_utf16_files(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"speech-{encoding}.txt"
    path.write_bytes("\r\n".join(SPEECH).encode(encoding))
    data = _outline_json(path)
    assert data["title"] == "在全县政府廉政工作会议上的讲话"
    assert data["announced"] == 3
    parts = data["parts"]
    assert isinstance(parts, list)
    assert [p["heading"] for p in parts] == [
        "认清形势，切实增强做好廉政工作的责任感",
        "突出重点，扎实推进政府系统廉政建设",
        "压实责任，推动全面从严治党向纵深发展",
    ]
    assert parts[1]["points"] == ["加强财政资金监管", "强化重点领域监管"]
    assert parts[2]["points"] == ["压实主体责任", "强化监督制约"]


def test_outline_of_docx_with_automatic_numbering(tmp_path: Path) -> None:
    data = _outline_json(speech_docx(tmp_path / "speech.docx"))
    parts = data["parts"]
    assert isinstance(parts, list)
    assert len(parts) == 3 and data["announced"] == 3
    assert parts[1]["points"] == ["加强财政资金监管", "强化重点领域监管"]


def test_outline_human_output_and_errors(tmp_path: Path) -> None:
    result = runner.invoke(app, ["outline", str(SEEDS / "000_286e9747093eda74.txt")])
    assert result.exit_code == 0
    assert "主体部分：8 个，无标题（任务段落）" in result.stdout
    assert "回顾成绩：7 条（第 3 行）" in result.stdout
    result = runner.invoke(app, ["outline", str(SEEDS / "003_c1f2ed010dd07385.txt")])
    assert "  第二，要以更实的举措，扎紧笼子强化监督（第 7 行）" in result.stdout
    assert "宣布：讲 4 点意见（第 2 行）" in result.stdout

    result = runner.invoke(app, ["outline", str(tmp_path / "missing.txt")])
    assert result.exit_code == 1
    assert "missing.txt" in result.stderr and "文件不存在" in result.stderr
    plain = tmp_path / "plain.txt"
    plain.write_text("这是一段没有结构的文字。", encoding="utf-8")
    result = runner.invoke(app, ["outline", str(plain), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"title": None, "announced": None, "parts": []}


def test_paragraph_markers() -> None:
    assert paragraph_marker("一、认清形势") is not None
    assert paragraph_marker("一、二季度经济运行平稳") is None
    assert paragraph_marker("第三，要以更大的力度").number == 3  # type: ignore[union-attr]
    assert paragraph_marker("第一次全会召开") is None
    assert paragraph_marker("十二要坚持依法行政。").number == 12  # type: ignore[union-attr]
    assert paragraph_marker("2.38亿元资金") is None
    assert paragraph_marker("（3）加强监管").style == "（1）"  # type: ignore[union-attr]


_LINE_TEXT = st.text(
    alphabet=st.sampled_from(
        list("一二三四五是要第，、。；：（）()“”同志们1.X*讲点意见年以来问题成效今年最后\n 　") + ["\ufeff"]
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINE_TEXT, max_size=25))
def test_outline_never_crashes_on_marker_soup(texts: list[str]) -> None:
    source = _speech(*texts)
    speech = parse_speech(source)
    outline = outline_source(source)
    assert len(outline.parts) == len(speech.parts)
    json.dumps(outline.to_json(), ensure_ascii=False)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=60), max_size=12))
def test_outline_never_crashes_on_any_text(texts: list[str]) -> None:
    outline_source(_speech(*texts))


@pytest.mark.parametrize(
    ("text", "head", "year"),
    [
        ("2022年，全县政府系统认真落实主体责任，取得明显成效。\n今年要继续努力。", "", 2023),
        ("过去的2021年，我们完成了各项任务。", "", 2022),
        ("一九九五年，全县反腐败斗争取得了阶段性成果。", "", 1996),
        ("要继续治理公路“三乱”。", "在一九九六年全县廉政工作会议上的讲话", 1996),
        ("要坚持两手抓。", "在中央纪委全会上的讲话\n（一九九五年一月十六日）", 1995),
        ("要做好各项工作。", "", None),
    ],
)
def test_year_from_the_text_in_any_numeral_form(text: str, head: str, year: int | None) -> None:
    from drafter.mine.outline import guess_year

    assert guess_year(text, head=head) == year


@pytest.mark.parametrize(
    ("sentence", "count"),
    [
        ("下面，我讲两个问题。", 2),
        ("我讲三个方面的意见。", 3),
        ("今天我讲四点意见。", 4),
        ("我强调五条要求。", 5),
    ],
)
def test_announcements(sentence: str, count: int) -> None:
    text = f"标题的讲话\n同志们：\n{sentence}\n一、第一部分\n要做好工作。\n二、第二部分\n要改进作风。"
    source = SourceText(
        Path("a.txt"), "utf-8", tuple(SourceLine(i, t) for i, t in enumerate(text.split("\n"), 1))
    )
    assert outline_source(source).announced == count

"""Mining the speeches writers actually collect: web copies, HTML, one-line texts, headingless speeches,
footnoted book texts, 1990s texts with Chinese-numeral years, Word files with heading styles, GBK files.

Each fixture in tests/data/messy/ has its expected outline and the entries it must and must not yield.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from drafter.bank.load import load_bank_dir
from drafter.cli import app
from drafter.facts.vocab import LEVEL_SLOTS, level_values, render_slots
from drafter.mine.candidates import MinedSpeech, mine_file
from drafter.mine.generalize import Locale, generalize_unit
from drafter.mine.outline import outline_source
from drafter.models import LEVELS, MIN_YEAR
from drafter.read.sources import read_source

MESSY = Path(__file__).parent / "data" / "messy"
runner = CliRunner()

# Nothing of these may reach an entry, whatever the source.
CHROME = re.compile(
    r"二维码|登录|扫一扫|支付|VIP|会员|发布时间|浏览次数|来源|责任编辑|上一篇|下一篇|热门搜索|相关文章|分享到"
)
TAGS = re.compile(r"<[^>]*>|&[a-z]+;|&#\d+;")
FOOTNOTE = re.compile(r"〔|〕|\[\d+\]|[①-⑳]|文选|出版社|年版|选自|本篇|注释")
FOREIGN = re.compile("[\u3040-\u30ff\uac00-\ud7af\u0400-\u04ff]")
CN_YEAR = re.compile(r"[一二][一二三四五六七八九〇○零]{3}年")


def _mine(name: str) -> MinedSpeech:
    return mine_file(MESSY / name)


def _texts(mined: MinedSpeech) -> list[str]:
    return [entry.text for entry in mined.entries]


def _assert_clean(mined: MinedSpeech) -> None:
    for entry in mined.entries:
        for pattern in (CHROME, TAGS, FOOTNOTE, FOREIGN, CN_YEAR):
            assert not pattern.search(entry.text), (pattern.pattern, entry.text)
        assert "。。" not in entry.text and "，，" not in entry.text, entry.text


def _headings(name: str) -> list[str | None]:
    return [part.heading for part in outline_source(read_source(MESSY / name)).parts]


# --- web copy with chrome ------------------------------------------------------------------------


def test_web_copy_loses_its_chrome_and_keeps_its_speech() -> None:
    source = read_source(MESSY / "web_copy.txt")
    assert {line.number for line in source.removed} == {1, 2, 3, 4, 5, 18, 19, 20, 21, 22, 23}
    outline = outline_source(source)
    assert outline.title == "在2023年县政府廉政工作会议上的讲话"
    assert outline.announced == 3
    assert [part.heading for part in outline.parts] == [
        "充分肯定过去一年的工作成效",
        "准确把握当前面临的形势任务",
        "扎实做好今年政府系统廉政工作",
    ]
    assert outline.parts[2].points == ("坚定不移加强政治建设", "持之以恒纠治“四风”", "强化权力运行制约监督")
    mined = _mine("web_copy.txt")
    _assert_clean(mined)
    roles = {entry.role for entry in mined.entries}
    assert {"opening", "review_intro", "review_item", "heading", "point", "closing"} <= roles
    assert any(t.startswith("作风建设持续深化。") for t in _texts(mined))


# --- HTML copy -----------------------------------------------------------------------------------


def test_html_copy_headings_in_tags_are_headings() -> None:
    outline = outline_source(read_source(MESSY / "html_copy.txt"))
    assert outline.title == "在全市政府系统廉政工作会议上的讲话"
    assert outline.announced == 3  # 我讲三个问题
    assert [part.heading for part in outline.parts] == [
        "关于正确认识当前党风廉政建设形势",
        "关于加强政府系统自身建设",
        "关于落实全面从严治党主体责任",
    ]
    assert [len(part.points) for part in outline.parts] == [2, 3, 2]  # 第一，… stay sub-points
    mined = _mine("html_copy.txt")
    _assert_clean(mined)
    assert "有的干部作风不实、担当不够" in "".join(_texts(mined))  # &nbsp; gone, words joined


# --- one-line text ---------------------------------------------------------------------------------


def test_one_line_text_is_split_into_title_salutation_and_parts() -> None:
    source = read_source(MESSY / "one_line.txt")
    texts = [line.text for line in source.lines]
    assert texts[:3] == ["在全区2024年政府廉政工作会议上的讲话", "（2024年3月8日）", "同志们："]
    outline = outline_source(source)
    assert outline.title == "在全区2024年政府廉政工作会议上的讲话"
    assert outline.announced == 2  # 我讲两个问题
    assert [part.heading for part in outline.parts] == [
        "坚决扛起全面从严治党政治责任",
        "持续深化作风建设和廉洁政府建设",
    ]
    mined = _mine("one_line.txt")
    roles = [entry.role for entry in mined.entries]
    assert roles.count("opening") == 1 and "closing" in roles
    assert all("讲话" not in text and "同志们：" not in text for text in _texts(mined))
    closing = next(e for e in mined.entries if e.role == "closing")
    assert closing.text.startswith("同志们，让我们以更加务实的作风")


# --- headingless speech ----------------------------------------------------------------------------


def test_headingless_speech_is_read_by_content() -> None:
    mined = _mine("headingless.txt")
    speech = mined.speech
    assert speech.review is not None and speech.review.intro.startswith("过去一年")
    assert speech.problems is not None and speech.problems.intro.startswith("同时也要清醒看到")
    assert len(speech.parts) == 11  # each task paragraph is a point
    roles = [entry.role for entry in mined.entries]
    assert roles.count("opening") <= 0.15 * len(roles), roles
    assert roles.count("opening") >= 1
    assert roles.count("point") >= 11
    assert {"review_intro", "problem_intro", "closing"} <= set(roles)
    point_texts = [e.text for e in mined.entries if e.role == "point"]
    assert any(t.startswith("要加强财政资金监管") for t in point_texts)
    assert not any(e.text.startswith("过去一年") for e in mined.entries if e.role in ("opening", "point"))


# --- footnotes, editor's notes, stray kana -------------------------------------------------------


def test_footnote_section_and_markers_never_reach_an_entry() -> None:
    source = read_source(MESSY / "footnotes.txt")
    removed = {line.number: line.text for line in source.removed}
    assert {12, 13, 14, 15, 16} <= set(removed)  # 注释, two notes, the editor's note, the source line
    assert removed[6] in ("〔1〕", "オ")
    outline = outline_source(source)
    assert [part.heading for part in outline.parts] == [
        "充分认识反腐败斗争的长期性",
        "坚持标本兼治，综合治理",
        "加强领导干部廉洁自律",
    ]
    mined = _mine("footnotes.txt")
    _assert_clean(mined)
    assert mined.speech.year == 1995  # from its byline （一九九五年一月十六日）
    assert any(t.startswith("要坚持两手抓、两手都要硬的方针，一手抓改革开放") for t in _texts(mined))
    assert not any("红军" in t or "邓小平" in t for t in _texts(mined))


# --- 1990s text with Chinese-numeral years -------------------------------------------------------


def test_old_text_is_dated_and_its_years_are_slotted() -> None:
    mined = _mine("old_1990s.txt")
    assert mined.speech.year == 1996
    assert [p.heading for p in mined.speech.parts][:2] == ["继续抓好领导干部廉洁自律", "集中力量查办大案要案"]
    _assert_clean(mined)
    assert mined.entries
    for entry in mined.entries:
        assert entry.years.end is not None and entry.years.end < MIN_YEAR, entry
        assert not any(year in entry.years for year in range(MIN_YEAR, 2031))
    texts = "".join(_texts(mined))
    assert "{上年}年，" in texts and "1995" not in texts and "1996" not in texts
    # a paragraph pointing back or speaking of the author does not stand alone
    assert not any(t.startswith(("对这个问题", "作者认为")) for t in _texts(mined))
    assert any("指代前文" in s.reason for s in mined.skipped)


def test_old_material_never_reaches_a_2026_draft(tmp_path: Path) -> None:
    """Through the CLI: mine old sources into a bank, draft 2026 with it; lifting the dating (the
    writer's call) lets the same material in, so the check can fail."""
    dated = tmp_path / "dated"
    result = runner.invoke(
        app, ["mine", str(MESSY / "old_1990s.txt"), str(MESSY / "footnotes.txt"), "--bank", str(dated)]
    )
    assert result.exit_code == 0, result.output
    entries, _ = load_bank_dir(dated)
    assert entries and all(str(entry.years) == f"-{MIN_YEAR - 1}" for entry in entries)
    lifted = tmp_path / "lifted"
    shutil.copytree(dated, lifted)
    for path in lifted.glob("*.yaml"):
        path.write_text(
            re.sub(r"^\s*years: '?-\d{4}'?\n", "", path.read_text(encoding="utf-8"), flags=re.M),
            encoding="utf-8",
        )
    markers = (
        "约法三章",
        "大案要案",
        "两手都要硬",
        "五条规定",
        "生死存亡",
        "有案必查",
        "重要议事日程",
        "决不手软",
    )

    def old_material(bank: Path, seed: int) -> list[str]:
        out = tmp_path / f"{bank.name}-{seed}.txt"
        args = ["draft", "-y", "2026", "-l", "某县", "--level", "县", "--bank", str(bank), "--format", "txt"]
        args += ["-t", "惩治腐败,作风建设,主体责任", "--seed", str(seed), "-o", str(out), "-f"]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        text = out.read_text(encoding="utf-8")
        return [m for m in markers if m in text]

    seeds = range(1, 5)
    assert any(old_material(lifted, seed) for seed in seeds)
    for seed in seeds:
        assert old_material(dated, seed) == []


# --- Word heading styles ---------------------------------------------------------------------------


def test_docx_heading_styles_become_headings(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("在全县政府廉政工作会议上的讲话", level=1)
    document.add_paragraph("同志们：")
    document.add_paragraph(
        "今天召开县政府廉政工作会议，安排部署今年全县政府系统廉政工作。下面，我讲两个问题。"
    )
    document.add_heading("压紧压实管党治党政治责任", level=1)
    document.add_heading("强化主体责任落实", level=2)
    document.add_paragraph("各级政府和部门要切实扛起全面从严治党主体责任，主要负责同志要履行第一责任人职责。")
    document.add_heading("深化作风建设", level=2)
    document.add_paragraph("要锲而不舍落实中央八项规定精神，坚决整治形式主义、官僚主义，切实为基层减负。")
    document.add_heading("加强权力运行制约监督", level=1)
    document.add_paragraph("要聚焦重点领域和关键环节，健全廉政风险防控机制，推动权力在阳光下运行。")
    path = tmp_path / "styled.docx"
    document.save(str(path))
    outline = outline_source(read_source(path))
    assert outline.title == "在全县政府廉政工作会议上的讲话"
    assert outline.announced == 2
    assert [part.heading for part in outline.parts] == ["压紧压实管党治党政治责任", "加强权力运行制约监督"]
    assert outline.parts[0].points == ("强化主体责任落实", "深化作风建设")
    mined = mine_file(path)
    headings = {e.text for e in mined.entries if e.role == "heading"}
    assert {"压紧压实管党治党政治责任", "加强权力运行制约监督"} <= headings


# --- GBK file with names and the speaker's own place ---------------------------------------------


def test_gbk_names_and_short_place_never_reach_an_entry() -> None:
    raw = (MESSY / "names_gbk.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    mined = _mine("names_gbk.txt")
    assert mined.source.encoding in ("gb18030", "gbk")
    assert mined.speech.place == "赤水"
    assert _headings("names_gbk.txt") == ["提高政治站位，扛牢主体责任", "强化监督制约，规范权力运行"]
    texts = "".join(_texts(mined))
    for leak in ("国宗", "宗平", "战书", "克志", "赤水", "莅赤", "书记", "局长"):
        assert leak not in texts, leak
    assert any(t.startswith("要深化“放管服”改革") for t in _texts(mined))
    assert any(t.startswith("各部门要切实履行“一岗双责”") for t in _texts(mined))
    # what was dropped for a name is counted
    assert sum("人名" in s.reason or "地名" in s.reason for s in mined.skipped) >= 3


# --- generalisation never loses a word -----------------------------------------------------------

_NEUTRAL = (
    "要坚持以人民为中心的发展思想",
    "持续深化作风建设",
    "加强对权力运行的制约和监督",
    "切实减轻基层负担",
    "认真落实中央和省的决策部署",
    "推动党风廉政建设向纵深发展",
    "坚决纠治形式主义、官僚主义",
    "健全廉政风险防控机制",
)
_OWN = ("全市", "市委", "市政府", "市纪委监委", "市直", "各县区", "我市", "市级")
_FIGURES = ("查处案件{n}起", "资金{n}万元", "下降{n}%", "{year}年")


@st.composite
def _sentences(draw: st.DrawFn) -> tuple[str, str, int]:
    level = draw(st.sampled_from(LEVELS))
    index = LEVELS.index(level)
    year = draw(st.integers(2019, 2030))
    pieces = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.integers(0, 2))
        neutral = draw(st.sampled_from(_NEUTRAL))
        if kind == 0:
            pieces.append(neutral)
        elif kind == 1:
            word = LEVEL_SLOTS[draw(st.sampled_from(_OWN))][index]
            pieces.append(word + neutral)
        else:
            figure = draw(st.sampled_from(_FIGURES))
            n = draw(st.integers(1, 999))
            shown = str(draw(st.sampled_from((year, year - 1, 2015)))) if "{year}" in figure else str(n)
            pieces.append(figure.replace("{n}", shown).replace("{year}", shown))
    return "，".join(pieces) + "。", level, year


def _mask_numbers(text: str) -> str:
    text = re.sub(r"【X[^】]*】", "#", text)
    return re.sub(r"\d+(?:\.\d+)?(?:亿元|万元|元|万|%)?", "#", text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_sentences())
def test_generalising_then_rendering_gives_back_the_sentence(case: tuple[str, str, int]) -> None:
    text, level, year = case
    generalized = generalize_unit(text, Locale(level=level, year=year))
    assume(generalized.text)
    values = level_values(level) | {"年份": str(year), "上年": str(year - 1)}
    assert _mask_numbers(render_slots(generalized.text, values)) == _mask_numbers(text)


@pytest.mark.parametrize("level", ["县", "区"])
def test_superior_in_a_list_is_never_half_dropped(level: str) -> None:
    text = f"认真落实中央、省、市委、政府和{level}委的决策部署。"
    generalized = generalize_unit(text, Locale(level=level))
    if generalized.text:  # kept whole or not at all
        assert render_slots(generalized.text, level_values(level)) == text
    pair = f"坚决贯彻省委、省政府和市委、市政府的部署，推动全{level}廉政建设。"
    kept = generalize_unit(pair, Locale(level=level))
    assert render_slots(kept.text, level_values(level)).startswith("坚决贯彻省委、省政府")


def test_one_text_never_gets_two_roles() -> None:
    for path in sorted(MESSY.glob("*.txt")):
        mined = mine_file(path)
        texts = [entry.text for entry in mined.entries]
        assert len(texts) == len(set(texts)), path.name


def test_dry_run_lists_what_cleaning_removed(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["mine", str(MESSY / "web_copy.txt"), "--bank", str(tmp_path / "b"), "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "清洗删去 [web_copy.txt:2] 请使用微信扫描二维码登录。" in result.output
    assert "清洗删去 [web_copy.txt:22]" in result.output
    assert not (tmp_path / "b").exists()


# --- lint: the dirt rule on real sources ---------------------------------------------------------


def _dirt(name: str) -> list[tuple[int, str]]:
    from drafter.lint import analyze_source

    result = analyze_source(read_source(MESSY / name, clean=False))
    return [(f.line, f.message) for f in result.findings if f.rule == "dirt"]


def test_lint_dirt_catches_web_chrome_tags_footnotes_and_a_glued_title() -> None:
    web = _dirt("web_copy.txt")
    assert [line for line, _ in web] == [1, 18]
    assert "第 1–5 行是网页上的栏目文字" in web[0][1] and "第 18–23 行" in web[1][1]
    html_lines = {line for line, message in _dirt("html_copy.txt") if "网页标签" in message}
    assert {2, 3, 5, 8, 12} <= html_lines
    notes = _dirt("footnotes.txt")
    assert (12, "第 12–17 行是注释，不是讲话内容，请删除：“注释”") in notes
    assert any(line == 6 and "オ" in message for line, message in notes)
    assert any(line == 6 and "〔1〕" in message for line, message in notes)
    assert any("标题和称呼连在一行" in message for _, message in _dirt("one_line.txt"))
    assert _dirt("headingless.txt") == []

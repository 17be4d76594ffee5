"""Issue 11: the speech is planned first (the genre's core arc) and each part filled with its own material.

Over years 2019-2030 x 市/县/区 x three seeds, composed without export (fast)."""

from __future__ import annotations

import itertools
import re
from functools import cache
from pathlib import Path

import pytest
from conftest import make_bank

from drafter.bank import load_bank
from drafter.draft.compose import PlannedDraft, compose_draft
from drafter.draft.context import DEFAULT_LENGTH, DraftParams, build_context
from drafter.draft.plan import ARC, MAX_POINTS, MIN_POINTS, PROBLEM_ORDER, REVIEW_ORDER, PartKind, plan_kinds
from drafter.draft.report import render_report
from drafter.draft.select import PART_HEADING_STYLES, Selector, has_lead, titled
from drafter.facts.subjects import OFF_GENRE, main_subject, off_genre, subject_scores
from drafter.models import Bank

YEARS = range(2019, 2031)
PLACES = {"市": "汉中市", "县": "城固县", "区": "汉台区"}
SEEDS = (1, 2, 3)
KINDS: dict[str, PartKind] = {k.key: k for arc in ARC.values() for k in arc}
_SUB_RE = re.compile(r"^(?:（[一二三四五六七八九十]+）|[一二三四五六七八九十]+[要是])")


@cache
def _bank() -> Bank:
    return load_bank()


@cache
def _draft(year: int, level: str, seed: int, points: int = 4) -> PlannedDraft:
    params = DraftParams(year=year, locality=PLACES[level], level=level, seed=seed, points=points)
    draft = compose_draft(build_context(params), _bank())
    assert isinstance(draft, PlannedDraft)
    return draft


def _task_sections(draft: PlannedDraft) -> list[tuple[str, list[str]]]:
    """(heading, body paragraphs) of each task part: the last len(outline) first-level sections."""
    sections: list[tuple[str, list[str]]] = []
    for block in draft.blocks:
        if block.kind == "heading1":
            sections.append((block.text, []))
        elif sections and block.kind == "body":
            sections[-1][1].append(block.text)
    return sections[len(sections) - len(draft.outline) :]


MATRIX = [(y, lv, s) for y in YEARS for lv in PLACES for s in SEEDS]


@pytest.mark.parametrize(("year", "level", "seed"), MATRIX)
def test_core_arc_and_parts_hold_their_own_material(year: int, level: str, seed: int) -> None:
    draft = _draft(year, level, seed)
    keys = [p["part"] for p in draft.outline]
    assert keys[:2] == ["责任", "作风"], keys
    assert any(KINDS[k].topic in ("惩治腐败", "重点领域") for k in keys[2:]), keys
    subjects: list[str] = []
    for part in draft.outline:
        kind = KINDS[part["part"]]
        points = part["points"]
        assert MIN_POINTS <= len(points) <= MAX_POINTS, (part["part"], len(points))
        for point in points:
            if point["entry"]:  # a 【】 point left for the writer has no entry
                assert point["topic"] in kind.topics, (part["part"], point)
                if point["subject"]:
                    assert point["subject"] in kind.subjects, (part["part"], point)
                    subjects.append(point["subject"])
    assert len(subjects) == len(set(subjects)), subjects  # no subject twice across the task parts
    # nor a point that dwells (3+ mentions) on a subject another point was chosen for
    by_id = _bank().by_id()
    for part in draft.outline:
        for point in part["points"]:
            if point["entry"]:
                dwelt = {s for s, hits in subject_scores(by_id[point["entry"]].text).items() if hits >= 3}
                assert not (dwelt & (set(subjects) - {point["subject"]})), (point, dwelt)


@pytest.mark.parametrize(("year", "level", "seed"), MATRIX)
def test_one_style_per_part_and_real_part_headings(year: int, level: str, seed: int) -> None:
    draft = _draft(year, level, seed)
    by_id = _bank().by_id()
    for (heading, bodies), part in zip(_task_sections(draft), draft.outline, strict=True):
        title = re.sub(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+，)", "", heading)
        assert not title.startswith("要") and "。" not in title, heading
        numbered = [b for b in bodies if _SUB_RE.match(b)]
        assert len(numbered) == len(part["points"]), (heading, numbered)
        markers = {_SUB_RE.match(b).group(0)[-1] if not b.startswith("（") else "（" for b in numbered}  # type: ignore[union-attr]
        assert len(markers) == 1, (heading, markers)
        if part["style"] == "（一）":
            for body in numbered:
                text = _SUB_RE.sub("", body)
                assert text.startswith("【") or titled(text), body
        for point in part["points"]:
            entry = by_id.get(point["entry"])
            if entry is not None:
                assert not text_repeats(title, entry.text)
    heading_ids = [i for b in draft.blocks if b.kind == "heading1" for i in b.entry_ids]
    for entry_id in heading_ids:
        assert by_id[entry_id].style in PART_HEADING_STYLES, by_id[entry_id]


def text_repeats(title: str, text: str) -> bool:
    from drafter.draft.select import repeats_heading

    return repeats_heading(title, text)


@pytest.mark.parametrize(("year", "level", "seed"), MATRIX)
def test_review_is_one_argument(year: int, level: str, seed: int) -> None:
    context = build_context(DraftParams(year=year, locality=PLACES[level], level=level, seed=seed))
    plan = Selector(context, _bank()).plan(n_task_parts=3, fixed_chars=0)
    achievements, problems = plan.review["achievements"], plan.review["problems"]
    assert 4 <= len(achievements) <= 6 and 3 <= len(problems) <= 4
    for items, order in ((achievements, REVIEW_ORDER), (problems, PROBLEM_ORDER)):
        assert all(has_lead(p.text) for p in items)
        subjects = [p.subject for p in items]
        assert len(set(subjects)) == len(subjects), subjects
        ranks = [next(i for i, family in enumerate(order) if p.topics[0] in family) for p in items]
        assert ranks == sorted(ranks), ranks  # responsibility, conduct, key areas, corruption
        # no two items dwell on one subject or open with the same lead ("重点领域…" twice)
        dwelt = [{s for s, hits in subject_scores(p.text).items() if hits >= 3} | {p.subject} for p in items]
        for one, two in itertools.combinations(range(len(items)), 2):
            assert not (dwelt[one] & dwelt[two]), (items[one].text[:20], items[two].text[:20])
    assert next(i for i, f in enumerate(REVIEW_ORDER) if achievements[0].topics[0] in f) == 0
    covered = {next(i for i, f in enumerate(PROBLEM_ORDER) if p.topics[0] in f) for p in problems}
    assert {0, 1} <= covered and covered & {2, 3}  # responsibility, conduct, key areas or corruption


def _paragraphs(draft: PlannedDraft) -> set[str]:
    return {b.text for b in draft.blocks if b.kind == "body" and len(b.text) > 60}


@pytest.mark.parametrize("level", list(PLACES))
@pytest.mark.parametrize("year", YEARS)
def test_seeds_share_at_most_30_percent(year: int, level: str) -> None:
    for a, b in itertools.combinations(SEEDS, 2):
        one, two = _paragraphs(_draft(year, level, a)), _paragraphs(_draft(year, level, b))
        assert len(one & two) / min(len(one), len(two)) <= 0.3, (a, b)
    plans = {tuple(p["heading"] for p in _draft(year, level, s).outline) for s in SEEDS}
    assert len(plans) > 1  # the headings vary, not only the order of parts


@pytest.mark.parametrize(("year", "level", "seed"), MATRIX)
def test_no_off_genre_material_or_broken_joins(year: int, level: str, seed: int) -> None:
    draft = _draft(year, level, seed)
    for block in draft.blocks:
        if block.kind == "body" and block.entry_ids:
            assert off_genre(block.text) is None or block.text.startswith("最后"), block.text
    assert not re.search(r"(深入|扎实)开展\1", draft.text)
    assert "增长【" not in draft.text


def test_default_length_is_a_20_to_25_minute_speech() -> None:
    assert DEFAULT_LENGTH == 7000
    from drafter import api

    assert api.DEFAULT_LENGTH == DEFAULT_LENGTH


@pytest.mark.parametrize("points", [3, 4, 5])
def test_three_four_and_five_part_arcs(points: int) -> None:
    keys = [p["part"] for p in _draft(2026, "县", 1, points=points).outline]
    n = len(keys)
    assert keys == [k.key for k in ARC[n]], keys
    if n == 3:
        assert keys[-1] == "监督与惩治"
    if n == 5:
        assert "重点领域" in keys and "权力监督" in keys


def test_user_topics_still_win() -> None:
    params = DraftParams(year=2025, locality="汉中市", level="市", seed=2, topics=("审计监督",))
    draft = compose_draft(build_context(params), _bank())
    assert isinstance(draft, PlannedDraft)
    first = draft.outline[0]
    assert first["part"] == "审计监督"
    assert all(p["topic"] == "审计监督" for p in first["points"] if p["entry"])
    assert [k.key for k in plan_kinds(3, ("审计监督",))] == ["审计监督", "责任", "作风"]


POINT = '    - {{id: {id}, role: point, topics: [{topic}], style: （一）, text: "{text}"}}\n'


def test_a_thin_bank_leaves_a_point_for_the_writer_rather_than_borrowing(tmp_path: Path) -> None:
    rows = [
        (
            "p1",
            "主体责任",
            "压实主体责任。各级党组（党委）要把党风廉政建设纳入全局工作统筹谋划，层层传导压力。",
        ),
        ("p2", "作风建设", "坚持过紧日子。严控一般性支出，压减“三公”经费，严禁违规新建楼堂馆所。"),
        ("p3", "放管服改革", "深化“放管服”改革。持续精简审批事项和环节，全面推行政务服务事项清单化管理。"),
        (
            "p4",
            "放管服改革",
            "优化营商环境。坚决整治涉企服务中的吃拿卡要、推诿扯皮等问题，构建亲清政商关系。",
        ),
    ]
    text = "entries:\n" + "".join(POINT.format(id=i, topic=t, text=x) for i, t, x in rows)
    bank = load_bank(user_dirs=[make_bank(tmp_path / "bank", {"p.yaml": text})], include_bundled=False)
    params = DraftParams(year=2026, locality="城固县", level="县", seed=1, points=3, template="分条式")
    draft = compose_draft(build_context(params), bank)
    assert isinstance(draft, PlannedDraft)
    responsibility = draft.outline[0]
    assert [p["entry"] for p in responsibility["points"]] == ["p1", "", ""]
    assert "p3" not in {p["entry"] for part in draft.outline[:2] for p in part["points"]}
    assert any("“责任”部分语料库中只有 1 条切题要点" in n and "2 处【】" in n for n in draft.notes)
    assert draft.text.count("【请补写：") >= 4
    body = sum(len(b.text) for b in draft.blocks if b.kind not in ("title", "byline"))
    assert any(f"比目标 {DEFAULT_LENGTH} 字少约 {DEFAULT_LENGTH - body} 字" in n for n in draft.notes)


def test_a_closing_remark_is_used_only_when_intact(tmp_path: Path) -> None:
    from drafter.draft.select import _intact_remark

    broken = (
        "最后，我再强调一下信访维稳和安全生产工作。各级各部门要认真抓好落实，全力确保社会稳定。"
        + "要高度重视安全生产工作。" * 10
    )
    whole = (
        "最后，我再强调一下安全生产工作。" + "各级各部门要始终绷紧安全生产这根弦，压紧压实安全生产责任。" * 4
    )
    assert not _intact_remark(broken)
    assert _intact_remark(whole)


def test_subjects_and_genre_filter() -> None:
    assert main_subject("持续为基层减负。严格落实精文减会要求。") == "基层减负"
    assert main_subject("深化以案促改。对发生的案件逐案剖析。") == "以案促改"
    assert off_genre("确保全年固定资产投资增长【X%】以上。") == "经济增长指标"
    assert off_genre("要深入开展深入贯彻中央八项规定精神学习教育。") == "语句衔接有误"
    assert off_genre("抓好安全生产。盯死看牢重点行业领域，坚决防止重特大事故发生，守牢安全生产底线。")
    assert "安全生产" in OFF_GENRE


def test_fragments_old_agencies_training_and_service_speed_are_off_genre() -> None:
    leaning = "要深刻领会习近平总书记的殷切希望和谆谆教导，认真对标对表，强化纪律意识。"
    assert off_genre(leaning) == "依赖原文上下文"
    quoted = "主动接受监督。习近平总书记指出：“各级领导干部要主动接受各方面监督。”" + leaning
    assert off_genre(quoted) is None  # the quotation it leans on is there
    training = "加强干部教育培训。一方面，要加强政策培训，认真制定专项培训计划，抓好干部培训工作。"
    assert off_genre(training) == "非本文体（业务培训）"
    assert off_genre("要加强政策培训。财政、法制等部门要提前谋划。") == "机构名称过时"
    speed = "进一步压缩工程建设项目行政审批时间。要持续深化审批制度改革，切实提升审批效率。"
    assert off_genre(speed) == "非本文体（政务服务提速）"
    clean = "规范审批权力运行。要压缩审批自由裁量空间，严防设租寻租、吃拿卡要，让审批权力在阳光下运行。"
    assert off_genre(clean) is None
    assert off_genre("要更加有效地发挥统计监督职能作用，坚决防范和惩治统计造假，抓实数据质量。")


@pytest.mark.parametrize("year", [2019, 2024, 2029])
def test_oversight_part_takes_key_areas_and_power_in_turn(year: int) -> None:
    for level in PLACES:
        draft = _draft(year, level, 1, points=4)  # 4 task parts: 重点领域与权力监督 is one of them
        part = next(p for p in draft.outline if p["part"] == "重点领域与权力监督")
        groups = [{"重点领域", "财政资金", "审计监督"}, {"权力监督", "法治政府", "放管服改革"}]
        for group in groups:
            assert any(point["topic"] in group for point in part["points"]), (level, part)


def test_report_shows_the_plan(tmp_path: Path) -> None:
    draft = _draft(2026, "县", 1)
    md = render_report(draft, "md")
    assert "## 讲话提纲" in md
    for part in draft.outline:
        assert f"（{part['part']}，主题：{part['topic']}）" in md
    assert "入选" in md and "事项重复" in md and "主题不符" in md
    import json

    data = json.loads(render_report(draft, "json"))
    assert [p["part"] for p in data["plan"]] == [p["part"] for p in draft.outline]
    assert {c["reason"] for c in data["choices"]} >= {"入选"}


def test_past_the_minimum_a_part_takes_only_full_paragraphs(tmp_path: Path) -> None:
    long_tail = "，坚持从实际出发谋划推进工作，坚决反对急功近利，把群众满意不满意作为检验工作的根本标准，以实实在在的业绩赢得群众认可，让干部群众看到作风建设的新变化。"
    rows = [
        ("s1", "纠治“四风”。紧盯违规吃喝、违规收送礼品礼金问题，发现一起查处一起。"),
        ("s2", "推进基层减负。精简文件会议，规范督查检查考核，让基层干部轻装上阵。"),
        ("s3", "坚持过紧日子。严控一般性支出，压减“三公”经费，严禁违规新建楼堂馆所。"),
        ("s4", "力戒形式主义官僚主义。坚决整治表态多调门高、行动少落实差等问题。"),
        ("l1", "树立正确政绩观。既做显功、也做潜功，不搞“形象工程”“面子工程”" + long_tail),
        (
            "l2",
            "激励干部担当作为。落实“三个区分开来”，完善容错纠错机制，为担当者担当、为干事者撑腰" + long_tail,
        ),
    ]
    text = "entries:\n" + "".join(POINT.format(id=i, topic="作风建设", text=x) for i, x in rows)
    bank = load_bank(user_dirs=[make_bank(tmp_path / "bank", {"p.yaml": text})], include_bundled=False)
    assert all(len(e.text) >= 100 for e in bank.entries if e.id.startswith("l"))
    for seed in range(1, 9):
        params = DraftParams(year=2026, locality="城固县", level="县", seed=seed, points=3, template="分条式")
        draft = compose_draft(build_context(params), bank)
        assert isinstance(draft, PlannedDraft)
        conduct = next(part for part in draft.outline if part["part"] == "作风")
        taken = [p["entry"] for p in conduct["points"] if p["entry"]]
        assert {"l1", "l2"} <= set(taken), (seed, taken)  # the full paragraphs always find a place
        assert sum(1 for e in taken if e.startswith("s")) <= MIN_POINTS, (seed, taken)


def test_subject_hits_are_what_a_longest_first_alternation_finds() -> None:
    """Keyword hits are counted without regexes (none to compile at start-up); the count is what
    ``re.findall`` of the keywords, longest first, gives: leftmost, longest where several begin,
    never overlapping."""
    from drafter.facts.subjects import _hits, _keywords

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    texts = [line for f in sorted(seeds.glob("*.txt")) for line in f.read_text(encoding="utf-8").splitlines()]
    texts += ["惠民惠农惠民", "审计监督、统计监督审计", "盲目举债举债", "问责问责考核约谈", ""]
    assert len(texts) > 100
    for _, words in _keywords():
        pattern = re.compile("|".join(re.escape(w) for w in words))
        for text in texts:
            assert _hits(text, words)[0] == len(pattern.findall(text)), (words, text)


def test_subject_counts_are_those_of_every_keyword_scanned_in_text_and_lead() -> None:
    """The fast count (pairs of characters to pass subjects over, lead hits read off the text's own
    scan) gives what scanning every subject's keywords in the text and in its lead sentence gives."""
    from drafter.facts.subjects import _keywords, lead_sentence, subject_counts

    def slow(text: str) -> tuple[tuple[str, int, int], ...]:
        out = []
        for subject, words in _keywords():
            pattern = re.compile("|".join(re.escape(w) for w in words))
            if hits := len(pattern.findall(text)):
                out.append((subject, hits, len(pattern.findall(lead_sentence(text)))))
        return tuple(out)

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    texts = [line for f in sorted(seeds.glob("*.txt")) for line in f.read_text(encoding="utf-8").splitlines()]
    # a keyword across the lead's end, one at the very end, one-character texts, a keyword twice in the lead
    texts += ["强化问责。考核", "问责考", "考核", "问", "", "问责问责；约谈", "GDP增长。稳增长GDP"]
    assert sum(1 for t in texts if slow(t)) > 50
    for text in texts:
        assert subject_counts(text) == slow(text), text

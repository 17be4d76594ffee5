"""`drafter mine`: the seeds give a clean, portable, traceable bank; re-mining merges (ids, hand edits,
locked and rejected entries survive); GBK / UTF-16 / .docx inputs mine the same; the rules that make a
sentence portable (slots, placeholders, names, years)."""

from __future__ import annotations

import json
import re
import shutil
from difflib import SequenceMatcher
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from speechdocs import SPEECH, speech_docx
from typer.testing import CliRunner

from drafter.bank.load import load_bank_dir
from drafter.bank.merge import SCHEMA_LINE, STATE_FILE, similarity_key
from drafter.bank.schema import ROLES
from drafter.cli import app
from drafter.facts.vocab import ALL_SLOTS, SLOT_RE
from drafter.mine.candidates import entry_id
from drafter.mine.generalize import Locale, generalize_unit
from drafter.models import Entry
from drafter.read.clean import is_dirt, normalize_text

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
runner = CliRunner()

SOURCE_NAMES = (
    "瑞丽",
    "云南",
    "许昌",
    "安康",
    "陕西",
    "青海",
    "剑川",
    "内蒙古",
    "姜山",
    "王俊强",
    "特区",
    "城关镇",
)
RAW_FIGURE = re.compile(r"(?<![A-Za-z])[XＸ]+(?![A-Za-z])|[×✕*＊]")


def _mine(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["mine", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def seed_bank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    bank = tmp_path_factory.mktemp("seedbank") / "bank"
    code, out, err = _mine(str(SEEDS), "--bank", str(bank))
    assert code == 0, err
    assert "读取讲话稿 5 篇，识别出主体部分 25 个" in out
    return bank


@pytest.fixture(scope="module")
def seed_entries(seed_bank: Path) -> list[Entry]:
    entries, _ = load_bank_dir(seed_bank)
    return entries


def _seed_line(source: str) -> str:
    name, _, number = source.rpartition(":")
    lines = (SEEDS / name).read_text(encoding="utf-8-sig").splitlines()
    return normalize_text(lines[int(number) - 1])


def test_seed_bank_is_large_valid_and_laid_out_by_role(seed_bank: Path, seed_entries: list[Entry]) -> None:
    assert len(seed_entries) >= 300
    roles = {entry.role for entry in seed_entries}
    assert {
        "opening",
        "review_item",
        "problem_item",
        "heading",
        "part_lead",
        "point",
        "quote",
        "closing",
    } <= roles
    for role in roles:
        path = seed_bank / f"{role}.yaml"
        assert path.read_text(encoding="utf-8").splitlines()[0] == f"# {SCHEMA_LINE}"
        assert all(e.file == path for e in seed_entries if e.role == role)
    assert {p.stem for p in seed_bank.glob("*.yaml")} <= {*ROLES, "skeletons"}
    for entry in seed_entries:
        assert re.fullmatch(rf"{entry.role}-[0-9a-f]{{8}}", entry.id), entry.id
        assert entry.topics or entry.role not in ("point", "part_lead"), entry.id
    ids = [entry.id for entry in seed_entries]
    assert len(ids) == len(set(ids))


def test_seed_skeletons(seed_bank: Path) -> None:
    _, skeletons = load_bank_dir(seed_bank)
    shapes = {s.source: (s.points, s.heading_style) for s in skeletons}
    assert shapes == {
        "000_286e9747093eda74.txt": (8, None),
        "001_72772b59ca55cb1f.txt": (5, "一、"),
        "002_267f086385aef8a6.txt": (5, "一、"),
        "003_c1f2ed010dd07385.txt": (4, "第一，"),
        "004_7b3dd490df3a5935.txt": (3, "一、"),
    }
    by_source = {s.source: s for s in skeletons}
    assert by_source["001_72772b59ca55cb1f.txt"].sections[:3] == ("opening", "part", "review")
    assert [p.sub_style for p in by_source["004_7b3dd490df3a5935.txt"].parts] == [None, "（一）", "（一）"]


def test_no_ads_raw_placeholders_or_source_names(seed_entries: list[Entry]) -> None:
    for entry in seed_entries:
        text = entry.text
        assert not is_dirt(text), entry.id
        assert "酷乐文行" not in text and "QQ" not in text
        assert not RAW_FIGURE.search(re.sub(r"【[^【】]*】", "", text)), (entry.id, text)
        for name in SOURCE_NAMES:
            assert name not in text, (entry.id, name)
        assert set(SLOT_RE.findall(text)) <= set(ALL_SLOTS), entry.id
        assert "{{" not in text and "}}" not in text


def test_sources_cite_lines_that_hold_the_text(seed_entries: list[Entry]) -> None:
    holding = 0
    for entry in seed_entries:
        assert entry.source and all(re.fullmatch(r"\d{3}_[0-9a-f]{16}\.txt:\d+", s) for s in entry.source)
        plain = re.sub(r"\{[^{}]*\}|【[^【】]*】", "", entry.text)
        matcher = SequenceMatcher(None, plain, _seed_line(entry.source[0]), autojunk=False)
        covered = sum(block.size for block in matcher.get_matching_blocks() if block.size >= 2)
        holding += covered >= 0.9 * len(plain)
    assert holding >= 0.95 * len(seed_entries)


def test_years_levels_and_slots(seed_entries: list[Entry]) -> None:
    by_text = {entry.text: entry for entry in seed_entries}
    for entry in seed_entries:
        if "疫情" in entry.text:
            assert entry.years.start is not None and entry.years.start >= 2020, entry.id
            assert entry.years.end is not None and entry.years.end <= 2023, entry.id
    quote = next(e for e in seed_entries if e.text.startswith("李强总理在国务院第一次廉政工作会议上强调"))
    assert (quote.years.start, quote.years.end) == (2023, 2023)
    opening = next(e for e in seed_entries if e.text.startswith("这次会议的主要任务是"))
    assert "{中央纪委全会}、{国务院廉政工作会议}和省纪委全会" in opening.text
    assert "{上年}年{全市}政府系统" in opening.text and "{年份}年重点任务" in opening.text
    closing = next(e for e in seed_entries if e.source[0].startswith("003_") and e.role == "closing")
    assert "在{市委}的坚强领导下" in closing.text and "护航{地名}高质量发展" in closing.text
    assert "市委、市政府" not in closing.text  # the county speech's superior city is left out
    assert closing.levels == ("市", "县", "区")
    review = next(e for e in seed_entries if e.text.startswith("依法行政促规范。"))
    assert review.levels == ("县",)  # 全国法治政府建设示范县
    assert any("{各县区}、各部门" in text for text in by_text)  # 各乡街 / 各镇 of 区 and 县 speeches
    assert any("【X亿元】" in text for text in by_text) and any("【X%】" in text for text in by_text)


def test_points_have_no_marker_and_start_with_their_lead(seed_entries: list[Entry]) -> None:
    points = [e for e in seed_entries if e.role in ("point", "review_item", "problem_item", "heading")]
    for entry in points:
        assert not re.match(
            r"^([一二三四五六七八九十]+[是要、]|第[一二三四五六七八九十]+，|（[一二三四五六七八九十]+）)",
            entry.text,
        )
    assert any(e.text.startswith("从严查处腐败问题。") and e.style == "一要" for e in points)
    assert any(
        e.role == "heading" and e.text == "要以更实的举措，扎紧笼子强化监督" and e.style == "第一，"
        for e in points
    )
    reviews = [e for e in seed_entries if e.role == "review_item" and e.source[0].startswith("001_")]
    assert len(reviews) == 5  # "一是…。二是…。" in one paragraph: one entry each


BUNDLED = Path(__file__).resolve().parent.parent / "phrasebank"


def test_bundled_bank_is_the_seeds_mined_plus_reviewed_edits(tmp_path: Path) -> None:
    bank = tmp_path / "phrasebank"
    shutil.copytree(BUNDLED, bank)
    snapshot = {p.name: p.read_bytes() for p in bank.iterdir()}
    code, out, _ = _mine(str(SEEDS), "--bank", str(bank))
    assert code == 0
    assert "新增 0，更新 0，合并 0" in out  # nothing the miner would add or change
    assert {p.name: p.read_bytes() for p in bank.iterdir()} == snapshot
    entries, skeletons = load_bank_dir(bank)
    assert len(entries) >= 300 and len(skeletons) == 5
    for entry in entries:
        assert not is_dirt(entry.text)
        assert not RAW_FIGURE.search(re.sub(r"【[^【】]*】", "", entry.text)), entry.id
        assert not any(name in entry.text for name in SOURCE_NAMES), entry.id


# The bundled bank's reviewed hand edits (issue 12): id -> words its text now holds (the correction is
# recorded in its note, its FILE:LINE source kept), and the entries rejected in review.
REVIEWED_EDITS = {
    "review_item-fb99ac57": "党纪政务处分",
    "closing-8a33eb52": "护航{简称}高质量发展",
    "opening-790a728b": "^我们收听收看了",  # ^: the text starts with it (近期， dropped)
    "part_lead-4477a40e": "不是只管五年、十年的规定",
    "point-0ec74cf1": "不是只管五年、十年的规定",
    "quote-7d317b30": "不是只管五年、十年的规定",
    "point-b592324e": "深入开展作风问题专项整治",
    "problem_item-328d72e5": "从近年查处的案件看",
    "point-4fbb75fa": "巩固拓展“不忘初心、牢记使命”主题教育成果",
    "point-f7dd45c4": "精简会议",
    "point-0a6e0495": "尤其是在依法行政",
    "point-52003622": "许可权改革，推动“证照分离”改革全覆盖",
    "point-ebab103a": "交易监管。公共资源交易涉及领域广",
    "point-6029e945": "自然资源、生态环境、应急管理等部门",
    "point-1df984f9": "资产监管。要持续深化国有企业改革",
    "point-ab3959d0": "中央八项规定及其实施细则精神",
    "point-3871d24b": "中央八项规定及其实施细则精神",
    "point-8685713d": "要参照省政府工作规则，研究制定{市政府}工作规则",
    "point-d76e93b7": "要持续推进结余资金和沉淀资金统一收回使用",
    "point-5232c35e": "深化工程建设项目审批制度改革",
    "point-e56fc3a1": "要以项目建设为抓手",
    "point-07e0acc5": "要以项目建设为抓手",
    "point-dea8f5d9": "把问题导向、目标导向、结果导向贯穿始终",
    "point-ec56a061": "把问题导向、目标导向、结果导向贯穿始终",
    "review_intro-2a965848": "对照上级部署要求",
    "review_item-5e06c98b": "全部接入政务服务平台",
    "review_item-172503ba": "民生领域突出问题专项整治",
    "review_item-436ad4e1": "建立重大决策部署落实台账",
    "review_item-4c928475": "出台经济稳增长政策措施【X】条",
}
REVIEWED_REJECTS = {
    *("heading-3a411c90", "point-8b6073b3", "point-b38ff84d", "point-c768a716", "point-65a9ab59"),
    *("point-7ae58447", "point-7c8e324c", "point-32fb306c"),
    *("part_lead-9e7feb4f", "point-ffc94480"),  # unverifiable 习近平 quotation
    *("point-df50a48c", "point-752574b8", "point-e2d96924", "point-799080e0"),
    *("point-314673df", "point-8504baee", "point-7fbf998b", "point-82e61d20", "point-1457c284"),
}


def test_bundled_bank_reviewed_edits_are_recorded(seed_entries: list[Entry]) -> None:
    bundled = {e.id: e for e in load_bank_dir(BUNDLED)[0]}
    mined = {e.id: e for e in seed_entries}
    for eid, words in REVIEWED_EDITS.items():
        entry = bundled[eid]
        if words.startswith("^"):
            assert entry.text.startswith(words[1:]) and not mined[eid].text.startswith(words[1:])
        else:
            assert words in entry.text and words not in mined[eid].text, eid
        assert entry.note and entry.note.startswith("审阅：") and entry.draftable, eid
        assert entry.source == mined[eid].source, eid  # FILE:LINE provenance kept
    for eid in REVIEWED_REJECTS:
        assert bundled[eid].rejected and (bundled[eid].note or "").startswith("审阅："), eid
    reviewed = {i for i, e in bundled.items() if (e.note or "").startswith("审阅：")}
    assert reviewed == set(REVIEWED_EDITS) | REVIEWED_REJECTS


def test_remine_keeps_ids_hand_edits_locked_and_rejected(seed_bank: Path, tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(seed_bank, bank)
    before = {e.id: e for e in load_bank_dir(bank)[0]}
    point_file = bank / "point.yaml"
    text = point_file.read_text(encoding="utf-8")
    edited = next(e for e in before.values() if e.role == "point" and e.text.startswith("从严查处腐败问题。"))
    locked = next(e for e in before.values() if e.role == "point" and e.text.startswith("深化拓展民生监督。"))
    rejected = next(
        e for e in before.values() if e.role == "point" and e.text.startswith("持之以恒纠正“四风”。")
    )
    text = text.replace("entries:\n", "entries:\n  # 手工整理过的要点\n", 1)
    text = text.replace(f"text: {edited.text}", "text: 从严查处腐败问题。要坚持无禁区、全覆盖、零容忍。", 1)
    text = text.replace(f"- id: {locked.id}\n", f"- id: {locked.id}\n    locked: true\n", 1)
    text = text.replace(f"- id: {rejected.id}\n", f"- id: {rejected.id}\n    rejected: true\n", 1)
    point_file.write_text(text, encoding="utf-8")

    code, out, err = _mine(str(SEEDS), "--bank", str(bank))
    assert code == 0, err
    assert "新增 0" in out and "保留手工修改 1" in out and "跳过 2" in out
    after = {e.id: e for e in load_bank_dir(bank)[0]}
    assert set(after) == set(before)
    assert after[edited.id].text == "从严查处腐败问题。要坚持无禁区、全覆盖、零容忍。"
    assert after[locked.id].locked and after[rejected.id].rejected
    assert "# 手工整理过的要点" in point_file.read_text(encoding="utf-8")


def test_remine_twice_changes_nothing(seed_bank: Path, tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(seed_bank, bank)
    snapshot = {p.name: p.read_bytes() for p in bank.iterdir()}
    code, out, _ = _mine(str(SEEDS), "--bank", str(bank))
    assert code == 0 and "新增 0，更新 0，合并 0" in out
    assert {p.name: p.read_bytes() for p in bank.iterdir()} == snapshot


def test_miner_changes_reach_entries_nobody_edited(seed_bank: Path, tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(seed_bank, bank)
    entry = next(e for e in load_bank_dir(bank)[0] if e.role == "closing")
    path = bank / "closing.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(entry.text, "同志们，旧版挖掘的结尾。"), encoding="utf-8"
    )
    state = json.loads((bank / STATE_FILE).read_text(encoding="utf-8"))
    from drafter.bank.merge import text_digest

    state["entries"][entry.id] = text_digest("同志们，旧版挖掘的结尾。")  # as if an older miner wrote it
    (bank / STATE_FILE).write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    code, out, _ = _mine(str(SEEDS), "--bank", str(bank))
    assert code == 0 and "更新 1" in out
    assert {e.id: e.text for e in load_bank_dir(bank)[0]}[entry.id] == entry.text


def test_dry_run_writes_nothing(seed_bank: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    code, out, _ = _mine(str(SEEDS / "004_7b3dd490df3a5935.txt"), "--bank", str(fresh), "--dry-run")
    assert code == 0
    assert re.search(r"^新增 point-[0-9a-f]{8} \[004_7b3dd490df3a5935\.txt:\d+\]", out, re.M)
    assert "新建文件" in out and "预演" in out
    assert not fresh.exists()
    bank = tmp_path / "bank"
    shutil.copytree(seed_bank, bank)
    snapshot = {p.name: p.read_bytes() for p in bank.iterdir()}
    (tmp_path / "extra.txt").write_text("\n".join(SPEECH), encoding="utf-8")
    code, out, _ = _mine(str(tmp_path / "extra.txt"), "--bank", str(bank), "--dry-run")
    assert code == 0 and "新增" in out
    assert {p.name: p.read_bytes() for p in bank.iterdir()} == snapshot


def test_near_identical_entries_merge_and_keep_every_source(tmp_path: Path) -> None:
    first = tmp_path / "a.txt"
    second = tmp_path / "b.txt"
    first.write_text("\n".join(SPEECH), encoding="utf-8")
    second.write_text(
        "\n".join(SPEECH).replace("坚决查处利益输送问题", "坚决查处各类利益输送问题"), encoding="utf-8"
    )
    bank = tmp_path / "bank"
    code, out, _ = _mine(str(first), str(second), "--bank", str(bank))
    assert code == 0
    entries = load_bank_dir(bank)[0]
    point = next(e for e in entries if e.text.startswith("强化重点领域监管。"))
    assert point.source == ("a.txt:9", "b.txt:9")
    assert len([e for e in entries if e.text.startswith("强化重点领域监管。")]) == 1
    assert all(len(e.source) == 2 for e in entries)


@pytest.mark.parametrize("kind", ["gbk", "utf-16", "docx"])
def test_gbk_utf16_and_docx_inputs_mine_alike(tmp_path: Path, kind: str) -> None:
    if kind == "docx":
        path = speech_docx(tmp_path / "speech.docx")
    else:
        path = tmp_path / f"speech-{kind}.txt"
        path.write_bytes("\n".join(SPEECH).encode(kind))
    bank = tmp_path / "bank"
    code, out, err = _mine(str(path), "--bank", str(bank))
    assert code == 0, err
    entries = load_bank_dir(bank)[0]
    by_role: dict[str, list[Entry]] = {}
    for entry in entries:
        by_role.setdefault(entry.role, []).append(entry)
    headings = {e.text: e.style for e in by_role["heading"]}
    assert headings["认清形势，切实增强做好廉政工作的责任感"] == "一、"
    point = next(e for e in by_role["point"] if e.style == "（一）" and e.text.startswith("加强财政资金监管"))
    assert point.text == "加强财政资金监管。要严格预算约束，{全市}减免税费【X亿元】，确保每一笔资金安全使用。"
    assert point.source == (f"{path.name}:8",)
    assert [e.text for e in by_role["review_item"]][
        1
    ] == "作风建设扎实推进。{全市}共查处违反中央八项规定精神问题【X】起，处理【X】人。"
    assert len(by_role["problem_item"]) == 2
    assert by_role["opening"][0].text.startswith(
        "今天我们召开{市政府}廉政工作会议，主要任务是深入学习贯彻{中央纪委全会}精神"
    )
    assert (
        by_role["closing"][0].text
        == "同志们，让我们在{市委}的坚强领导下，不断开创政府系统党风廉政建设新局面！"
    )


def test_broken_bank_is_refused_and_left_alone(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    bank.mkdir()
    broken = bank / "point.yaml"
    broken.write_text("entries:\n  - id: point-x\n    text: [unclosed\n", encoding="utf-8")
    code, _, err = _mine(str(SEEDS / "004_7b3dd490df3a5935.txt"), "--bank", str(bank))
    assert code == 1
    assert "point.yaml:" in err and "错误：" in err
    assert broken.read_text(encoding="utf-8").endswith("[unclosed\n")
    assert sorted(p.name for p in bank.iterdir()) == ["point.yaml"]
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x", encoding="utf-8")
    code, _, err = _mine(str(SEEDS / "004_7b3dd490df3a5935.txt"), "--bank", str(not_a_folder))
    assert code == 1 and "文件夹" in err


def test_entry_ids_are_stable() -> None:
    assert entry_id("point", "从严查处腐败问题。") == entry_id("point", " 从严查处腐败问题。\u3000")
    assert entry_id("point", "甲") != entry_id("heading", "甲")
    assert re.fullmatch(r"review_item-[0-9a-f]{8}", entry_id("review_item", "政风建设深入推进。"))


@pytest.mark.parametrize(
    ("text", "locale", "expected", "levels"),
    [
        (
            "全县政府系统要认真履行主体责任。",
            Locale("县"),
            "{全市}政府系统要认真履行主体责任。",
            ("市", "县", "区"),
        ),
        (
            "全县要认真贯彻省委、省政府和市委、市政府工作部署，在县委的坚强领导下推进工作。",
            Locale("县"),
            "{全市}要认真贯彻省委、省政府工作部署，在{市委}的坚强领导下推进工作。",
            ("市", "县", "区"),
        ),
        ("一些镇、部门主体责任落得不实。", Locale("县"), "一些镇、部门主体责任落得不实。", ("县", "区")),
        (
            "各乡街、各部门要始终保持清醒认识。",
            Locale("区"),
            "{各县区}、各部门要始终保持清醒认识。",
            ("市", "县", "区"),
        ),
        (
            "全市减免税费2.38亿元，办结率达到XX%，共发生事故34起。",
            Locale("市"),
            "{全市}减免税费【X亿元】，办结率达到【X%】，共发生事故【X】起。",
            ("市", "县", "区"),
        ),
        (
            "从3月5日以来，*月底前全部开工。",
            Locale("市"),
            "从【X月X日】以来，【X】月底前全部开工。",
            ("市", "县", "区"),
        ),
        (
            "总结回顾2021年工作，安排部署2022年任务。",
            Locale("市", 2022),
            "总结回顾{上年}年工作，安排部署{年份}年任务。",
            ("市", "县", "区"),
        ),
        (
            "贯彻落实十九届中央纪委二次全会和国务院第四次廉政工作会议精神。",
            Locale("市"),
            "贯彻落实{中央纪委全会}和{国务院廉政工作会议}精神。",
            ("市", "县", "区"),
        ),
        (
            "要结合**实际，护航**高质量发展。",
            Locale("县"),
            "要结合{地名}实际，护航{地名}高质量发展。",
            ("市", "县", "区"),
        ),
        (
            "全面落实《云南省优化营商环境办法》。",  # another province's document: never renamed for ours
            Locale("市"),
            "全面落实【本省条例名称】。",
            ("市", "县", "区"),
        ),
    ],
)
def test_generalize_rules(text: str, locale: Locale, expected: str, levels: tuple[str, ...]) -> None:
    result = generalize_unit(text, locale, keep_first=False)
    assert (result.text, result.levels) == (expected, levels)


@pytest.mark.parametrize(
    "text",
    [
        "迅速有效处置了瑞丽疫情。",
        "姜山书记代表市委所作的报告，全面总结了工作。",
        "XXX省长在会上提出明确要求。",
        "深刻汲取青海省领导干部违规问题教训。",
        "×县围绕政府廉政建设作了发言。",
        "均处于全市倒数第一。",
        "坚决筑牢千里边境钢铁屏障。",
    ],
)
def test_names_rankings_and_regional_matters_are_left_out(text: str) -> None:
    assert generalize_unit(text, Locale("市"), keep_first=True).text == ""


def test_a_county_speech_naming_its_city_is_left_out() -> None:
    assert generalize_unit("对市委的部署要坚决落实。", Locale("县"), keep_first=True).text == ""
    assert (
        generalize_unit("对市委的部署要坚决落实。", Locale("市"), keep_first=True).text
        == "对{市委}的部署要坚决落实。"
    )


def test_quote_on_a_dated_occasion_keeps_its_year() -> None:
    result = generalize_unit(
        "习近平总书记在二十届中央纪委二次全会上强调，必须驰而不息推进全面从严治党。",
        Locale("县"),
        keep_first=True,
    )
    assert result.text.startswith("习近平总书记在二十届中央纪委二次全会上强调")
    assert result.pins == frozenset({2023})


def test_topic_rules_are_documented() -> None:
    from drafter.facts.topics import TOPIC_KEYWORDS

    doc = (Path(__file__).resolve().parent.parent / "docs" / "topics.md").read_text(encoding="utf-8")
    rows = {
        line.split("|")[1].strip(): line.split("|")[3] for line in doc.splitlines() if line.count("|") == 4
    }
    for topic, words in TOPIC_KEYWORDS.items():
        assert topic in rows, topic
        assert set(rows[topic].strip().split("、")) == set(words), topic


_TEXTS = (
    st.lists(
        st.sampled_from(
            [*"要加强监督，。：:；“”‘’（）{}【】#-?|>!&*%@`'\" \t全市政府X0", "{全市}", "【X】", "\u3000"]
        ),
        min_size=1,
        max_size=30,
    )
    .map("".join)
    .filter(lambda s: s.strip() == s and bool(s))
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(_TEXTS, min_size=1, max_size=6, unique_by=similarity_key))
def test_merge_then_load_gives_the_same_entries(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str]
) -> None:
    from drafter.bank.merge import plan_merge, write_merge
    from drafter.models import YearRange

    bank = tmp_path_factory.mktemp("roundtrip") / "bank"
    entries = [
        Entry(
            id=entry_id("point", f"{index}{text}"),
            text=text,
            role="point",
            topics=("作风建设",),
            levels=("县", "区") if index % 2 else ("市", "县", "区"),
            years=YearRange(2021, 2023) if index % 3 == 0 else YearRange(),
            source=(f"x.txt:{index + 1}",),
            style="一要",
        )
        for index, text in enumerate(texts)
    ]
    plan = plan_merge(bank, entries, similarity=None)  # equal texts only
    write_merge(plan)
    loaded = {e.id: e for e in load_bank_dir(bank)[0]}
    for entry in entries:
        got = loaded[entry.id]
        assert (got.text, got.topics, got.levels, got.years, got.source, got.style) == (
            entry.text,
            entry.topics,
            entry.levels,
            entry.years,
            entry.source,
            entry.style,
        )

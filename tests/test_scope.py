"""Scope of an entry: text bound to one place or moment is found (mine.scope), marked when mined, kept out
of drafts unless the writer keeps it, and settled with `drafter bank review / generalize / lock / reject`."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from typer.testing import CliRunner

from drafter.bank import load_bank
from drafter.bank.load import load_bank_dir
from drafter.draft.context import DraftParams, build_context
from drafter.draft.select import Selector
from drafter.mine.candidates import Unit, unit_entry
from drafter.mine.generalize import Locale, generalize_unit
from drafter.mine.scope import fitting_levels, level_misfits, scope_flags, scope_labels
from drafter.models import Entry, SourceText

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
runner = CliRunner()

FLAGGED = [
    # the examples
    ("推行市长营商环境“三本账”、企业帮扶“六个一”制度。", "本地", "“三本账”"),
    ("紧盯无视中央八项规定和省委、县委十项规定的老问题。", "本地", "十项规定"),
    ("要以“高质量项目推进年”活动为抓手，推动项目建设。", "本地", "“高质量项目推进年”活动"),
    ("落实好《宝鸡市优化营商环境条例》。", "本地", "《宝鸡市优化营商环境条例》"),
    ("深入开展民生领域整治铸廉行动。", "本地", "民生领域整治铸廉行动"),
    ("审批服务系统全部迁入省“电子政务云”。", "本地", "省“电子政务云”"),
    ("充分发挥好我县金融机构七个考核评价体系作用。", "本地", "七个考核评价体系"),
    ("深化“一颗印章管审批”改革，推行“一部手机办事通”。", "本地", "“一颗印章管审批”"),
    ("最近，我们在落实结余资金统一收回使用方面取得了初步成效。", "时效", "最近"),
    ("今年以来市政府常务会议基本实现以视频会形式召开。", "时效", "今年以来"),
    ("今年初，国家出台了《关于深化国有企业和国有资本审计监督的若干意见》。", "时效", "今年初"),
    ("各家金融单位仅今年上半年就新增贷款【X亿元】。", "时效", "仅今年"),
    ("省政府已经出台了政府工作规则，我们正在参照省里规定起草。", "时效", "正在"),
    ("近期，我们收听收看了省政府廉政工作会议。", "时效", "近期"),
    ("今年“五一”，游客接待量刷新纪录。", "时效", "今年“五一”"),
    ("认真总结我县几次疫情处置探索实践。", "事件", "几次疫情"),
    ("习近平总书记多次强调，中央八项规定不是只管【X】年、【X】年的规定。", "引语", "【X】"),
    # others of our own
    ("全面推行“一张清单管到底”，压减审批环节。", "本地", "“一张清单管到底”"),
    ("深入开展“营商环境提升年”活动。", "本地", "“营商环境提升年”活动"),
    ("认真贯彻《南昌市优化营商环境条例》。", "本地", "《南昌市优化营商环境条例》"),
    ("严格执行县委“十条禁令”。", "本地", "“十条禁令”"),
    ("扎实开展能力作风建设年活动。", "本地", "能力作风建设年活动"),
    ("前不久，市委召开了全会。", "时效", "前不久"),
    ("今年国庆期间，各景区秩序井然。", "时效", "今年国庆"),
    ("这次洪灾暴露出应急管理的短板。", "事件", "这次洪灾"),
    ("目前，我们正在抓紧修订有关制度。", "时效", "目前，我们"),
]

NATIONAL = [
    "要增强“四个意识”、坚定“四个自信”、做到“两个维护”，坚决拥护“两个确立”。",
    "坚持“三个区分开来”，落实“一岗双责”，深化“放管服”改革，推行“双随机、一公开”监管。",
    "严格执行中央八项规定及其实施细则精神，驰而不息纠治“四风”。",
    "今年是“十五五”规划开局之年，做好今年的工作意义重大。",
    "紧盯元旦、春节、五一、国庆等重要节点，严查节日腐败。",
    "认真落实《中国共产党纪律处分条例》和《党政机关厉行节约反对浪费条例》。",
    "加强城市管理，规范市场秩序，推进城乡融合发展。",
    "一体推进不敢腐、不能腐、不想腐，运用监督执纪“四种形态”。",
    "严格执行行政执法“三项制度”，落实安全生产“十五条”硬措施。",
]


@pytest.mark.parametrize(("text", "kind", "match"), FLAGGED)
def test_place_and_moment_bound_text_is_flagged(text: str, kind: str, match: str) -> None:
    flags = scope_flags(text)
    assert any(f.kind == kind and match in text[f.start : f.end] + f.match for f in flags), flags
    for flag in flags:
        assert flag.reason and flag.instead and text[flag.start : flag.end] == flag.match


@pytest.mark.parametrize("text", NATIONAL)
def test_national_terms_and_generic_wording_are_not_flagged(text: str) -> None:
    assert scope_flags(text) == []


def test_level_bound_content_narrows_the_levels() -> None:
    assert fitting_levels("严肃查处【X】名县处级干部和【X】名乡科级干部。") == ("市",)
    assert fitting_levels("探索建立市县乡村四级联动协作的电子化交易平台。") == ("市",)
    assert fitting_levels("对照中省市部署要求，总结过去一年工作。") == ("县", "区")
    assert fitting_levels("严肃查处乡科级干部违纪问题。") == ("市", "县", "区")
    misfit = level_misfits("严肃查处【X】名县处级干部")[0]
    assert misfit.match == "县处级干部" and misfit.instead["县"] == "科级干部"


def _mined(text: str, level: str = "县", role: str = "point") -> Entry:
    source = SourceText(Path("范文.txt"), "utf-8", ())
    result = unit_entry(Unit(role, text, 7), source, Locale(level=level, year=2023))
    assert isinstance(result, Entry), result
    return result


def test_mining_marks_scope_and_restricts_levels() -> None:
    entry = _mined("转变职能优服务。持续深化“放管服”改革，推行县长营商环境“三本账”、企业帮扶“六个一”制度。")
    assert entry.scope == ("本地：“三本账”", "本地：“六个一”") and not entry.draftable
    assert entry.source == ("范文.txt:7",)
    assert _mined("要持续深化“放管服”改革，全面推行“一网通办”。").scope == ()
    cadres = _mined("聚焦群众反映强烈的突出问题，严肃查处【X】名县处级干部和【X】名乡科级干部。", level="市")
    assert cadres.levels == ("市",)
    platform = _mined("要依托农村产权交易中心，探索建立市县乡村四级联动协作的电子化交易平台。", level="市")
    assert platform.levels == ("市",)


def test_a_local_regulation_is_never_renamed_for_another_place() -> None:
    for name in ("《XX市优化营商环境条例》", "《×市优化营商环境条例》", "《陕西省优化营商环境条例》"):
        text = generalize_unit(f"落实好{name}，优化营商环境。", Locale("市")).text
        assert "《" not in text and "{地名}" not in text and "{省}" not in text, text
        assert "【本地条例名称】" in text or "【本省条例名称】" in text


def test_a_number_inside_a_quotation_is_not_a_placeholder() -> None:
    text = generalize_unit("习近平总书记强调，“中央八项规定不是只管5年、10年的规定”。", Locale("市")).text
    assert "5年、10年" in text and "【X】" not in text
    assert "【X】" in generalize_unit("全年查处问题15起，处理20人。", Locale("市")).text


def test_slogans_use_the_short_place_name() -> None:
    text = generalize_unit("推动党风廉政建设取得新成效，谱写中国式现代化XX建设新篇章。", Locale("县")).text
    assert text.endswith("{新篇章}。"), text
    text = generalize_unit("以实实在在的整改成效优化营商环境，为×未来发展奠定坚实基础。", Locale("县")).text
    assert "为{全市}未来发展" in text


def test_entries_with_scope_are_not_drafted_unless_kept() -> None:
    base = Entry(id="point-aaa111", text="推行{市长}营商环境“三本账”。", role="point", topics=("放管服改革",))
    flagged = dataclasses.replace(base, scope=scope_labels(base.text))
    kept = dataclasses.replace(flagged, id="point-bbb222", locked=True)
    bank = load_bank(include_bundled=False)
    context = build_context(DraftParams(year=2026, locality="汉中市", level="市"))
    bank = type(bank)(entries=(flagged, kept))
    ids = {e.id for e, _ in Selector(context, bank).entries("point")}
    assert ids == {"point-bbb222"}


BUNDLED = Path(__file__).resolve().parent.parent / "phrasebank"


def test_bundled_bank_has_no_draftable_flagged_or_mistyped_entry() -> None:
    from drafter.export.bank_book import entry_flags

    entries, _ = load_bank_dir(BUNDLED)
    bad = [(e.id, entry_flags(e)) for e in entries if e.draftable and entry_flags(e)]
    assert bad == []
    misfit = [e.id for e in entries if e.draftable and fitting_levels(e.text, e.levels) != tuple(e.levels)]
    assert misfit == []
    for entry in entries:
        assert "《{地名}" not in entry.text and "《{省}" not in entry.text, entry.id


# --- the writer's three ways to settle a flagged entry --------------------------------------------


def _bank(*args: str) -> tuple[int, str, str]:
    from drafter.cli import app

    result = runner.invoke(app, ["bank", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def mined_bank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from drafter.cli import app

    bank = tmp_path_factory.mktemp("fresh") / "bank"
    result = runner.invoke(app, ["mine", str(SEEDS), "--bank", str(bank)])
    assert result.exit_code == 0, result.stderr
    return bank


def test_review_lists_a_freshly_mined_banks_flagged_entries(mined_bank: Path) -> None:
    code, out, err = _bank("review", "--bank", str(mined_bank))
    assert code == 1 and "待处理" in err
    entries = {e.id: e for e in load_bank_dir(mined_bank)[0]}
    flagged = [e for e in entries.values() if e.scope]
    assert len(flagged) >= 20
    for entry in flagged:
        assert f"\n{entry.id}  {entry.role}  " in "\n" + out
        assert f"drafter bank reject {entry.id} --bank {mined_bank}" in out
    listed = _bank("list", "-b", str(mined_bank))[1]
    assert listed.count("[待审]") == len(flagged)
    three_books = next(e for e in flagged if "“三本账”" in e.text)
    assert f'drafter bank generalize {three_books.id} "“三本账”" --bank {mined_bank}' in out


def test_generalize_lock_and_reject_settle_entries(mined_bank: Path, tmp_path: Path) -> None:
    import shutil

    bank = tmp_path / "bank"
    shutil.copytree(mined_bank, bank)
    entries = {e.id: e for e in load_bank_dir(bank)[0]}
    books = next(e for e in entries.values() if "“三本账”" in e.text)
    code, out, err = _bank("generalize", books.id, "“三本账”", "--bank", str(bank))
    assert code == 0, err
    after = {e.id: e for e in load_bank_dir(bank)[0]}[books.id]
    assert "【本地做法名称】" in after.text and "三本账" not in after.text
    assert "通用化：“三本账” → 【本地做法名称】" in (after.note or "")
    assert after.scope == ("本地：“六个一”",) and "还有" in err
    code, _, _ = _bank("generalize", books.id, "“六个一”", "--bank", str(bank))
    assert code == 0 and {e.id: e for e in load_bank_dir(bank)[0]}[books.id].draftable

    moment = next(e for e in entries.values() if e.text.startswith("近期，"))
    assert _bank("generalize", moment.id, "近期", "--bank", str(bank))[0] == 0
    settled = {e.id: e for e in load_bank_dir(bank)[0]}[moment.id]
    assert settled.text.startswith("我们") and "近期" not in settled.text and settled.draftable

    locked, rejected = [e for e in entries.values() if e.scope and e.id not in (books.id, moment.id)][:2]
    assert _bank("lock", locked.id, "--bank", str(bank))[0] == 0
    assert _bank("reject", rejected.id, "--bank", str(bank))[0] == 0
    code, out, _ = _bank("review", "--bank", str(bank))
    for entry_id in (books.id, moment.id, locked.id, rejected.id):
        assert entry_id not in out
    after = {e.id: e for e in load_bank_dir(bank)[0]}
    assert after[locked.id].draftable and not after[rejected.id].draftable

    code, _, err = _bank("generalize", books.id, "不在正文里的字", "--bank", str(bank))
    assert code == 1 and "没有「不在正文里的字」" in err


def test_generalizing_a_bundled_entry_copies_it_into_the_users_bank(tmp_path: Path) -> None:
    bank = tmp_path / "mine"
    entry = next(e for e in load_bank_dir(BUNDLED)[0] if "【本地条例名称】" in e.text)
    code, out, err = _bank(
        "generalize", entry.id, "【本地条例名称】", "--to", "《汉中市优化营商环境条例》", "-b", str(bank)
    )
    assert code == 0, err and "已复制到你的语料库" in out
    copy = {e.id: e for e in load_bank_dir(bank)[0]}[entry.id]
    assert "《汉中市优化营商环境条例》" in copy.text and copy.scope  # now the writer's own: lock to keep it
    assert _bank("review", "-b", str(bank))[0] == 1

"""drafter bank check: every problem as FILE:LINE, all in one run, exit 1; the bundled bank passes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from drafter.bank.check import check_bank_dir, check_text
from drafter.bank.load import load_bank_dir
from drafter.bank.schema import FIELD_ORDER, ROLES, json_schema
from drafter.cli import app
from drafter.facts.topics import TOPICS
from drafter.facts.vocab import ALL_SLOTS
from drafter.resources import bundled_bank_dir

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_LINE = "# yaml-language-server: $schema=../docs/phrasebank.schema.json\n"

POINT = (
    SCHEMA_LINE
    + """\
# 要点段落
entries:
- id: point-a00001
  role: point
  topics: [作风建设]
  text: 持之以恒落实中央八项规定精神，坚决纠治“四风”。
- id: point-a00002
  role: point
  topics: [主体责任, 担当落实]
  levels: [县, 区]
  years: 2023-
  text: "{全市}各级党组织要扛牢管党治党政治责任。"
  source: [000_286e9747093eda74.txt:12]
"""
)
OPENING = (
    SCHEMA_LINE
    + """\
entries:
- id: opening-b00001
  role: opening
  topics: [政治建设]
  text: 这次会议的主要任务是，深入学习贯彻{中央纪委全会}精神。
"""
)
CLOSING = (
    SCHEMA_LINE
    + """\
entries:
- id: closing-c00001
  role: closing
  text: 同志们，让我们以更加饱满的精神状态，推动{全市}党风廉政建设不断取得新成效！
  locked: true
skeletons:
- id: skel-000
  source: 000_286e9747093eda74.txt
  points: 2
  heading_style: 一、
  sections: [opening, review, parts, closing]
  parts:
  - topics: [作风建设]
    sub_style: 一是
    sub_count: 3
    has_lead: true
  - topics: [主体责任]
    sub_style: null
    sub_count: 0
    has_lead: false
"""
)


def make_bank(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def good_bank(folder: Path) -> Path:
    return make_bank(folder, {"point.yaml": POINT, "opening.yaml": OPENING, "closing.yaml": CLOSING})


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def problem_lines(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if re.match(r"^.+\.yaml:\d+: ", line)]


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line holding needle."""
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


# --- the "done when" ------------------------------------------------------------------


def test_good_bank_passes_with_one_line_summary(tmp_path: Path) -> None:
    bank = good_bank(tmp_path / "bank")
    code, out, _ = run("bank", "check", "--bank", str(bank))
    assert code == 0, out
    assert out.strip().count("\n") == 0
    assert "检查通过" in out and "3 个文件" in out and "4 个条目" in out and "1 个骨架" in out
    entries, skeletons = load_bank_dir(bank)  # what check passes, the loader loads
    assert len(entries) == 4 and len(skeletons) == 1


def test_bundled_bank_passes_check() -> None:
    code, out, err = run("bank", "check")
    assert code == 0, out + err
    assert "检查通过" in out and str(bundled_bank_dir()) in out


def test_three_breakages_in_three_files_give_three_lines(tmp_path: Path) -> None:
    bank = good_bank(tmp_path / "bank")
    closing = CLOSING.replace("    sub_count: 3\n", "     sub_count: 3\n")  # one space too many
    opening = OPENING.replace("topics: [政治建设]", "topics: [政治建设, 反腐倡廉]")
    point = POINT.replace("id: point-a00002", "id: opening-b00001")  # opening.yaml's id, in a later file
    make_bank(bank, {"point.yaml": point, "opening.yaml": opening, "closing.yaml": closing})
    code, out, err = run("bank", "check", "--bank", str(bank))
    assert code == 1
    lines = problem_lines(out)
    assert len(lines) == 3, out
    assert lines == [
        f"{bank / 'closing.yaml'}:{line_of(closing, '     sub_count: 3')}: " + lines[0].split(": ", 1)[1],
        f"{bank / 'opening.yaml'}:{line_of(opening, '反腐倡廉')}: " + lines[1].split(": ", 1)[1],
        f"{bank / 'point.yaml'}:{line_of(point, 'id: opening-b00001')}: " + lines[2].split(": ", 1)[1],
    ]
    assert "缩进" in lines[0]
    assert "未知主题「反腐倡廉」" in lines[1]
    assert f"id「opening-b00001」重复：已在 {bank / 'opening.yaml'}:3 出现过" in lines[2]
    assert "3 个问题" in err


# --- one problem of each kind, at its line ----------------------------------------------------

ENTRY = (
    "entries:\n- id: point-x00001\n  role: point\n  topics: [作风建设]\n  text: 严格落实中央八项规定精神。\n"
)

CASES = [
    # (name, file text, expected 1-based line, message fragment)
    ("missing text", "entries:\n- id: point-x1\n  role: point\n", 2, "缺少必填字段 text"),
    ("missing id", "entries:\n- role: point\n  text: 好\n", 2, "缺少必填字段 id"),
    ("unknown field", ENTRY + "  topic: [作风建设]\n", 6, "未知字段「topic」，是不是「topics」"),
    ("empty text", ENTRY.replace("text: 严格落实中央八项规定精神。", 'text: ""'), 5, "text 不能为空"),
    ("id is a number", ENTRY.replace("id: point-x00001", "id: 12345"), 2, "id 应当是文字"),
    ("id with a space", ENTRY.replace("id: point-x00001", "id: point x"), 2, "id「point x」写法不对"),
    ("locked is text", ENTRY + '  locked: "true"\n', 6, "locked 应当是true 或 false"),
    (
        "topics is a mapping",
        ENTRY.replace("topics: [作风建设]", "topics: {a: 1}"),
        4,
        "topics 的每一项应当是文字",
    ),
    ("unknown role", ENTRY.replace("role: point", "role: paragraph"), 3, "未知角色「paragraph」"),
    ("close role", ENTRY.replace("role: point", "role: pont"), 3, "是不是「point」"),
    ("unknown topic", ENTRY.replace("[作风建设]", "[作风建设, 廉政]"), 4, "未知主题「廉政」"),
    ("unknown level", ENTRY + "  levels: [市, 乡]\n", 6, "未知层级「乡」"),
    ("duplicate topic", ENTRY.replace("[作风建设]", "[作风建设, 作风建设]"), 4, "主题「作风建设」重复"),
    ("unknown slot", ENTRY.replace("精神。", "精神{全国}。"), 5, "未知槽位 {全国}"),
    ("level form as slot", ENTRY.replace("精神。", "精神{全县}。"), 5, "请写成 {全市}"),
    ("close slot", ENTRY.replace("精神。", "精神{五年计划}。"), 5, "是不是「五年规划」"),
    ("stray brace", ENTRY.replace("精神。", "精神{全市。"), 5, "花括号不成对"),
    ("open placeholder", ENTRY.replace("精神。", "精神【X。"), 5, "占位符括号【】不成对"),
    ("close placeholder", ENTRY.replace("精神。", "精神X】。"), 5, "占位符括号【】不成对"),
    ("nested placeholder", ENTRY.replace("精神。", "精神【【X】】。"), 5, "占位符括号【】不成对"),
    ("long placeholder", ENTRY.replace("精神。", "精神【" + "很" * 30 + "】。"), 5, "占位符过长"),
    ("raw XX", ENTRY.replace("精神。", "精神，查处XX起。"), 5, "待填数字写成了「XX」"),
    ("raw X", ENTRY.replace("精神。", "精神，查处X起。"), 5, "待填数字写成了「X」"),
    ("raw times", ENTRY.replace("精神。", "精神，查处××起。"), 5, "待填数字写成了「××」"),
    ("raw stars", ENTRY.replace("精神。", "精神，查处**起。"), 5, "待填数字写成了「**」"),
    ("reversed years", ENTRY + "  years: 2025-2021\n", 6, "years 起止颠倒"),
    ("bad years", ENTRY + "  years: 二〇二五\n", 6, "years 写法不对"),
    ("absurd year", ENTRY + "  years: 1990-\n", 6, "不合理"),
    ("years never usable", ENTRY + "  years: 2005-2010\n", 6, "永远用不上"),
    ("years is a list", ENTRY + "  years: [2021, 2025]\n", 6, "years 应当写成"),
    ("bell in text", ENTRY.replace("严格", "严\x07格"), 5, "U+0007"),
    ("zero width space", ENTRY.replace("严格", "严\u200b格"), 5, "U+200B"),
    (
        "escaped control",
        ENTRY.replace("text: 严格落实中央八项规定精神。", 'text: "严格\\t落实"'),
        5,
        "U+0009",
    ),
    ("newline in text", ENTRY.replace("text: 严格落实中央八项规定精神。", 'text: "严格\\n落实"'), 5, "换行"),
    ("ad in text", ENTRY.replace("严格", "加QQ 12345678 严格"), 5, "广告"),
    ("locked and rejected", ENTRY + "  locked: true\n  rejected: true\n", 7, "不能同时为 true"),
    ("typo 侯会", ENTRY.replace("精神。", "精神，节省侯会时间。"), 5, "错别字「侯会」应为「候会」"),
    ("typo 尤其在是在", ENTRY.replace("严格", "尤其在是在"), 5, "应为「尤其是在」"),
    ("typo 截止", ENTRY.replace("精神。", "精神，截止【X月X日】。"), 5, "应为「截至」"),
    (
        "place in a title",
        ENTRY.replace("中央八项规定精神", "《{地名}优化营商环境条例》"),
        5,
        "【本地条例名称】",
    ),
    ("scope is a mapping", ENTRY + "  scope: {a: 1}\n", 6, "scope 应当是文字或文字列表"),
    ("duplicate key", ENTRY + "  role: quote\n", 6, "字段 role 在同一条目中出现了两次"),
    (
        "duplicate id in file",
        ENTRY + ENTRY.replace("entries:\n", ""),
        6,
        "id「point-x00001」重复：已在第 2 行出现过",
    ),
    ("entry is text", "entries:\n- 只是一句话\n", 2, "条目应当是"),
    ("entries is a mapping", "entries:\n  a: 1\n", 2, "entries 应当是列表"),
    ("unknown top key", ENTRY + "entires: []\n", 6, "未知的顶层键「entires」"),
    ("top is a list", "- id: a\n", 1, "文件顶层应当是映射"),
    ("tab indentation", "entries:\n- id: point-x1\n\trole: point\n", 3, "Tab"),
    ("too deep", "entries:\n- id: point-x1\n  role: point\n    text: 好\n", 4, "缩进过多"),
    ("too shallow", "entries:\n- id: point-x1\n  role: point\n text: 好\n", 4, "缩进不对"),
    ("unclosed quote", 'entries:\n- id: point-x1\n  role: point\n  text: "好\n- id: b\n', 4, "引号没有配对"),
    (
        "unclosed bracket",
        "entries:\n- id: point-x1\n  role: point\n  topics: [作风建设\n  text: 好\n",
        5,
        "YAML",
    ),
    ("colon in text", "entries:\n- id: point-x1\n  role: point\n  text: 要求: 好\n", 4, "冒号"),
    ("bad date", ENTRY + "  note: 2021-13-45\n", 6, "无法识别的值"),
    (
        "skeleton part topic",
        "skeletons:\n- id: s1\n  parts:\n  - topics: [作风]\n    sub_count: 2\n",
        4,
        "未知主题「作风」",
    ),
    ("skeleton points", "skeletons:\n- id: s1\n  points: 四\n  parts: []\n", 3, "points 应当是整数"),
    ("skeleton without parts", "skeletons:\n- id: s1\n", 2, "骨架缺少必填字段 parts"),
]


@pytest.mark.parametrize(("name", "text", "line", "fragment"), CASES, ids=[c[0] for c in CASES])
def test_each_problem_is_reported_at_its_line(
    tmp_path: Path, name: str, text: str, line: int, fragment: str
) -> None:
    bank = make_bank(tmp_path / "bank", {"t.yaml": text})
    code, out, _ = run("bank", "check", "--bank", str(bank))
    assert code == 1, out
    lines = problem_lines(out)
    assert any(f"{bank / 't.yaml'}:{line}: " in found and fragment in found for found in lines), lines


def test_valid_variants_pass(tmp_path: Path) -> None:
    text = (
        "entries:\n"
        "  - id: quote-d00001\n"  # indented list
        "    role: quote\n"
        "    topics: 廉洁文化\n"  # a single topic as text
        "    levels: 县\n"
        "    years: 2026\n"  # one year, as a number
        "    text: >-\n"
        "      习近平总书记强调，要一体推进不敢腐、不能腐、不想腐。\n"
        "    source: 001_72772b59ca55cb1f.txt:30\n"
        "    style: 一是\n"
        "    note: null\n"
        "    rejected: false\n"
        "\n"
        "  - {id: quote-d00002, role: quote, text: 数据是【X亿元】，占【X】%。}\n"
    )
    bank = make_bank(tmp_path / "bank", {"quote.yml": text, "empty.yaml": "# 空文件\n"})
    code, out, _ = run("bank", "check", "--bank", str(bank))
    assert code == 0, out
    assert "2 个条目" in out


def test_all_problems_in_one_run_across_files(tmp_path: Path) -> None:
    bad = ENTRY.replace("role: point", "role: paragraph").replace("[作风建设]", "[廉政]") + "  colour: red\n"
    syntax = 'entries:\n- id: point-x1\n  text: "未闭合\n'
    bank = make_bank(tmp_path / "bank", {"a.yaml": bad, "b.yaml": syntax, "c.yaml": POINT})
    report = check_bank_dir(bank)
    found = [(p.path.name, p.line) for p in report.problems]
    assert found == [("a.yaml", 3), ("a.yaml", 4), ("a.yaml", 6), ("b.yaml", 3)]
    code, out, _ = run("bank", "check", "--bank", str(bank))
    assert code == 1 and len(problem_lines(out)) == 4


def test_non_utf8_file(tmp_path: Path) -> None:
    bank = make_bank(tmp_path / "bank", {"ok.yaml": POINT})
    (bank / "gbk.yaml").write_bytes("entries:\n- id: a\n  text: 中文\n".encode("gbk"))
    code, out, _ = run("bank", "check", "--bank", str(bank))
    assert code == 1
    assert f"{bank / 'gbk.yaml'}:3: 语料库文件不是 UTF-8 编码" in out


def test_crlf_and_bom_lines(tmp_path: Path) -> None:
    text = ("\ufeff" + ENTRY.replace("role: point", "role: nope")).replace("\n", "\r\n")
    bank = make_bank(tmp_path / "bank", {"t.yaml": text})
    assert [(p.line, "未知角色" in p.message) for p in check_bank_dir(bank).problems] == [(3, True)]


def test_missing_bank_folder_is_a_user_error(tmp_path: Path) -> None:
    code, _, err = run("bank", "check", "--bank", str(tmp_path / "nope"))
    assert code == 1
    assert "语料库文件夹不存在" in err and "Traceback" not in err


def test_env_bank_is_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bank = make_bank(tmp_path / "bank", {"t.yaml": ENTRY.replace("role: point", "role: nope")})
    monkeypatch.setenv("DRAFTER_BANK", str(bank))
    code, out, _ = run("bank", "check")
    assert code == 1 and "未知角色「nope」" in out


# --- JSON Schema ---------------------------------------------------------------------------------


def test_schema_file_is_generated_from_code() -> None:
    on_disk = json.loads((ROOT / "docs" / "phrasebank.schema.json").read_text(encoding="utf-8"))
    assert on_disk == json_schema(), "重新生成：drafter bank schema > docs/phrasebank.schema.json"
    code, out, _ = run("bank", "schema")
    assert code == 0 and json.loads(out) == on_disk


def test_schema_knows_roles_topics_and_fields() -> None:
    entry = json_schema()["properties"]["entries"]["items"]
    assert "point" in entry["properties"]["role"]["enum"]
    assert set(entry["required"]) == {"id", "text", "role"}
    assert entry["additionalProperties"] is False
    assert "作风建设" in entry["properties"]["topics"]["oneOf"][0]["enum"]


def test_docs_list_every_role_topic_slot_and_field() -> None:
    docs = (ROOT / "docs" / "phrasebank.md").read_text(encoding="utf-8")
    missing = [f"`{r}`" for r in ROLES if f"`{r}`" not in docs]
    missing += [t for t in TOPICS if f"| {t} |" not in docs]
    missing += [f"`{{{s}}}`" for s in ALL_SLOTS if f"`{{{s}}}`" not in docs]
    missing += [f"`{f}`" for f in FIELD_ORDER if f"| `{f}` |" not in docs]
    assert not missing, f"docs/phrasebank.md 缺少：{missing}"


# --- robustness --------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_check_never_crashes_on_any_text(text: str) -> None:
    result = check_text(text, path=Path("x.yaml"))
    assert all(p.line >= 1 for p in result.problems)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=0, max_value=len(POINT) - 1),
    st.sampled_from([" ", "\t", ":", "-", '"', "\n", "【", "{", "#"]),
)
def test_check_never_crashes_on_damaged_files(position: int, char: str) -> None:
    text = POINT[:position] + char + POINT[position:]
    result = check_text(text, path=Path("x.yaml"))
    assert all(1 <= p.line <= text.count("\n") + 2 for p in result.problems)


def _bundled_files_with_entries() -> list[Path]:
    return [
        p
        for p in sorted((ROOT / "phrasebank").glob("*.yaml"))
        if "\n  - id: " in p.read_text(encoding="utf-8") or "\n- id: " in p.read_text(encoding="utf-8")
    ]


def test_three_breakages_in_a_copy_of_the_bundled_bank(tmp_path: Path) -> None:
    files = _bundled_files_with_entries()
    if len(files) < 3:
        pytest.skip("内置语料库尚未生成")
    bank = tmp_path / "copy"
    shutil.copytree(ROOT / "phrasebank", bank)
    first, second, third = (bank / p.name for p in files[:3])
    # 1. one more space before the second field of the first entry
    lines = first.read_text(encoding="utf-8").split("\n")
    dash = next(i for i, line in enumerate(lines) if line.lstrip().startswith("- id: "))
    lines[dash + 1] = " " + lines[dash + 1]
    first.write_text("\n".join(lines), encoding="utf-8")
    broken_line = dash + 2
    # 2. an unknown topic in the second file
    text = second.read_text(encoding="utf-8")
    at = text.index("topics: [")
    second.write_text(text[:at] + "topics: [反腐倡廉, " + text[at + len("topics: [") :], encoding="utf-8")
    topic_line = text[:at].count("\n") + 1
    # 3. the third file's first id becomes the second file's first id
    taken = re.search(r"id: (\S+)", text)
    assert taken is not None
    text = third.read_text(encoding="utf-8")
    own = re.search(r"id: (\S+)", text)
    assert own is not None
    third.write_text(text[: own.start(1)] + taken.group(1) + text[own.end(1) :], encoding="utf-8")
    dup_line = text[: own.start()].count("\n") + 1
    code, out, _ = run("bank", "check", "--bank", str(bank))
    assert code == 1
    assert [line.split(": ", 1)[0] for line in problem_lines(out)] == [
        f"{first}:{broken_line}",
        f"{second}:{topic_line}",
        f"{third}:{dup_line}",
    ]

"""Composition: skeleton templates, sandbox, template errors, phrase choice invariants."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drafter.bank import load_bank
from drafter.draft.compose import compose_draft, heading_marker, list_templates, numbered, sub_marker
from drafter.draft.context import DraftParams, build_context
from drafter.errors import ContextError, TemplateError
from drafter.models import Bank

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def mini_bank() -> Bank:
    return load_bank(user_dirs=[DATA / "compose_bank"], include_bundled=False)


def _ctx(**kw: object):  # type: ignore[no-untyped-def]
    base = {"year": 2026, "locality": "城固县", "level": "县"}
    return build_context(DraftParams(**{**base, **kw}))  # type: ignore[arg-type]


def test_markers_are_generated() -> None:
    assert [heading_marker(n) for n in (1, 2, 10, 11)] == ["一、", "二、", "十、", "十一、"]
    assert heading_marker(3, "第一，") == "第三，"
    assert [sub_marker(n, "一要") for n in (1, 2)] == ["一要", "二要"]
    assert sub_marker(4, "（一）") == "（四）"
    assert sub_marker(2, "一是") == "二是"
    assert numbered(1, "一要", "要在助企纾困上持续发力。") == "一要在助企纾困上持续发力。"


@pytest.mark.parametrize("template", ["标准", "第一式", "分条式"])
@pytest.mark.parametrize("points", [3, 4, 5])
def test_announced_count_equals_parts(mini_bank: Bank, template: str, points: int) -> None:
    draft = compose_draft(_ctx(template=template, points=points), mini_bank)
    headings = [b.text for b in draft.blocks if b.kind == "heading1"]
    assert len(headings) == points
    announce = re.search(r"我讲(.)点意见", draft.text)
    assert announce and announce.group(1) == "一二三四五"[points - 1]
    style = "第" if template == "第一式" else ""
    assert all(h.startswith(f"{style}{'一二三四五'[i]}") for i, h in enumerate(headings))


def test_level_words_rendered(mini_bank: Bank) -> None:
    text = compose_draft(_ctx(points=3), mini_bank).text
    assert "全县政府系统" in text and "县委" in text
    assert "{" not in text and "全市" not in text


def test_sources_follow_paragraphs(mini_bank: Bank) -> None:
    draft = compose_draft(_ctx(points=3), mini_bank)
    ids = {i for b in draft.blocks for i in b.entry_ids}
    assert "closing-aaaa1111" in ids
    assert all("\ue000" not in b.text and "\ue001" not in b.text for b in draft.blocks)


def test_same_seed_same_text_other_seed_differs(mini_bank: Bank) -> None:
    a = compose_draft(_ctx(seed=1, template="标准", points=3), mini_bank).text
    b = compose_draft(_ctx(seed=1, template="标准", points=3), mini_bank).text
    others = {compose_draft(_ctx(seed=s, template="标准", points=3), mini_bank).text for s in range(2, 6)}
    assert a == b
    assert others - {a}  # a small bank leaves few choices, yet some other seed changes the draft


def test_too_many_topics_is_a_clear_error(mini_bank: Bank) -> None:
    with pytest.raises(ContextError, match="只有 2 个工作部分"):
        compose_draft(_ctx(points=3, template="标准", topics=("政治建设", "作风建设", "权力监督")), mini_bank)
    with pytest.raises(ContextError, match="没有适合 2026 年、县级的「法治政府」要点"):
        compose_draft(_ctx(points=5, template="分条式", topics=("法治政府",)), mini_bank)


def test_user_topics_keep_their_order(mini_bank: Bank) -> None:
    draft = compose_draft(_ctx(points=3, template="标准", topics=("权力监督", "政治建设")), mini_bank)
    headings = [b.text for b in draft.blocks if b.kind == "heading1"]
    assert "行政权力" in headings[1] and "政治定力" in headings[2]


def _write_template(folder: Path, name: str, body: str) -> None:
    (folder / f"{name}.j2").write_text(body, encoding="utf-8")


def test_user_templates_come_first(tmp_path: Path, mini_bank: Bank) -> None:
    _write_template(
        tmp_path, "标准", "{#- drafter: review=part1 desc=mine -#}\n@title {{ title }}\n同志们好。\n"
    )
    names = {t.name: t for t in list_templates(tmp_path)}
    assert names["标准"].path.parent == tmp_path
    draft = compose_draft(_ctx(template="标准", points=3), mini_bank, templates_dir=tmp_path)
    assert draft.blocks[-1].text == "同志们好。"


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        (
            "{#- drafter: review=part1 -#}\n@title {{ title }}\n{% for p in parts %}\n{{ p.topic }\n",
            4,
            "语法错误",
        ),
        ("{#- drafter: review=part1 -#}\n@title {{ title }}\n\n{{ no_such_name }}\n", 4, "未定义"),
        ("{#- drafter: review=part1 -#}\n@title {{ ''.__class__.__mro__ }}\n", 2, "不允许"),
        ("{#- drafter: review=part1 -#}\n{{ ''|attr('__class__') }}\n", 2, "不允许"),
        ("{#- drafter: review=part1 -#}\n{{ '{0.__class__}'.format(title) }}\n", 2, "不允许"),
    ],
)
def test_template_errors_name_file_and_line(
    tmp_path: Path, mini_bank: Bank, body: str, line: int, message: str
) -> None:
    _write_template(tmp_path, "坏模板", body)
    with pytest.raises(TemplateError) as info:
        compose_draft(_ctx(template="坏模板", points=3), mini_bank, templates_dir=tmp_path)
    assert message in info.value.message
    assert info.value.path is not None and info.value.path.name == "坏模板.j2"
    assert info.value.line == line


def test_hard_coded_count_is_caught(tmp_path: Path, mini_bank: Bank) -> None:
    body = (
        "{#- drafter: review=before -#}\n下面，我讲五点意见。\n"
        "{% for part in parts %}\n@h1 {{ loop.index|heading_marker }}{{ part.topic }}\n{% endfor %}\n"
    )
    _write_template(tmp_path, "写死", body)
    with pytest.raises(TemplateError, match="五点意见"):
        compose_draft(_ctx(template="写死", points=3), mini_bank, templates_dir=tmp_path)


def test_unknown_template_lists_choices(mini_bank: Bank) -> None:
    with pytest.raises(TemplateError) as info:
        compose_draft(_ctx(template="不存在", points=3), mini_bank)
    assert "标准" in (info.value.hint or "") and "分条式" in (info.value.hint or "")


@pytest.mark.parametrize("expression", ["'x' * 10**9", "[1] * 1000000", "2 ** 100000"])
def test_templates_cannot_build_huge_values(tmp_path: Path, mini_bank: Bank, expression: str) -> None:
    _write_template(
        tmp_path, "大", "{#- drafter: review=part1 -#}\n@title {{ title }}\n{{ " + expression + " }}\n"
    )
    with pytest.raises(TemplateError) as info:
        compose_draft(_ctx(template="大", points=3), mini_bank, templates_dir=tmp_path)
    assert "过大" in info.value.message and info.value.line == 3


def test_bank_text_cannot_forge_id_markers(tmp_path: Path) -> None:
    bank_dir = tmp_path / "bank"
    bank_dir.mkdir()
    text = (DATA / "compose_bank" / "entries.yaml").read_text(encoding="utf-8")
    text = text.replace("让我们在{市委}的坚强领导下，奋发有为！", "让我们\ue000奋发\ue001有为，再创佳绩！")
    (bank_dir / "entries.yaml").write_text(text, encoding="utf-8")
    bank = load_bank(user_dirs=[bank_dir], include_bundled=False)
    closing = compose_draft(_ctx(points=3, template="标准"), bank).blocks[-1]
    assert closing.text.endswith("让我们奋发有为，再创佳绩！")


def test_error_in_an_imported_macro_names_that_file(tmp_path: Path, mini_bank: Bank) -> None:
    (tmp_path / "_宏.j2").write_text(
        "{% macro m() %}\n{{ nothing_here }}\n{% endmacro %}\n", encoding="utf-8"
    )
    body = '{#- drafter: review=part1 -#}\n{% import "_宏.j2" as x %}\n@title {{ title }}\n{{ x.m() }}\n'
    _write_template(tmp_path, "主", body)
    with pytest.raises(TemplateError) as info:
        compose_draft(_ctx(template="主", points=3), mini_bank, templates_dir=tmp_path)
    assert info.value.path is not None and info.value.path.name == "_宏.j2"
    assert info.value.line == 2 and "nothing_here" in info.value.message


def test_without_a_template_the_draft_follows_a_mined_skeleton(tmp_path: Path) -> None:
    bank_dir = tmp_path / "bank"
    bank_dir.mkdir()
    (bank_dir / "entries.yaml").write_text(
        (DATA / "compose_bank" / "entries.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (bank_dir / "skeletons.yaml").write_text(
        "skeletons:\n"
        "  - id: skeleton-test0001\n    source: x.txt\n    points: 4\n    heading_style: 第一，\n"
        "    sections: [opening, part, review, problems, part, part, part, closing]\n"
        "    parts:\n"
        + "".join(
            "      - {topics: [], sub_style: （一）, sub_count: 3, has_lead: false}\n" for _ in range(4)
        ),
        encoding="utf-8",
    )
    bank = load_bank(user_dirs=[bank_dir], include_bundled=False)
    draft = compose_draft(_ctx(points=4), bank)
    headings = [b.text for b in draft.blocks if b.kind == "heading1"]
    assert [h[:3] for h in headings] == ["第一，", "第二，", "第三，", "第四，"]
    assert any(b.text.startswith("（二）") for b in draft.blocks)

"""Issue 16: a text's shape (facts.shape) lets a search pass over an entry without building it. The
shape must say what the text says, and a search's shape test may refuse only what its text test
refuses, so the drafts do not change."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from drafter.bank.load import load_bank_dir
from drafter.bank.rows import EntryTable
from drafter.draft import select
from drafter.facts import shape as sh
from drafter.facts.shape import KNOWN, text_shape
from drafter.models import Entry
from drafter.resources import bundled_bank_dir

HEADING = Entry(id="h", role="heading", text="", topics=("作风建设",), style="一、")

# (shape test, the text test it stands for)
PAIRS = [
    (select._shape_has_lead, lambda t: select.has_lead(t)),
    (select._shape_titled, lambda t: select.titled(t)),
    (select._shape_part_heading, lambda t: select.part_heading_entry(HEADING, t)),
    (
        select._shape_review_heading,
        lambda t: select._REVIEW_HEADING_RE.search(t) is not None and not t.startswith("要"),
    ),
    (select._shape_remark, lambda t: select._REMARK_RE.search(t) is not None),
    (select._shape_no_figure, lambda t: "【" not in t),
    (select._shape_quote, lambda t: len(t) <= select._MAX_QUOTE and "【" not in t),
]


def _only_refuses_what_the_text_test_refuses(text: str) -> None:
    shape = text_shape(text)
    for by_shape, by_text in PAIRS:
        if not by_shape(shape, len(text)):
            assert not by_text(text), (text, by_shape.__name__)


def test_the_bundled_bank_shapes_from_the_cache_are_the_texts_own() -> None:
    load_bank_dir(bundled_bank_dir())  # writes the load cache
    table, _ = load_bank_dir(bundled_bank_dir())
    assert len(table) > 300
    assert list(table.shapes) == [text_shape(e.text) for e in table]
    assert list(EntryTable.of(list(table)).shapes) == list(table.shapes)
    assert sum(1 for s in table.shapes if s & KNOWN) > len(table) // 2  # most entries have no slot
    for entry in table:
        _only_refuses_what_the_text_test_refuses(entry.text)


def test_a_text_a_draft_changes_has_no_shape() -> None:
    for text in ("{全市}要压实责任。", "要压实责任\ue000x\ue001。", "刚才，{姓名}同志作了讲话。"):
        assert text_shape(text) == 0
        for by_shape, _ in PAIRS:
            assert by_shape(0, len(text))


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["要", "刚才", "习近平", "总书记", "。", "！", "；", "，", "【X】", "认清形势", "总结", "成绩"]
            + ["主体责任持续压实", "提升服务意识", "压实", "监督", "x" * 30, "字" * 12]
        ),
        max_size=8,
    ).map("".join)
    | st.text(max_size=60)
)
def test_a_shape_test_refuses_only_what_its_text_test_refuses(text: str) -> None:
    _only_refuses_what_the_text_test_refuses(text)


def test_the_shape_holds_the_lead_and_the_marks() -> None:
    shape = text_shape("要提升服务意识。各部门要【X】。")
    assert shape & KNOWN and shape & 0xFF == len("要提升服务意识。")
    assert shape & sh.LEAD_FULL_STOP and shape & sh.OPENS_YAO and shape & sh.HAS_BRACKET
    assert shape & sh.HAS_FULL_STOP and not shape & (sh.OPENS_REMARK | sh.OPENS_QUOTE)
    assert text_shape("字" * 300) & sh.LEAD_LENGTH == 255

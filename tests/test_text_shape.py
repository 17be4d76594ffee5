"""Issue 16: a text's shape (facts.shape) lets a search pass over an entry without building it. The
shape must say what the text says, and a search's shape test may refuse only what its text test
refuses, so the drafts do not change."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from drafter.bank.load import load_bank_dir
from drafter.bank.rows import EntryTable
from drafter.draft import select
from drafter.facts import shape as sh
from drafter.facts.shape import KNOWN, slot_values, text_shape
from drafter.facts.subjects import lead_sentence
from drafter.facts.vocab import SLOT_RE, level_values, render_slots
from drafter.models import Entry
from drafter.resources import bundled_bank_dir

SLOTS = {**level_values("县"), "年份": "2027年", "中央纪委全会": "二十届中央纪委六次全会"}
VALUES = slot_values(SLOTS.values())
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
        if not by_shape(shape, len(text), VALUES):
            assert not by_text(render_slots(text, SLOTS)), (text, by_shape.__name__)


def test_the_bundled_bank_shapes_from_the_cache_are_the_texts_own() -> None:
    load_bank_dir(bundled_bank_dir())  # writes the load cache
    table, _ = load_bank_dir(bundled_bank_dir())
    assert len(table) > 300
    assert list(table.shapes) == [text_shape(e.text) for e in table]
    assert list(EntryTable.of(list(table)).shapes) == list(table.shapes)
    assert sum(1 for s in table.shapes if s & KNOWN) > len(table) // 2  # most entries have no slot
    for entry in table:
        _only_refuses_what_the_text_test_refuses(entry.text)


def test_a_text_a_draft_may_change_past_its_slots_has_no_shape() -> None:
    for text in ("要压实责任\ue000x\ue001。", "要求{好。}x", "要求{【X】}x"):
        assert text_shape(text) == 0
        for by_shape, _ in PAIRS:
            assert by_shape(0, len(text), VALUES)


def test_a_slot_at_the_start_leaves_the_opening_to_the_values() -> None:
    for text in ("{全市}要压实责任。", "刚{才}，同志们。", "习近{x}总书记"):
        shape = text_shape(text)
        assert shape & (sh.OPENING_UNKNOWN | sh.OPENS_SLOT) and sh.lead_bounds(shape, VALUES) is not None
        assert not shape & (sh.OPENS_YAO | sh.OPENS_REMARK | sh.OPENS_QUOTE)
        opens_slot = text.startswith("{")
        assert bool(shape & sh.OPENS_SLOT) == opens_slot
        # 刚才…: only where a value may begin it (this draft's values begin with 全, 县, 2, 二…)
        assert select._shape_remark(shape, len(text), VALUES) != opens_slot
        assert select._shape_remark(shape, len(text), slot_values(["全县", "刚"]))
        assert select._shape_remark(shape, len(text), slot_values(["全县", ""]))


def test_a_slotted_shape_bounds_the_drafted_lead() -> None:
    text = "刚才，{全市}各级{市委}同志作了讲话。{上年}成绩【X】。"
    shape = text_shape(text)
    assert shape & KNOWN and shape & sh.SLOTTED and shape & sh.OPENS_REMARK and shape & sh.HAS_BRACKET
    assert shape & sh.LEAD_LENGTH == len("刚才，各级同志作了讲话。")
    low, high = sh.lead_bounds(shape, VALUES) or (0, 0)
    assert low <= len(lead_sentence(render_slots(text, SLOTS))) <= high
    ends = slot_values(["全县", "二十届中央纪委六次全会。"])
    assert ends.ends and sh.lead_bounds(shape, ends) is None
    assert slot_values(["全县", "【省份】"])[:3] == (2, 4, False)  # a value may hold a figure to fill
    no_figure = text_shape("要求各级{全市}压实。")  # …which a slotted text without one may then hold
    assert no_figure & sh.SLOTTED and select._shape_no_figure(
        no_figure, 12, slot_values(["全县", "【省份】"])
    )
    assert select._shape_remark(shape, len(text), VALUES) and not select._shape_no_figure(
        shape, len(text), VALUES
    )


_PIECES = ["{全市}", "{市委}", "{年份}", "{中央纪委全会}", "{未知}", "{好。}", "{}", "{"]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["要", "刚才", "刚", "才", "习近平", "总书记", "。", "；", "，", "【X】", "认清形势", "成绩"]
            + ["主体责任持续压实", "提升服务意识", "x" * 30, *_PIECES]
        ),
        max_size=10,
    ).map("".join),
    st.dictionaries(
        st.sampled_from(["全市", "市委", "年份", "中央纪委全会"]),
        st.sampled_from(
            ["", "全县", "才", "平", "二十届中央纪委六次全会", "x" * 40, "一。二", "【X】", "刚才"]
        ),
    ),
)
@example("刚{全市}，同志们作了发言。", {"全市": "才"})  # a value that completes an opening
@example("{全市}，同志们作了发言。", {"全市": "刚才"})  # …or begins one
@example("习近{市委}总书记指出，要压实责任。", {"市委": "平"})
@example("提升服务{全市}意识，全面加强能力建设，推动工作落实落地。", {"全市": "一。二"})  # ends a sentence
def test_a_slotted_shape_refuses_only_what_the_draft_refuses(text: str, values: dict[str, str]) -> None:
    shape, growth = text_shape(text), slot_values(values.values())
    drafted = render_slots(text, values).replace("\ue000", "").replace("\ue001", "")
    bounds = sh.lead_bounds(shape, growth)
    if bounds is not None and not SLOT_RE.search(drafted):
        assert bounds[0] <= min(len(lead_sentence(drafted)), 255) and len(lead_sentence(drafted)) <= bounds[1]
    for by_shape, by_text in PAIRS:
        if not by_shape(shape, len(text), growth):
            assert SLOT_RE.search(drafted) or not by_text(drafted), (text, values, by_shape.__name__)


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

"""Mining's start-up and its memory (issue 16): a merge into a new folder needs no ruamel, writes the
shapes ruamel would quote exactly as ruamel does, reads a large new file back in slices, and the
per-text caches stay bounded."""

from __future__ import annotations

from array import array
from pathlib import Path

import pytest
from conftest import direct_text, probe, ruamel_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafter.bank import merge as merge_module
from drafter.errors import BankError, UserError
from drafter.facts.topics import TOPIC_KEYWORDS, classify_topics
from drafter.fsutil import write_files_atomic
from drafter.mine import candidates
from drafter.mine.outline import Part, parse_speech
from drafter.models import Entry, Skeleton, SkeletonPart, SourceLine, YearRange
from drafter.read import sentences
from drafter.read.sentences import split_sentences, split_sentences_quoted
from drafter.read.sources import read_source

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SOME = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _doc(key: str, items: list[object]) -> merge_module._Doc:
    doc = merge_module._new_doc(Path(f"{key}.yaml"), key)
    doc.data[key].extend(items)
    return doc


_DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=5)
_YEARS = st.one_of(
    _DIGITS,
    st.builds(lambda a, b, sep: f"{a}{sep}{b}", _DIGITS, st.one_of(st.just(""), _DIGITS), st.just("-")),
)
_SLOT_FIRST = st.builds(
    lambda body: "{" + body,
    st.text(alphabet="全市县区{}要坚持“”‘’，。、（）！：—…·aZ09%._+/()-'\u3000 :#", max_size=12),
)


_WORDS = st.one_of(
    st.sampled_from(
        ["y", "n", "yes", "no", "on", "off", "true", "false", "null", "review_item", "parts_intro"]
    ),
    st.from_regex(r"[a-z_]{1,12}", fullmatch=True),
)


_FREE = st.text(alphabet="时效：目前，{我市}全要“”（）—…·aZ09%._+/()-'\" :#,[]\\\u3000\t", max_size=10)


@SOME
@given(st.one_of(_YEARS, _SLOT_FIRST, _WORDS, _FREE), st.booleans(), st.booleans())
def test_quoted_shapes_are_written_as_ruamel_writes_them(value: str, flow: bool, quoted: bool) -> None:
    scalar = merge_module._Scalars()
    try:
        direct = scalar(value, flow=flow, quoted=quoted)
    except merge_module._NotSimple:
        return
    assert direct == merge_module._Scalars._probe(value, flow=flow, quoted=quoted), value


def test_entries_with_years_and_slots_are_written_without_ruamel() -> None:
    entries = [
        Entry(
            id="point-00000001", role="point", text="{全市}要坚持“两个维护”。", years=YearRange(2026, 2026)
        ),
        Entry(id="point-00000002", role="point", text="{全市}上下要…", years=YearRange(None, 2022)),
        Entry(
            id="point-00000003",
            role="point",
            text="要坚持。",
            years=YearRange(2021, None),
            source=("a.txt:3",),
        ),
        Entry(id="point-00000004", role="point", text="要坚持。", years=YearRange(2019, 2023)),
    ]
    doc = _doc("entries", list(entries))
    text = direct_text(doc)
    assert text is not None
    assert text == ruamel_text(doc)
    assert "years: '2026'" in text and "text: '{全市}要坚持“两个维护”。'" in text


def test_a_skeleton_without_parts_is_written_without_ruamel() -> None:
    skeletons = [
        Skeleton(id="skeleton-00000001", source="a.txt", points=0, heading_style=None, parts=(), sections=()),
        Skeleton(
            id="skeleton-00000002",
            source="b.txt",
            points=1,
            heading_style="一、",
            parts=(SkeletonPart(topics=("作风建设",), sub_style=None, sub_count=2, has_lead=True),),
            sections=("opening", "part"),
        ),
    ]
    doc = _doc("skeletons", list(skeletons))
    text = direct_text(doc)
    assert text is not None and "    parts: []\n" in text
    assert text == ruamel_text(doc)


def test_mining_into_a_new_folder_imports_no_ruamel(tmp_path: Path) -> None:
    seed = sorted(SEEDS.glob("*.txt"))[0]
    done, modules = probe("mine", str(seed), "--bank", str(tmp_path / "bank"))
    assert done.returncode == 0, done.stderr
    assert "已写入" in done.stdout
    assert "ruamel.yaml" not in modules
    assert (tmp_path / "bank" / "skeletons.yaml").is_file()


def _many_entries(count: int) -> list[Entry]:
    return [
        Entry(id=f"point-{n:08x}", role="point", text=f"要坚持第{n}条。", source=(f"a{n}.txt:{n + 1}",))
        for n in range(count)
    ]


def test_a_new_file_is_rendered_read_back_and_written_in_chunks(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(merge_module, "VERIFY_SLICE", 2000)
    doc = _doc("entries", list(_many_entries(300)))
    chunks = list(merge_module._dump(doc))
    assert doc.direct and len(chunks) > 5  # in chunks of whole items ...
    text = direct_text(doc)
    assert text is not None and "".join(chunks) == text  # ... that together are the file
    assert chunks[0].startswith("# ") and all(c.startswith("  - id: point-") for c in chunks[1:])
    assert all(len(c) < 2000 + 200 for c in chunks)
    read: list[str] = []
    real = merge_module._verify_text
    monkeypatch.setattr(merge_module, "_verify_text", lambda t, p: read.append(t) or real(t, p))
    merge_module._verify_chunks(chunks, Path("point.yaml"))
    assert len(read) == len(chunks) and all(t.startswith(("# ", "entries:\n  - id: point-")) for t in read)
    # An item the loader rejects is found in whichever chunk it is.
    broken = [*chunks[:3], chunks[3] + "  - id: point-ffffffff\n    role: point\n", *chunks[4:]]
    with pytest.raises(BankError):
        merge_module._verify_chunks(broken, Path("point.yaml"))
    # The rendered file is handed to the writer chunk by chunk, each read back just before: never held
    # whole, as text or as read-back data.
    read.clear()
    handed = merge_module._rendered(_doc("entries", list(_many_entries(300))), tmp_path / "point.yaml")
    assert not isinstance(handed, str)
    assert next(handed) == chunks[0] and len(read) == 1
    assert next(handed) == chunks[1] and len(read) == 2
    # A text too large to keep when first rendered is made again as it is taken: the same chunks.
    monkeypatch.setattr(merge_module, "KEEP_RENDERED", 5000)
    again = merge_module._dump(_doc("entries", list(_many_entries(300))))
    assert not isinstance(again, list) and list(again) == chunks
    handed = merge_module._rendered(_doc("entries", list(_many_entries(300))), tmp_path / "point.yaml")
    write_files_atomic({tmp_path / "point.yaml": lambda: handed})
    assert (tmp_path / "point.yaml").read_text(encoding="utf-8") == text


# --- a part's topics from its paragraphs' hits ---------------------------------------------------------


def _parts() -> list[Part]:
    found = []
    for path in [*sorted(SEEDS.glob("*.txt")), *sorted((ROOT / "tests" / "data").rglob("*.txt"))]:
        try:
            found.extend(parse_speech(read_source(path)).parts)
        except UserError:
            continue
    return found


def test_part_topics_are_classify_topics_of_the_whole_part() -> None:
    parts = _parts()
    assert len(parts) > 20
    for part in parts:
        text = "\n".join([part.heading or "", *(line.text for line in part.paragraphs)])
        assert candidates._part_topics(part) == classify_topics(text, limit=2, lead=part.heading or "")


_WORDS_OF_TOPICS = [word for words in TOPIC_KEYWORDS.values() for word in words]


@SOME
@given(
    st.one_of(st.none(), st.sampled_from(_WORDS_OF_TOPICS)),
    st.lists(
        st.lists(
            st.one_of(st.sampled_from(_WORDS_OF_TOPICS), st.text(alphabet="要的，。查监督资金", max_size=4))
        ),
        max_size=5,
    ),
)
def test_generated_parts_get_the_topics_of_their_whole_text(
    heading: str | None, paragraphs: list[list[str]]
) -> None:
    lines = tuple(SourceLine(n + 2, "".join(words)) for n, words in enumerate(paragraphs))
    part = Part(number=1, heading=heading, style="一、" if heading else None, line=1, paragraphs=lines)
    text = "\n".join([heading or "", *(line.text for line in lines)])
    assert candidates._part_topics(part) == classify_topics(text, limit=2, lead=heading or "")


# --- sentence splits kept as offsets ---------------------------------------------------------------------


def _reference_split(text: str) -> list[str]:
    """split_sentences_quoted as a plain character loop (what the cached offsets must give)."""
    out: list[str] = []
    depth = 0
    start = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "“‘《「『":
            depth += 1
        elif ch in "”’》」』":
            depth = max(0, depth - 1)
            if depth == 0 and i > 0 and text[i - 1] in "。！？!?":
                out.append(text[start : i + 1])
                start = i + 1
        elif ch in "。！？!?" and depth == 0:
            j = i + 1
            while j < len(text) and text[j] in "。！？!?”’」』）)":
                j += 1
            out.append(text[start:j])
            start = j
            i = j
            continue
        i += 1
    if depth:
        return split_sentences(text)
    if start < len(text):
        out.append(text[start:])
    return [s for s in out if s.strip()]


@SOME
@given(st.text(alphabet="要好a 。！？!?“”‘’《》「」『』）)\u3000\n", max_size=40))
def test_sentence_splits_from_cached_offsets(text: str) -> None:
    assert split_sentences_quoted(text) == _reference_split(text)
    assert split_sentences_quoted(text) == _reference_split(text)  # again, from the cache
    bounds = sentences._split_quoted(text)
    assert isinstance(bounds, array)  # offsets, not copies of the sentences


# --- skeletons share their equal parts -------------------------------------------------------------------


def test_equal_skeleton_parts_are_one_object(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seed = sorted(SEEDS.glob("*.txt"))[0]
    copy = tmp_path / "copy.txt"
    copy.write_bytes(seed.read_bytes())
    first, second = (candidates.mine_file(path).skeleton for path in (seed, copy))
    assert first.parts and first.parts == second.parts
    assert first.parts is second.parts and first.sections is second.sections
    assert second.source == "copy.txt"
    # The table of shared objects is bounded like the per-text caches.
    monkeypatch.setattr(candidates, "_SHARED", {})
    monkeypatch.setattr(candidates, "CACHE_SIZE", 4)
    for n in range(50):
        assert candidates._shared((n,)) == (n,)
        assert len(candidates._SHARED) <= 8

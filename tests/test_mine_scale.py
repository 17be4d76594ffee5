"""Mining at scale: each entry lists at most MAX_SOURCES places (the first ones), also when merging into a
bank that already lists them; the places left out are counted and reported; a bigger corpus of the same
speeches writes the same bank."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from drafter.bank import merge as merge_module
from drafter.bank import spool as spool_module
from drafter.bank.load import load_bank_dir
from drafter.bank.merge import MAX_SOURCES, CandidatePool, consolidate, plan_merge
from drafter.bank.spool import SPOOL_BATCH
from drafter.cli import app
from drafter.errors import BankError
from drafter.models import Entry

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SMALL_SEED = sorted(SEEDS.glob("*.txt"))[4]  # the shortest of the five


def _mine(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["mine", *args])
    return result.exit_code, result.stdout, result.stderr


def _entry(entry_id: str, text: str, *sources: str) -> Entry:
    return Entry(id=entry_id, text=text, role="point", source=sources)


def _copies(folder: Path, count: int, *, start: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    data = SMALL_SEED.read_bytes()
    for n in range(start, start + count):
        (folder / f"s{n:03d}.txt").write_bytes(data)
    return folder


def test_the_pool_keeps_the_first_places_and_counts_the_rest() -> None:
    text = "持之以恒落实中央八项规定精神，坚决纠治“四风”。"
    pool = CandidatePool()
    for n in range(MAX_SOURCES + 7):
        pool.add([_entry("point-1", text, f"s{n}.txt:3")])
    pool.add([_entry("point-1", text, "s0.txt:3")])  # a place already listed is no new place
    [entry] = pool.entries()
    assert entry.source == tuple(f"s{n}.txt:3" for n in range(MAX_SOURCES))
    assert pool.unlisted("point-1") == 7
    for n in range(10 * MAX_SOURCES):  # what the pool holds does not grow with the corpus
        pool.add([_entry("point-1", text, f"t{n}.txt:3")])
    assert pool.entries()[0].source == entry.source and pool.unlisted("point-1") == 7 + 10 * MAX_SOURCES
    assert len(pool._sources["point-1"]) == MAX_SOURCES
    # one candidate that already holds more places than the cap (one speech repeating a paragraph)
    pool = CandidatePool([_entry("point-2", text, *(f"a.txt:{n}" for n in range(MAX_SOURCES + 3)))])
    assert len(pool.entries()[0].source) == MAX_SOURCES and pool.unlisted("point-2") == 3


def test_near_identical_candidates_share_the_cap() -> None:
    text = "要持之以恒落实中央八项规定精神，坚决纠治形式主义和官僚主义问题。"
    near = "要持之以恒落实中央八项规定精神，坚决纠治形式主义、官僚主义问题。"
    first = [_entry("point-a", text, f"a{n}.txt:1") for n in range(15)]
    second = [_entry("point-b", near, f"b{n}.txt:1") for n in range(15)]
    unlisted: dict[str, int] = {}
    accepted, merged = consolidate([*first, *second], unlisted=unlisted)
    assert [e.id for e in accepted] == ["point-a"] and [c.into for c in merged] == ["point-a"]
    assert accepted[0].source == (*(f"a{n}.txt:1" for n in range(15)), *(f"b{n}.txt:1" for n in range(5)))
    assert unlisted == {"point-a": 10}


def test_an_entry_that_lists_the_maximum_gets_no_more(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    code, out, err = _mine(str(_copies(tmp_path / "first", MAX_SOURCES + 5)), "--bank", str(bank))
    assert code == 0, err
    entries = load_bank_dir(bank)[0]
    assert entries and max(len(e.source) for e in entries) == MAX_SOURCES
    full = [e for e in entries if len(e.source) == MAX_SOURCES]
    assert all(e.source[0] == f"s000.txt:{e.source[0].split(':')[1]}" for e in full)  # the first ones
    assert f"另有 {5 * len(full)} 处出处未列出" in out
    before = {e.id: e.source for e in entries}

    # Mining other copies into the bank: full entries stay as they are, and the new places are counted.
    code, out, err = _mine(str(_copies(tmp_path / "second", 3, start=100)), "--bank", str(bank))
    assert code == 0, err
    assert {e.id: e.source for e in load_bank_dir(bank)[0]} == before
    assert f"另有 {3 * len(full)} 处出处未列出" in out
    assert "条目：新增 0，更新 0，合并 0，" in out


def test_an_entry_listing_more_than_the_maximum_keeps_its_list(tmp_path: Path) -> None:
    many = tuple(f"old{n}.txt:1" for n in range(MAX_SOURCES + 4))
    entry = _entry("point-1", "持之以恒落实中央八项规定精神，坚决纠治“四风”问题。", *many)
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "point.yaml").write_text(  # written by hand or by an older drafter
        f"entries:\n- id: point-1\n  role: point\n  text: {entry.text}\n  source: [{', '.join(many)}]\n",
        encoding="utf-8",
    )
    assert load_bank_dir(bank)[0][0].source == many
    plan = plan_merge(bank, [_entry("point-1", entry.text, "new.txt:2")])
    assert [c.kind for c in plan.changes] == ["unchanged"] and plan.unlisted == 1


def test_a_bigger_corpus_of_the_same_speeches_writes_the_same_bank(tmp_path: Path) -> None:
    """What the write step holds follows the bank, not the corpus: more copies of the same speeches
    change nothing but the count of places left out."""
    texts = {}
    for count in (MAX_SOURCES + 1, 3 * MAX_SOURCES):
        bank = tmp_path / f"bank{count}"
        code, out, err = _mine(str(_copies(tmp_path / f"corpus{count}", count)), "--bank", str(bank))
        assert code == 0, err
        texts[count] = {p.name: p.read_bytes() for p in bank.iterdir() if p.suffix == ".yaml"}
    small, big = texts.values()
    assert small.keys() == big.keys()
    assert {k: v for k, v in small.items() if k != "skeletons.yaml"} == {
        k: v for k, v in big.items() if k != "skeletons.yaml"
    }


@pytest.mark.parametrize("cap", [2, 5])
def test_the_cap_holds_through_the_whole_merge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cap: int
) -> None:
    monkeypatch.setattr(merge_module, "MAX_SOURCES", cap)
    bank = tmp_path / "bank"
    code, out, err = _mine(str(_copies(tmp_path / "corpus", cap + 3)), "--bank", str(bank))
    assert code == 0, err
    entries = load_bank_dir(bank)[0]
    assert max(len(e.source) for e in entries) == cap
    assert f"每个条目最多列出 {cap} 处" in out


def _variants(count: int, start: int = 0) -> Iterator[Entry]:
    """A text and near-identical variants of it (one character changed each), each its own id (made as
    they are taken, and let go after, as a mined speech's candidates are)."""
    base = "要持之以恒落实中央八项规定精神，坚决纠治形式主义、官僚主义，" * 4
    for n in range(start, count + 1):
        text = base[: n % 100] + "严" + base[n % 100 + 1 :] if n else base
        yield _entry(f"point-{n}", text, f"s{n}.txt:1")


def test_candidates_wait_out_of_memory_and_merged_ones_stay_there() -> None:
    """A corpus brings ever more variants of its paragraphs: the pool holds a few fields per id while the
    candidates wait in a temporary file, and the merge keeps the changes of those merged into others
    there too, read back in order as often as asked."""
    import gc
    import tracemalloc

    tracemalloc.start()
    try:
        pool = CandidatePool(_variants(SPOOL_BATCH))  # (a batch written: the file open, pickle imported)
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        pool.add(_variants(3000, start=SPOOL_BATCH + 1))
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(pool) == 3001
    # a candidate holds a 120-character text (over 400 bytes as a str), its id and more; the pool keeps
    # its id and first place
    assert grown < (3000 - SPOOL_BATCH) * 300, grown
    accepted, merged = consolidate(pool)
    assert [entry.id for entry in accepted] == ["point-0"] and len(merged) == 3000
    changes = list(merged)
    assert [c.entry for c in changes] == list(_variants(3000, start=1))
    assert {c.into for c in changes} == {"point-0"} and list(merged) == changes  # read again
    assert accepted[0].source == tuple(f"s{n}.txt:1" for n in range(MAX_SOURCES))


def test_a_temporary_folder_that_cannot_be_written_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    monkeypatch.setattr(spool_module, "SPOOL_BATCH", 1)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    with pytest.raises(BankError, match="无法写入临时文件") as raised:
        CandidatePool(_variants(2))
    assert "TMPDIR" in (raised.value.hint or "")
    code, out, err = _mine(str(_copies(tmp_path / "corpus", 2)), "--bank", str(tmp_path / "bank"))
    assert code == 1 and "无法写入临时文件" in err and "TMPDIR" in err and "Traceback" not in err
    assert not (tmp_path / "bank").exists()

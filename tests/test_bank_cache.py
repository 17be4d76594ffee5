"""The bank load cache: same bank with or without it, under the (isolated) home, never required."""

from __future__ import annotations

import dataclasses
import json
import os
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from drafter.bank import cache as cache_module
from drafter.bank.cache import cache_dir
from drafter.bank.load import load_bank, load_bank_dir
from drafter.bank.rows import EntryTable
from drafter.cli import app
from drafter.errors import BankError
from drafter.models import Entry

DATA = Path(__file__).parent / "data"
runner = CliRunner()

BANK = """\
entries:
- id: point-a001
  role: point
  topics: [作风建设, 惩治腐败]
  years: 2023-
  text: 要持之以恒落实中央八项规定精神，{全市}各级要带头。
  source: [001_seed.txt:12]
  style: 一要
  note: 手改过
- id: point-a002
  role: point
  levels: [县, 区]
  years: "-2022"
  text: 要加强财政资金监管，压减一般性支出【X】%。
  locked: true
- id: closing-a001
  role: closing
  text: 同志们，让我们奋发有为。
  rejected: true
skeletons:
- id: sk-001
  source: 001_seed.txt
  points: 2
  heading_style: 一、
  sections: [opening, parts, closing]
  parts:
  - {topics: [作风建设], sub_style: 一要, sub_count: 3, has_lead: true}
  - {topics: [], sub_style: null, sub_count: 0, has_lead: false}
"""


def _age(*paths: Path, seconds: float = 3600) -> None:
    """Make files look settled (edited an hour ago): only those are cached."""
    then = time.time() - seconds
    for path in paths:
        os.utime(path, (then, then))


def _settled_bank(folder: Path, text: str) -> Path:
    """A bank folder of one settled file, point.yaml, holding ``text``."""
    folder.mkdir()
    (folder / "point.yaml").write_text(text, encoding="utf-8")
    _age(folder / "point.yaml")
    return folder


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    return _settled_bank(tmp_path / "bank", BANK)


def _cache_files() -> list[Path]:
    folder = cache_dir()
    assert folder is not None
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def test_cache_lives_under_the_isolated_home_and_gives_the_same_bank(bank: Path) -> None:
    home = Path(os.environ["HOME"])
    assert cache_dir() == home / ".cache" / "drafter" / "bank"
    cold = load_bank_dir(bank)
    files = _cache_files()
    assert len(files) == 1
    assert files[0].read_bytes().startswith(b"{")
    warm = load_bank_dir(bank)
    assert warm == cold
    for entry in warm[0]:  # every field, the loader's own file path included
        assert entry.file == bank / "point.yaml" and entry.line is None
        assert all(hasattr(entry, f.name) for f in dataclasses.fields(Entry))  # every slot set
    assert hash(warm[0][0]) == hash(cold[0][0])


def test_cached_entries_are_really_read_from_the_cache(bank: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_bank_dir(bank)

    def no_yaml(path: Path) -> dict[str, object]:
        raise AssertionError(f"parsed {path} despite a fresh cache")

    monkeypatch.setattr("drafter.bank.load.read_bank_file", no_yaml)
    assert [e.id for e in load_bank_dir(bank)[0]] == ["point-a001", "point-a002", "closing-a001"]


def test_xdg_cache_home_is_honoured_and_a_relative_one_ignored(
    bank: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    load_bank_dir(bank)
    assert len(list((tmp_path / "xdg" / "drafter" / "bank").glob("*.json"))) == 1
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert cache_dir() == Path(os.environ["HOME"]) / ".cache" / "drafter" / "bank"


def test_an_edited_file_is_read_again(bank: Path) -> None:
    path = bank / "point.yaml"
    load_bank_dir(bank)
    # Same size, new text: only the mtime (and the content) tell.
    path.write_text(BANK.replace("奋发有为", "砥砺前行"), encoding="utf-8")
    assert path.stat().st_size == len(BANK.encode("utf-8"))
    _age(path, seconds=1800)
    texts = [e.text for e in load_bank_dir(bank)[0]]
    assert "同志们，让我们砥砺前行。" in texts
    assert len(_cache_files()) == 1  # rewritten in place, not piled up


def test_a_file_edited_just_now_is_not_cached(bank: Path) -> None:
    (bank / "point.yaml").write_text(BANK, encoding="utf-8")
    load_bank_dir(bank)
    assert _cache_files() == []


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"not json at all",
        b"\xff\xfe\x00garbage",
        "KEY\n[]",  # right key, wrong payload
        'KEY\n{"entries": [[1, 2]], "skeletons": []}',
        'KEY\n{"entries": [',
        'KEY\n[]\n{"ids": ["point-a001"], "skeletons": []}\n',  # a header that does not fit
        "KEY\nROW\nROW\nHEAD\n",  # one entry line lost
        "KEY\nROW\nROW\nROW\nROW\nHEAD\n",  # one line too many
        "KEY\nROW\nROW\nROW\n",  # no header
    ],
)
def test_a_damaged_cache_is_ignored_and_rebuilt(bank: Path, damage: bytes | str) -> None:
    expected = load_bank_dir(bank)
    (cached,) = _cache_files()
    if isinstance(damage, str):
        key, *rows, head = cached.read_bytes().rstrip(b"\n").split(b"\n")
        parts = damage.encode("utf-8").split(b"\n")
        swap = {b"KEY": key, b"HEAD": head, b"ROW": rows[0]}
        damage = b"\n".join(swap.get(part, part) for part in parts)
    cached.write_bytes(damage)
    assert load_bank_dir(bank) == expected
    assert _head(cached)["ids"] == ["point-a001", "point-a002", "closing-a001"]  # rebuilt


def _head(cached: Path) -> dict[str, object]:
    data = cached.read_bytes()
    body = data.rstrip(b"\n").rsplit(b"\n", 1)[-1].rpartition(b"\t")[0]  # then a checksum
    head = json.loads(body)
    assert isinstance(head, dict)
    if head["ids"] is None:  # kept as text among the packed numbers, an id a line
        blob_start, _ = head["blob"]
        start, size = head["id_text"]
        head["ids"] = data[blob_start + start : blob_start + start + size].decode("utf-8").split("\n")
    return head


@pytest.mark.parametrize("row", ["not json", "[1, 2]", '["point-zzz", "文字", "point"]'])
def test_an_entry_line_damaged_after_the_header_was_read_is_loaded_from_the_yaml(
    bank: Path, row: str
) -> None:
    """Entries are built from their cache lines only when first wanted: a line found damaged then
    (its length unchanged, so the header still matches) gives the same entry from the bank file, and
    the cache file is dropped (rebuilt next time)."""
    expected = load_bank_dir(bank)[0]
    (cached,) = _cache_files()
    key, first, *rest = cached.read_bytes().split(b"\n")
    damaged = row.encode("utf-8").ljust(len(first))  # JSON allows the trailing spaces
    assert len(damaged) == len(first)
    cached.write_bytes(b"\n".join([key, damaged, *rest]))
    table = load_bank_dir(bank)[0]
    assert table.built() == 0  # nothing decoded yet
    assert list(table) == list(expected)
    assert not cached.exists()
    load_bank_dir(bank)
    assert _head(_cache_files()[0])["ids"] == [e.id for e in expected]


def test_a_cached_bank_builds_only_the_entries_asked_for(bank: Path) -> None:
    load_bank_dir(bank)
    table = load_bank_dir(bank)[0]
    assert (table.ids, table.roles) == (
        ["point-a001", "point-a002", "closing-a001"],
        ["point", "point", "closing"],
    )
    assert table.built() == 0
    assert table[1].text == "要加强财政资金监管，压减一般性支出【X】%。" and table.built() == 1
    assert list(table.flags) == [0, 2, 1]  # locked, rejected


def test_an_unwritable_cache_folder_is_skipped(
    bank: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # mkdir under a file fails, even for root
    assert [e.id for e in load_bank_dir(bank)[0]] == ["point-a001", "point-a002", "closing-a001"]
    assert blocker.read_text(encoding="utf-8") == "x"


def test_no_cache_switch(bank: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRAFTER_NO_CACHE", "1")
    load_bank_dir(bank)
    monkeypatch.delenv("DRAFTER_NO_CACHE")
    assert _cache_files() == []


def test_values_json_cannot_keep_are_not_cached(bank: Path) -> None:
    path = bank / "point.yaml"
    path.write_text(BANK.replace("note: 手改过", "note: 2024-03-05"), encoding="utf-8")  # a date object
    _age(path)
    first = load_bank_dir(bank)
    assert _cache_files() == []
    assert load_bank_dir(bank) == first


def test_errors_are_the_same_and_a_broken_file_is_never_served_from_the_cache(
    bank: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = bank / "point.yaml"
    load_bank_dir(bank)
    assert len(_cache_files()) == 1
    path.write_text(BANK.replace("role: closing", "role: ending"), encoding="utf-8")
    _age(path, seconds=1800)
    with pytest.raises(BankError) as cached_run:
        load_bank_dir(bank)
    monkeypatch.setenv("DRAFTER_NO_CACHE", "1")
    with pytest.raises(BankError) as plain_run:
        load_bank_dir(bank)
    assert str(cached_run.value) == str(plain_run.value)
    assert cached_run.value.line == plain_run.value.line == 16  # the entry's id line
    assert cached_run.value.hint == plain_run.value.hint


def test_a_cache_write_interrupted_leaves_no_temp_file(bank: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(fd: int, *args: object, **kwargs: object) -> object:
        os.close(fd)
        raise KeyboardInterrupt

    monkeypatch.setattr(cache_module.os, "fdopen", interrupted)
    with pytest.raises(KeyboardInterrupt):
        load_bank_dir(bank)
    folder = cache_dir()
    assert folder is not None and list(folder.iterdir()) == []


def test_layered_draft_is_identical_with_a_warm_cache(tmp_path: Path, bank: Path) -> None:
    """The bundled bank (settled files in the checkout) and a user bank, drafted twice."""
    first = load_bank(user_dirs=[bank])
    assert len(_cache_files()) >= 1  # the user bank's file (the bundled ones too once settled)
    assert load_bank(user_dirs=[bank]) == first
    outputs = []
    for name in ("a.txt", "b.txt"):
        out = tmp_path / name
        args = ["draft", "-y", "2026", "-l", "汉中市", "--level", "市", "--seed", "3", "-o", str(out)]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.stderr
        outputs.append(out.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1]


FACTS_BANK = """\
entries:
- id: point-f001
  role: point
  topics: [作风建设]
  text: 要巩固拓展脱贫攻坚成果，持之以恒落实中央八项规定精神，深化以案促改。坚决纠治四风。
- id: point-f002
  role: point
  topics: [作风建设]
  text: 要深化{全市}以案促改，持之以恒纠治四风。
- id: point-f003
  role: point
  topics: [作风建设]
  text: 同志们，让我们奋发有为。
"""


@pytest.fixture
def facts_bank(tmp_path: Path) -> Path:
    return _settled_bank(tmp_path / "facts-bank", FACTS_BANK)


def test_facts_kept_for_plain_entries_are_what_their_texts_give(facts_bank: Path) -> None:
    """Each plain entry's facts line holds its subjects' counts and its dated terms exactly as the facts
    modules give them; an entry with a slot has none (it reads differently in each draft). The same
    through a layered bank (a chain of tables)."""
    from drafter.facts.dated_terms import scan_terms
    from drafter.facts.subjects import subject_counts

    load_bank_dir(facts_bank)
    table = load_bank_dir(facts_bank)[0]
    assert table.built() == 0
    layered = EntryTable.of(load_bank(user_dirs=[facts_bank]).entries)  # the chain itself
    kept = [
        {where.ids[i]: where.facts_of(i) for i in range(len(where)) if where.ids[i] in table.ids}
        for where in (table, layered)
    ]
    assert table.built() == 0  # facts are read without building an entry
    texts = {e.id: e.text for e in table}
    for found in kept:
        assert found["point-f002"] is None  # {全市}
        for entry_id in ("point-f001", "point-f003"):
            assert found[entry_id] == (subject_counts(texts[entry_id]), scan_terms(texts[entry_id]))
        counts, hits = found["point-f001"]
        assert {s for s, _, _ in counts} >= {"四风", "以案促改"} and hits  # 巩固拓展脱贫攻坚成果


def test_damaged_facts_are_worked_out_again_and_the_draft_is_the_same(
    facts_bank: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from drafter.draft.compose import compose_draft
    from drafter.draft.context import DraftParams, build_context
    from drafter.facts import dated_terms, subjects

    def draft_text() -> str:
        subjects._MEMO.clear()  # nothing left over from an earlier draft
        dated_terms._MEMO.clear()
        params = DraftParams(year=2026, locality="城固县", level="县", seed=5)
        return compose_draft(build_context(params), load_bank(user_dirs=[facts_bank])).text

    monkeypatch.setenv("DRAFTER_NO_CACHE", "1")
    expected = draft_text()
    monkeypatch.delenv("DRAFTER_NO_CACHE")
    load_bank_dir(facts_bank)
    assert draft_text() == expected  # warm: facts from the cache
    cached = next(p for p in _cache_files() if b"point-f001" in p.read_bytes())
    lines = cached.read_bytes().split(b"\n")
    facts_line = next(n for n, line in enumerate(lines) if line.startswith(b"[[["))
    lines[facts_line] = b"[".ljust(len(lines[facts_line]), b" ")  # damaged, same length
    cached.write_bytes(b"\n".join(lines))
    table = load_bank_dir(facts_bank)[0]
    assert [table.facts_of(i) for i in range(len(table))].count(None) == 2  # the damaged one, {全市}
    assert draft_text() == expected


def test_the_cache_follows_the_dated_terms_table(bank: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The facts kept depend on the dated-terms table: another table, another key (read afresh)."""
    load_bank_dir(bank)
    parsed: list[Path] = []
    real = cache_module.read_cached

    def spy(path: Path, st: os.stat_result, reparse: object) -> object:
        found = real(path, st, reparse)  # type: ignore[arg-type]
        if found is None:
            parsed.append(path)
        return found

    monkeypatch.setattr("drafter.bank.load.read_cached", spy)
    load_bank_dir(bank)
    assert parsed == []
    monkeypatch.setattr(cache_module, "table_key", lambda: "another table")
    monkeypatch.setattr(cache_module, "_fingerprints", {})
    load_bank_dir(bank)
    assert parsed == [bank / "point.yaml"]


def test_a_flipped_byte_in_the_packed_columns_or_the_header_is_caught(bank: Path) -> None:
    """The packed numbers hold no structure of their own to tell damage: the header's checksum does."""
    expected = load_bank_dir(bank)
    (cached,) = _cache_files()
    data = cached.read_bytes()
    head_start = data.rstrip(b"\n").rindex(b"\n") + 1
    start, size = _head(cached)["blob"]  # type: ignore[misc]
    assert start + size + 1 == head_start and size > 0
    for at in (start + size // 2, head_start + 3):
        damaged = bytearray(data)
        damaged[at] ^= 0x01
        cached.write_bytes(bytes(damaged))
        assert load_bank_dir(bank) == expected
        assert cached.read_bytes() == data  # rebuilt as it was


def _entry(entry_id: str) -> str:
    return f"- id: {entry_id}\n  role: point\n  text: 要持之以恒落实中央八项规定精神（{entry_id}）。\n"


@pytest.mark.parametrize(
    ("first", "second", "repeat"),
    [
        (["point-a1", "point-a2"], ["point-b1", "point-b2"], None),  # ranges apart: no set needed
        (["point-a1", "point-c1"], ["point-b1", "point-b2"], None),  # ranges overlap, no repeat
        (["point-a1", "point-c1"], ["point-b1", "point-c1"], "point-c1"),  # a repeat inside both ranges
        (["point-a1", "point-a1"], ["point-b1"], "point-a1"),  # twice in one file
    ],
)
def test_repeated_ids_are_found_whether_cached_or_not(
    tmp_path: Path, first: list[str], second: list[str], repeat: str | None
) -> None:
    """Files are told apart by their ranges of ids (kept in the cache) while those do not overlap; a
    repeat is found all the same, cold or from the cache, and named with both places."""

    folder = tmp_path / "bank"
    folder.mkdir()
    for name, ids in (("a.yaml", first), ("b.yaml", second)):
        (folder / name).write_text("entries:\n" + "".join(_entry(i) for i in ids), encoding="utf-8")
    _age(*folder.iterdir())
    for _ in range(2):  # parsed (and cached), then from the cache
        if repeat is None:
            table = load_bank_dir(folder)[0]
            assert table.ids == first + second
        else:
            with pytest.raises(BankError) as caught:
                load_bank_dir(folder)
            assert f"id「{repeat}」重复" in caught.value.message


def test_ids_are_told_apart_by_ranges_until_they_overlap() -> None:
    from drafter.bank.cache import id_span
    from drafter.bank.load import _Ids

    def table(*ids: str) -> EntryTable:
        found = EntryTable.of([Entry(id=i, text="要落实。", role="point") for i in ids])
        found.id_span = id_span(found.ids)
        return found

    ids = _Ids()
    assert ids.add(table("a1", "a2")) and ids.add(table("b1")) and ids.add(table("a3"))
    assert ids.spans == [("a1", "a2"), ("b1", "b1"), ("a3", "a3")] and ids._set is None  # no id hashed
    other = _Ids()
    assert other.add(table("c1")) and ids.disjoint(other) and ids._set is None
    assert ids.add(table("a15"))  # inside a1..a2: from now on a set tells
    assert ids.spans is None and ids.as_set() == {"a1", "a2", "b1", "a3", "a15"}
    assert not ids.add(table("b1"))  # a repeat
    assert ids.add(table()) is True  # an empty file
    repeat = _Ids()
    assert repeat.add(table("c1", "c2")) and not repeat.add(table("c0", "c1"))  # overlapping, repeated
    assert not other.disjoint(repeat)

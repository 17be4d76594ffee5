"""Scale: `bank check` reuses its results for unchanged files (--full re-checks); stats and search give
the same answers by their fast paths; the bank index agrees with a plain scan; the merge is the old one,
made linear and streamed; dry runs render nothing; plain YAML loads as PyYAML loads it; one large .txt."""

from __future__ import annotations

import copy
import os
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import brute_best
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from drafter.bank import check as check_module
from drafter.bank import merge as merge_module
from drafter.bank import spool as spool_module
from drafter.bank.cache import check_cache_dir, write_cached_check
from drafter.bank.index import bank_index
from drafter.bank.load import load_bank
from drafter.bank.merge import CandidatePool, consolidate, plan_merge, similarity_key, write_merge
from drafter.bank.query import EntryFilter, bank_stats, filter_entries, make_filter
from drafter.cli import app
from drafter.errors import BankError
from drafter.facts.topics import TOPICS
from drafter.mine.candidates import mine_file
from drafter.models import LEVELS, Bank, Entry

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

SCHEMA_LINE = "# yaml-language-server: $schema=../docs/phrasebank.schema.json\n"
POINT = (
    SCHEMA_LINE
    + """\
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


def make_bank(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _age(folder: Path, seconds: float = 3600) -> None:
    """Date every file back: only files unchanged for a while are cached."""
    then = time.time() - seconds
    for path in folder.iterdir():
        os.utime(path, (then, then))


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    folder = make_bank(tmp_path / "bank", {"point.yaml": POINT, "opening.yaml": OPENING})
    _age(folder)
    return folder


# --- bank check and its cache ---------------------------------------------------------------------


def test_an_unchanged_file_is_not_checked_again(bank: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = check_module.check_bank_dir(bank)
    assert first.ok and first.entries == 3
    folder = check_cache_dir()
    assert folder is not None and len(list(folder.glob("*.json"))) == 2

    def fail(self: object, text: str) -> None:
        raise AssertionError("an unchanged file was parsed again")

    monkeypatch.setattr(check_module._FileChecker, "check", fail)
    again = check_module.check_bank_dir(bank)
    assert again == first
    with pytest.raises(AssertionError, match="parsed again"):
        check_module.check_bank_dir(bank, full=True)


def test_a_change_to_the_checking_code_or_data_invalidates_stored_results(
    bank: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from drafter.bank import cache as cache_module

    first = check_module.check_bank_dir(bank)
    fingerprint = cache_module._check_fingerprint()
    assert any(name == "facts/typos.py" for name, _, _ in fingerprint)  # a check added later is covered
    assert any(name.startswith("data/") for name, _, _ in fingerprint)
    edited = [
        [name, size + 1, mtime] if name == "facts/typos.py" else [name, size, mtime]
        for name, size, mtime in fingerprint
    ]
    monkeypatch.setattr(cache_module, "_check_files", edited)

    def parsed(self: check_module._FileChecker, text: str) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(check_module._FileChecker, "check", parsed)
    with pytest.raises(AssertionError, match="parsed again"):
        check_module.check_bank_dir(bank)
    monkeypatch.setattr(cache_module, "_check_files", fingerprint)
    assert check_module.check_bank_dir(bank) == first


def test_a_changed_file_is_checked_again(bank: Path) -> None:
    code, out, _ = run("bank", "check", "--bank", str(bank))
    assert code == 0, out
    broken = POINT.replace("role: point\n  topics: [作风建设]", "role: pont\n  topics: [作风建设]")
    (bank / "point.yaml").write_text(broken, encoding="utf-8")
    _age(bank, seconds=1800)  # settled again, but with another mtime and size
    code, out, _ = run("bank", "check", "--bank", str(bank))
    assert code == 1
    assert f"{bank / 'point.yaml'}:4: 未知角色「pont」" in out


def test_a_same_size_edit_with_the_same_mtime_is_seen_through_the_inode(bank: Path) -> None:
    assert check_module.check_bank_dir(bank).ok
    path = bank / "opening.yaml"
    st = path.stat()
    replaced = bank / "opening.new"
    replaced.write_text(OPENING.replace("政治建设", "政治建没"), encoding="utf-8")  # same length
    os.utime(replaced, ns=(st.st_atime_ns, st.st_mtime_ns))
    replaced.replace(path)  # an editor's save: a new inode
    report = check_module.check_bank_dir(bank)
    assert [(p.line, p.message) for p in report.problems] == [
        (5, "未知主题「政治建没」，是不是「政治建设」？")
    ]


def test_full_rechecks_every_file(bank: Path) -> None:
    """A stored result stands for an unchanged file; --full ignores it and checks the text."""
    assert check_module.check_bank_dir(bank).ok
    path = bank / "opening.yaml"
    fake = {
        "problems": [[3, "只在缓存里的问题"]],
        "ids": [["opening-b00001", 3]],
        "skeleton_ids": [],
        "entries": 1,
    }
    write_cached_check(path, path.stat(), fake)
    code, out, _ = run("bank", "check", "--bank", str(bank))
    assert code == 1 and f"{path}:3: 只在缓存里的问题" in out
    code, out, _ = run("bank", "check", "--bank", str(bank), "--full")
    assert code == 0 and "只在缓存里的问题" not in out and "3 个条目" in out


def test_duplicates_across_cached_files_are_still_found(bank: Path) -> None:
    assert check_module.check_bank_dir(bank).ok
    make_bank(bank, {"later.yaml": OPENING})  # the same id in a third file
    _age(bank)
    for _ in range(2):  # cold, then with all three files cached
        report = check_module.check_bank_dir(bank)
        assert [(p.path.name, p.line) for p in report.problems] == [("opening.yaml", 3)]
        assert "重复" in report.problems[0].message and "later.yaml:3" in report.problems[0].message


def test_a_damaged_check_cache_is_ignored(bank: Path) -> None:
    first = check_module.check_bank_dir(bank)
    folder = check_cache_dir()
    assert folder is not None
    for cached in folder.glob("*.json"):
        lines = cached.read_text(encoding="utf-8").splitlines()
        cached.write_text(lines[0] + '\n{"problems": [[1]], "ids": [], "skeleton_ids": [], "entries": 1}')
    assert check_module.check_bank_dir(bank) == first


def test_no_cache_switch_writes_no_check_results(bank: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRAFTER_NO_CACHE", "1")
    assert check_module.check_bank_dir(bank).ok
    assert check_cache_dir() is None
    monkeypatch.delenv("DRAFTER_NO_CACHE")
    folder = check_cache_dir()
    assert folder is not None and not folder.exists()


# --- merge: linear, streaming, dry runs ------------------------------------------------------------


def _old_union(*sources: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s for group in sources for s in group))


def _old_consolidate(
    candidates: list[Entry], similarity: int | None
) -> tuple[list[Entry], list[tuple[str, str]]]:
    """The merge as it was before it was made linear (rebuilding an entry's sources on every merge)."""
    from dataclasses import replace

    by_id: dict[str, Entry] = {}
    for entry in candidates:
        if entry.id in by_id:
            kept = by_id[entry.id]
            by_id[entry.id] = replace(kept, source=_old_union(kept.source, entry.source))
        else:
            by_id[entry.id] = entry
    accepted: list[Entry] = []
    keys: dict[str, list[str]] = {}
    owners: dict[str, list[int]] = {}
    merged: list[tuple[str, str]] = []
    for entry in by_id.values():
        key = similarity_key(entry.text)
        pool = keys.setdefault(entry.role, [])
        match = brute_best(key, pool, similarity)
        if match is not None:
            index = owners[entry.role][match]
            target = accepted[index]
            accepted[index] = replace(target, source=_old_union(target.source, entry.source))
            merged.append((entry.id, target.id))
            continue
        pool.append(key)
        owners.setdefault(entry.role, []).append(len(accepted))
        accepted.append(entry)
    return accepted, merged


@pytest.fixture(scope="module")
def seed_candidates(tmp_path_factory: pytest.TempPathFactory) -> list[list[Entry]]:
    """The seeds mined as they are, again under other names (equal ids, new sources) and at county
    level (other ids, near-identical texts): every kind of merge."""
    folder = tmp_path_factory.mktemp("corpus")
    speeches: list[list[Entry]] = []
    for round_ in range(3):
        for seed in sorted(SEEDS.glob("*.txt")):
            text = seed.read_text(encoding="utf-8")
            if round_ == 2:
                text = text.replace("全市", "全县").replace("市委", "县委").replace("市政府", "县政府")
            copy = folder / f"r{round_}_{seed.name}"
            copy.write_text(text, encoding="utf-8")
            speeches.append(list(mine_file(copy).entries))
    return speeches


@pytest.mark.parametrize("similarity", [merge_module.SIMILARITY, None])
def test_merge_is_identical_to_the_old_algorithm_on_the_seeds(
    seed_candidates: list[list[Entry]], similarity: int | None
) -> None:
    flat = [entry for speech in seed_candidates for entry in speech]
    old_accepted, old_merged = _old_consolidate(flat, similarity)
    assert len(old_accepted) < len(flat)  # the seeds do exercise merging
    pool = CandidatePool()
    for speech in seed_candidates:  # streamed, speech by speech
        pool.add(speech)
    for candidates in (flat, pool):
        accepted, merged = consolidate(candidates, similarity=similarity)
        assert accepted == old_accepted
        assert [(c.entry.id, c.into) for c in merged] == old_merged
    if similarity is not None:
        assert old_merged  # near-identical texts were merged too


def test_streamed_mine_writes_the_same_bank_as_one_merge(
    tmp_path: Path, seed_candidates: list[list[Entry]]
) -> None:
    flat = [entry for speech in seed_candidates for entry in speech]
    whole = plan_merge(tmp_path / "a", flat)
    pool = CandidatePool()
    for speech in seed_candidates:
        pool.add(speech)
    streamed = plan_merge(tmp_path / "a", pool)
    assert whole.files.keys() == streamed.files.keys() and whole.state == streamed.state
    assert all(whole.text(path) == streamed.text(path) for path in whole.files)
    assert [(c.kind, c.entry.id) for c in whole.all_changes()] == [
        (c.kind, c.entry.id) for c in streamed.all_changes()
    ]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_dry_run_writes_nothing_and_renders_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        (corpus / seed.name).write_bytes(seed.read_bytes())
    bank = tmp_path / "bank"
    code, out, err = run("mine", str(corpus), "--bank", str(bank))
    assert code == 0, out + err
    before = _snapshot(bank)
    for seed in sorted(SEEDS.glob("*.txt"))[2:]:
        (corpus / seed.name).write_bytes(seed.read_bytes())

    def no_dump(doc: object) -> str:
        raise AssertionError("a dry run rendered YAML")

    monkeypatch.setattr(merge_module, "_dump", no_dump)
    code, out, err = run("mine", str(corpus), "--bank", str(bank), "--dry-run")
    assert code == 0, out + err
    assert "新增" in out and "预演：没有写入" in out
    assert _snapshot(bank) == before
    fresh = tmp_path / "fresh"
    code, out, err = run("mine", str(corpus), "--bank", str(fresh), "--dry-run")
    assert code == 0, out + err
    assert "新建文件" in out and not fresh.exists()


@pytest.mark.parametrize("batch", [1, spool_module.SPOOL_BATCH])
def test_the_pool_holds_equal_skeleton_parts_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    """Skeletons mined from equal speeches (mined apart, as workers do) wait in the pool's temporary file
    (batch 1: each written at once) and come back equal and in order, their equal parts and sections
    held as one object each."""
    monkeypatch.setattr(spool_module, "SPOOL_BATCH", batch)
    seed = sorted(SEEDS.glob("*.txt"))[0]
    pool = CandidatePool()
    mined = []
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
        mined.append(copy.deepcopy(mine_file(tmp_path / name).skeleton))  # (as unpickled from a worker)
        pool.add_skeleton(mined[-1])
    assert mined[0].parts is not mined[1].parts
    kept = list(pool.skeletons())
    assert kept == mined and list(pool.skeletons()) == mined  # (read again)
    assert kept[0].parts is kept[1].parts and kept[0].sections is kept[1].sections
    assert len(kept[0].parts) >= 3


def test_the_merge_reports_its_progress(
    seed_candidates: list[list[Entry]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(merge_module, "PROGRESS_EVERY", 50)
    flat = [entry for speech in seed_candidates for entry in speech]
    pool = CandidatePool(flat)
    assert len(pool) > 2 * merge_module.PROGRESS_EVERY
    told: list[tuple[int, int]] = []
    accepted, merged = consolidate(pool, progress=lambda done, total: told.append((done, total)))
    again, merged_again = consolidate(pool)
    assert accepted == again and list(merged) == list(merged_again)  # the same merge, read back again
    total = len(pool)
    assert told == [*((n, total) for n in range(0, total, merge_module.PROGRESS_EVERY)), (total, total)]


def test_a_real_merge_still_verifies_what_it_renders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        merge_module, "_dump", lambda doc: ["entries:\n- id: x\n  role: nope\n  text: 文字\n"]
    )
    entry = Entry(id="point-x", text="要持之以恒落实中央八项规定精神。", role="point", source=("a.txt:1",))
    with pytest.raises(BankError, match="nope|角色"):
        write_merge(plan_merge(tmp_path / "bank", [entry]))
    assert not (tmp_path / "bank").exists()


def test_a_bad_new_file_leaves_an_existing_bank_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """New files are rendered and read back while they are staged: one that would not load stops the
    merge before any file, old or new, is put in place."""
    bank = tmp_path / "bank"
    first = Entry(id="point-a", text="要持之以恒落实中央八项规定精神。", role="point", source=("a.txt:1",))
    write_merge(plan_merge(bank, [first]))
    before = _snapshot(bank)
    real = merge_module._dump

    def bad_heading(doc: Any) -> list[str]:
        if doc.path.name == "heading.yaml":
            return ["entries:\n- id: x\n  role: nope\n  text: 文字\n"]
        return real(doc)

    monkeypatch.setattr(merge_module, "_dump", bad_heading)
    more = [
        Entry(id="point-b", text="要紧盯工程建设、国有企业等重点领域。", role="point", source=("b.txt:1",)),
        Entry(id="heading-c", text="严管严治，持续正风肃纪", role="heading", source=("b.txt:2",)),
    ]
    plan = plan_merge(bank, [first, *more])
    assert {p.name for p in plan.files} == {"point.yaml", "heading.yaml"}
    with pytest.raises(BankError, match="nope|角色"):
        write_merge(plan)
    assert _snapshot(bank) == before
    assert not [p for p in bank.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")]


# --- the bank index ---------------------------------------------------------------------------------


def _scan(bank: Bank, **criteria: Any) -> list[Entry]:
    topics = criteria.get("topics", ())
    return [
        e
        for e in bank.entries
        if (criteria.get("include_rejected") or not e.rejected)
        and (criteria.get("role") is None or e.role == criteria["role"])
        and all(t in e.topics for t in topics)
        and (criteria.get("level") is None or criteria["level"] in e.levels)
        and (criteria.get("year") is None or criteria["year"] in e.years)
    ]


def test_the_index_agrees_with_a_plain_scan(bank: Path) -> None:
    extra = make_bank(
        bank.parent / "extra",
        {
            "more.yaml": "entries:\n"
            + "".join(
                f"- id: closing-x{n}\n  role: closing\n  topics: [{TOPICS[n % 5]}, {TOPICS[n % 7 + 5]}]\n"
                f"  levels: [{LEVELS[n % 3]}]\n  years: {2018 + n % 9}-{2026 + n % 5}\n"
                f"  text: 同志们，让我们奋发有为，第{n}次。\n  rejected: {'true' if n % 4 == 0 else 'false'}\n"
                for n in range(60)
            )
        },
    )
    layered = load_bank(user_dirs=[bank, extra])
    index = bank_index(layered)
    assert bank_index(layered) is index  # built once, kept with the bank
    roles = sorted({e.role for e in layered.entries})
    for role in [None, *roles]:
        for topics in [(), (TOPICS[0],), (TOPICS[1], TOPICS[6])]:
            for level in [None, *LEVELS]:
                for year in [None, 2017, 2019, 2024, 2026, 2031]:
                    for include_rejected in (False, True):
                        criteria = dict(
                            role=role,
                            topics=topics,
                            level=level,
                            year=year,
                            include_rejected=include_rejected,
                        )
                        assert index.select(**criteria) == _scan(layered, **criteria), criteria


def test_stats_and_search_by_index_match_a_plain_scan(bank: Path) -> None:
    layered = load_bank(user_dirs=[bank])
    for criteria in [dict(role="point"), dict(level="县", year=2024), dict(text="全县"), dict(text="作风")]:
        entry_filter = make_filter(**criteria)  # type: ignore[arg-type]
        by_index = filter_entries(layered, entry_filter)
        plain = [
            e
            for e in layered.entries
            if EntryFilter(**{**entry_filter.__dict__, "rendered": True}).matches(e)
        ]
        assert by_index == plain, criteria
        assert bank_stats(by_index, roots=layered.roots) == bank_stats(plain, roots=layered.roots)
    assert any("{全市}" in e.text for e in filter_entries(layered, make_filter(text="全县")))


# --- the fast constructor for cold loads -----------------------------------------------------------

TRICKY_YAML = [
    "",
    "entries:\n",
    "entries: []\nskeletons: ~\n",
    "a: 1\nb: 0x1f\nc: 1_000\nd: 0o17\ne: +12\nf: 1:30\ng: -0b101\n",
    "a: yes\nb: No\nc: on\nd: true\ne: null\nf: ~\ng:\nh: NULL\n",
    "a: 1.5\nb: .inf\nc: -.Inf\nd: 6.8523015e+5\ne: 190:20:30.15\n",
    "a: 2024-03-05\nb: 2001-12-14t21:59:43.10-05:00\nc: '2024-03-05'\n",
    "base: &b {x: 1, y: [1, 2]}\nuse: *b\nmerged:\n  <<: *b\n  z: 3\n",
    "a: &s text\nb: *s\n",
    "a: 1\na: 2\n",
    "? [1, 2]\n: v\n",
    "1: int key\n2024-01-01: date key\nnull: null key\ntrue: bool key\n",
    "a: !!str 123\nb: !!int '7'\nc: !!binary aGVsbG8=\nd: !!set {x, y}\ne: !!omap [{a: 1}]\n",
    "bad: 2021-13-45\n",
    "a: !custom x\n",
    "= : value key\n",
    "- id: point-1\n  text: |\n    多行\n    文字\n  topics: [作风建设, '惩治腐败']\n",
    "x: &r [*r]\n",
    "x: &r {a: *r}\n",
]


def _load(text: str, load: Any) -> Any:
    try:
        return ("ok", load(text))
    except Exception as e:  # noqa: BLE001 - compare failures too
        return ("error", type(e).__name__, str(e))


def test_the_event_builder_loads_what_pyyaml_loads() -> None:
    import yaml

    from drafter.bank.load import load_yaml_text
    from drafter.resources import bundled_bank_dir

    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("no libyaml")
    texts = [*TRICKY_YAML]
    texts += [p.read_text(encoding="utf-8") for p in sorted(bundled_bank_dir().rglob("*.yaml"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((Path(__file__).parent / "data").rglob("*.yaml"))]
    for text in texts:
        got = _load(text, lambda t: load_yaml_text(t, yaml.CSafeLoader))
        want = _load(text, lambda t: yaml.load(t, Loader=yaml.CSafeLoader))  # noqa: S506
        if got[0] == "ok" and want[0] == "ok":
            assert repr(got[1]) == repr(want[1]), text[:200]  # repr: recursive lists compare too
        else:
            assert got == want, text[:200]


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(
        st.text(alphabet="0123456789+-.:_~eExXoObBtTfFnNyY=<!中文 '", min_size=0, max_size=8), max_size=6
    ),
    quoted=st.lists(st.booleans(), min_size=6, max_size=6),
)
def test_the_event_builder_resolves_scalars_as_pyyaml_does(values: list[str], quoted: list[bool]) -> None:
    """Plain and quoted scalars opening with any character PyYAML's implicit types start with."""
    import yaml

    from drafter.bank.load import load_yaml_text

    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("no libyaml")
    lines = []
    for n, (value, quote) in enumerate(zip(values, quoted, strict=False)):
        shown = "'" + value.replace("'", "''") + "'" if quote else value
        lines.append(f"k{n}: {shown}\n")
        lines.append(f"l{n}: [{shown}]\n")
    text = "".join(lines)
    got = _load(text, lambda t: load_yaml_text(t, yaml.CSafeLoader))
    want = _load(text, lambda t: yaml.load(t, Loader=yaml.CSafeLoader))  # noqa: S506
    assert repr(got) == repr(want), text


def test_the_event_builder_takes_the_fast_path_for_bank_files(monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    from drafter.bank import load as load_module
    from drafter.resources import bundled_bank_dir

    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("no libyaml")

    def no_pyyaml(*args: object, **kwargs: object) -> object:
        raise AssertionError("fell back to yaml.load")

    monkeypatch.setattr(yaml, "load", no_pyyaml)
    for path in sorted(bundled_bank_dir().rglob("*.yaml")):
        data = load_module.load_yaml_text(path.read_text(encoding="utf-8"), yaml.CSafeLoader)
        assert isinstance(data, dict) and data


def test_items_are_built_as_they_are_read_and_raw_when_pyyaml_reads_them() -> None:
    import yaml

    from drafter.bank.load import load_yaml_text

    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("no libyaml")
    text = "entries:\n  - id: a\n    tags: [x]\n  - [1, 2]\n  - plain\nother:\n  k: {n: 1}\nlist: [{m: 2}]\n"
    seen: list[tuple[Any, Any]] = []

    def built(key: Any, item: Any) -> Any:
        seen.append((key, copy.deepcopy(item)))
        return ("built", key)

    data = load_yaml_text(text, yaml.CSafeLoader, built)
    # only the collections in a top-level key's list, each when it ends (not scalars, not deeper ones)
    assert seen == [("entries", {"id": "a", "tags": ["x"]}), ("entries", [1, 2]), ("list", {"m": 2})]
    assert data == {
        "entries": [("built", "entries"), ("built", "entries"), "plain"],
        "other": {"k": {"n": 1}},
        "list": [("built", "list")],
    }

    def failing(key: Any, item: Any) -> Any:
        raise ValueError("bad item")

    assert load_yaml_text(text, yaml.CSafeLoader, failing) == yaml.load(text, Loader=yaml.CSafeLoader)  # noqa: S506
    anchored = "entries:\n  - &e {id: a}\n  - *e\n"  # PyYAML's own path: items as read
    assert load_yaml_text(anchored, yaml.CSafeLoader, built) == {"entries": [{"id": "a"}, {"id": "a"}]}


def test_a_bank_file_built_while_read_equals_one_built_after(tmp_path: Path) -> None:
    import yaml

    from drafter.bank import load as load_module
    from drafter.resources import bundled_bank_dir

    for path in sorted(bundled_bank_dir().rglob("*.yaml")):
        streamed = load_module._parse_file(path)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)  # noqa: S506
        build = load_module._ItemBuilder(path)
        assert streamed[0] == [build.entry(raw) for raw in data.get("entries") or []]
        assert streamed[1] == [
            load_module.skeleton_from_mapping(raw, path=path) for raw in data.get("skeletons") or []
        ]
        # equal values are one object, as the load cache gives them
        by_topics: dict[tuple[str, ...], tuple[str, ...]] = {}
        for entry in streamed[0]:
            assert by_topics.setdefault(entry.topics, entry.topics) is entry.topics
    # a bad entry after good ones: the same message and line as before
    bad = tmp_path / "point.yaml"
    bad.write_text(
        "entries:\n  - id: point-1\n    text: 要压实责任。\n    role: point\n  - id: point-2\n    role: point\n",
        encoding="utf-8",
    )
    with pytest.raises(BankError) as caught:
        load_module._parse_file(bad)
    assert "缺少字段 text" in str(caught.value.message) and caught.value.line == 5


# --- one large .txt ---------------------------------------------------------------------------------


def test_a_collection_in_one_text_file_is_read_up_to_the_documented_limit(tmp_path: Path) -> None:
    from drafter.errors import SourceError
    from drafter.read.sources import TEXT_MAX_BYTES, read_source

    assert TEXT_MAX_BYTES == 32 * 2**20
    line = "同志们，要持之以恒落实中央八项规定精神，坚决纠治“四风”。\n".encode()
    big = tmp_path / "合集.txt"
    big.write_bytes(line * (6 * 2**20 // len(line) + 1))  # above the old 5 MB limit
    source = read_source(big, clean=False)
    assert len(source.lines) >= 6 * 2**20 // len(line)
    too_big = tmp_path / "更大的合集.txt"
    with too_big.open("wb") as handle:  # sparse: no disk is used
        handle.truncate(TEXT_MAX_BYTES + 1)
    with pytest.raises(SourceError) as refused:
        read_source(too_big)
    assert "文件过大" in refused.value.message
    assert refused.value.hint is not None and "32 MB" in refused.value.hint and "文件夹" in refused.value.hint

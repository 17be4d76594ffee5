"""Entries as a table (bank.rows): a cached bank is read as columns, and a draft builds only the
entries its picks reach; the table behaves as a tuple of entries everywhere else."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest

from drafter.bank.load import load_bank, load_bank_dir
from drafter.bank.rows import EntryTable
from drafter.draft.compose import compose_draft
from drafter.draft.context import DraftParams, build_context
from drafter.draft.select import Selector
from drafter.facts.topics import TOPICS

PHRASES = (
    "持之以恒落实中央八项规定精神",
    "{全市}各级党组织要扛牢管党治党政治责任",
    "坚决纠治形式主义、官僚主义",
    "加强财政资金监管，压减一般性支出【X】%",
    "深入推进政府系统党风廉政建设和反腐败工作",
    "一体推进不敢腐、不能腐、不想腐",
)
ROLES = ("point", "review_item", "problem_item", "closing", "quote", "heading", "part_lead")


def _write_bank(folder: Path, count: int) -> None:
    """A large synthetic bank (one file per role, as the miner writes), settled so it is cached."""
    rng = random.Random(7)
    per_role: dict[str, list[str]] = {r: [] for r in ROLES}
    for n in range(count):
        role = ROLES[n % len(ROLES)]
        topics = ", ".join(rng.sample(TOPICS, 2))
        text = "，".join(rng.sample(PHRASES, 3)) + f"（第{n}条）。"
        per_role[role].append(
            f'- id: {role}-s{n:06d}\n  role: {role}\n  topics: [{topics}]\n  text: "{text}"\n'
        )
    folder.mkdir()
    then = time.time() - 3600
    for role, items in per_role.items():
        path = folder / f"{role}.yaml"
        path.write_text("entries:\n" + "".join(items), encoding="utf-8")
        os.utime(path, (then, then))


@pytest.fixture(scope="module")
def big_bank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("rows") / "bank"
    _write_bank(folder, 3500)
    return folder


def test_a_draft_of_a_cached_bank_builds_only_what_its_picks_reach(big_bank: Path) -> None:
    load_bank(user_dirs=[big_bank])  # first load writes the cache
    bank = load_bank(user_dirs=[big_bank])
    table = bank.entries
    assert isinstance(table, EntryTable) and table.built() == 0
    context = build_context(DraftParams(year=2026, locality="汉中市", level="市", seed=3))
    draft = compose_draft(context, bank)
    assert "同志们" in draft.text
    assert 0 < table.built() < len(table) / 2, table
    # the same draft as from the fully built bank (a plain tuple of the same entries)
    plain = type(bank)(entries=tuple(load_bank(user_dirs=[big_bank]).entries), skeletons=bank.skeletons)
    assert compose_draft(context, plain).text == draft.text


def test_a_layered_bank_is_the_user_layer_then_new_bundled_entries(big_bank: Path, tmp_path: Path) -> None:
    bundled = load_bank().entries
    override = tmp_path / "mine"
    override.mkdir()
    first = bundled[0]
    (override / "x.yaml").write_text(
        f"entries:\n- id: {first.id}\n  role: {first.role}\n  text: 我改写过的一句话，足够长也不重复。\n",
        encoding="utf-8",
    )
    layered = load_bank(user_dirs=[override, big_bank]).entries
    ids = [e.id for e in layered]
    assert len(ids) == len(set(ids)) == 1 + 3500 + len(bundled) - 1
    assert layered[0].text == "我改写过的一句话，足够长也不重复。"
    assert ids[1:3501] == load_bank_dir(big_bank)[0].ids
    assert list(layered[3501:]) == [e for e in bundled if e.id != first.id]


def test_a_table_is_a_tuple_of_entries(big_bank: Path) -> None:
    load_bank_dir(big_bank)
    table, _ = load_bank_dir(big_bank)
    entries = tuple(table)
    assert table == entries and entries == table and list(table) == list(entries)
    assert table[-1] == entries[-1] and table[10:13] == entries[10:13]
    assert hash(table) == hash(entries)
    assert EntryTable.of(entries).ids == table.ids


def test_the_selector_judges_texts_only_when_a_pick_reaches_them(big_bank: Path) -> None:
    bank = load_bank(user_dirs=[big_bank], include_bundled=False)
    context = build_context(DraftParams(year=2026, locality="汉中市", level="市"))
    selector = Selector(context, bank)
    assert selector._texts == {}
    first = next(selector.entries("point"))
    assert first[0].role == "point" and len(selector._texts) >= 1
    assert len(selector._texts) < 50


def test_the_columns_say_what_the_entries_say(big_bank: Path) -> None:
    load_bank_dir(big_bank)
    table, _ = load_bank_dir(big_bank)
    built = EntryTable.of(list(table))  # columns worked out from the built entries
    for column in (
        "ids",
        "roles",
        "topics",
        "levels",
        "years",
        "styles",
        "flags",
        "files",
        "sizes",
        "braces",
    ):
        assert getattr(table, column) == getattr(built, column), column


def test_threads_asking_for_entries_at_once_get_each_built_once(big_bank: Path) -> None:
    """The web server's threads share one bank: building is locked, every entry is built once and the
    table lets go of its cache bytes only when all are built."""
    import threading

    load_bank_dir(big_bank)
    table, _ = load_bank_dir(big_bank)
    errors: list[BaseException] = []

    def walk(step: int) -> None:
        try:
            for start in range(0, len(table), step):
                table.build(list(range(start, min(start + step, len(table)))))
            assert [e.id for e in table] == table.ids
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=walk, args=(step,)) for step in (7, 64, 500, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and table.built() == len(table)


@pytest.mark.parametrize(
    "needle", ["作风", "第12条", "全县各级", '"', "\\", "不存在的文字", "一般性支出【X】%"]
)
def test_a_search_builds_only_the_entries_that_may_hold_the_text(big_bank: Path, needle: str) -> None:
    from drafter.bank.query import filter_entries, make_filter

    load_bank(user_dirs=[big_bank])
    bank = load_bank(user_dirs=[big_bank])
    entry_filter = make_filter(text=needle)
    found = filter_entries(bank, entry_filter)
    built = bank.entries.built()
    assert found == [e for e in load_bank(user_dirs=[big_bank]).entries if entry_filter.matches(e)]
    if not entry_filter.rendered:  # nothing to render: only the entries that hold the text were built
        assert built <= len(found) + 700, (built, len(found))  # the bundled layer is built whole

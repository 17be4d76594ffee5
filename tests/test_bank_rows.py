"""Entries as a table (bank.rows): a cached bank is read as columns, and a draft builds only the
entries its picks reach; the table behaves as a tuple of entries everywhere else."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest

from drafter.bank.load import load_bank, load_bank_dir
from drafter.bank.rows import COLUMNS, EntryTable
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
    for column in COLUMNS:
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


def _by_kind(table: EntryTable) -> dict[object, list[str]]:
    """A table's kinds as kind -> the ids of its entries in id order (each table of a chain in turn)."""
    found: dict[object, list[str]] = {}
    for (kinds, by_role), shift, keep in table.kind_runs():
        for role, (positions, codes) in by_role.items():
            assert len(positions) == len(codes)
            local = [table.ids[p + shift] if keep is None else table.ids[keep[p]] for p in positions]
            assert local == sorted(local)  # id order
            for p, code in zip(positions, codes, strict=True):
                assert kinds[code][0] == role
                if keep is None or p in keep:
                    found.setdefault(kinds[code], []).append(
                        table.ids[p + shift if keep is None else keep[p]]
                    )
    return {kind: sorted(ids) for kind, ids in found.items()}


def _varied_bank(folder: Path) -> Path:
    """Entries of every kind: levels, year spans, locked, rejected, scoped; over two files."""
    rng = random.Random(11)
    folder.mkdir()
    for name in ("a", "b"):
        rows = []
        for n in range(300):
            role = rng.choice(ROLES)
            extra = rng.choice(["", "  levels: [县, 区]\n", "  levels: [市]\n"])
            extra += rng.choice(["", "  years: 2023-\n", '  years: "-2022"\n', "  years: 2021-2025\n"])
            extra += rng.choice(["", "", "  locked: true\n", "  rejected: true\n"])
            extra += rng.choice(["", "", "  scope: [汉中市]\n"])
            text = "，".join(rng.sample(PHRASES, 3)) + f"（{name}{n}）。"
            rows.append(
                f'- id: {role}-{name}{rng.randrange(10**6):06d}{n}\n  role: {role}\n{extra}  text: "{text}"\n'
            )
        (folder / f"{name}.yaml").write_text("entries:\n" + "".join(rows), encoding="utf-8")
    # a file a role in id order, as the miner writes them: the cache keeps its positions as a span
    for name, role, levels in (("c", "point", "  levels: [县, 区]\n"), ("d", "closing", "")):
        rows = [
            f"- id: {role}-{name}{n:04d}\n  role: {role}\n{levels if n % 3 == 0 else ''}"
            f'  text: "{"，".join(rng.sample(PHRASES, 3))}（{name}{n}）。"\n'
            for n in range(120)
        ]
        (folder / f"{name}.yaml").write_text("entries:\n" + "".join(rows), encoding="utf-8")
    for path in folder.glob("*.yaml"):
        then = time.time() - 3600
        os.utime(path, (then, then))
    return folder


def test_groups_of_a_cached_table_are_those_of_its_entries(tmp_path: Path) -> None:
    """The kinds kept in the load cache (and a chain's, mapped through its runs) are what the built
    entries' columns give, each role's positions in id order."""
    folder = _varied_bank(tmp_path / "varied")
    load_bank(user_dirs=[folder])
    for table in (load_bank_dir(folder)[0], EntryTable.of(load_bank(user_dirs=[folder]).entries)):
        assert table.built() == 0
        assert sum(len(ids) for ids in _by_kind(table).values()) == len(table)
        assert _by_kind(table) == _by_kind(EntryTable.of(list(table)))


def test_the_selector_ranks_as_a_pass_over_every_entry_would(tmp_path: Path) -> None:
    """Each role's seeded order, from the groups, is the order of one pass over every entry: the
    entries that suit the year and level, in id order, one seeded draw each, roles in table order."""
    from drafter.bank.rows import draftable_flags

    folder = _varied_bank(tmp_path / "varied")
    override = tmp_path / "override"
    override.mkdir()
    first = load_bank_dir(folder)[0][0]  # a user layer that overrides one entry: a chain of a list run
    (override / "x.yaml").write_text(
        f"entries:\n- id: {first.id}\n  role: {first.role}\n  text: 我改写过的一句话，足够长也不重复。\n",
        encoding="utf-8",
    )
    load_bank(user_dirs=[folder])  # writes the load cache
    spans = [
        positions
        for table, _ in EntryTable.of(load_bank(user_dirs=[folder]).entries)._runs or ()
        for positions, _ in table.kinds()[1].values()
    ]
    assert any(isinstance(positions, range) for positions in spans)  # the files of one role
    for dirs in ([folder], [override, folder]):
        bank = load_bank(user_dirs=dirs)
        table = EntryTable.of(bank.entries)
        for year, level, seed in ((2026, "市", 1), (2021, "县", 2), (2024, "区", None), (2019, "市", 4)):
            context = build_context(DraftParams(year=year, locality="汉中市", level=level, seed=seed))
            rng = random.Random(context.seed)
            by_role: dict[str, list[int]] = {}
            for i in range(len(table)):
                suits = level in table.levels[i] and year in table.years[i]
                if draftable_flags(table.flags[i]) and suits:
                    by_role.setdefault(table.roles[i], []).append(i)
            expected = {}
            for role, positions in by_role.items():
                positions.sort(key=table.ids.__getitem__)
                ranks = [rng.random() for _ in positions]
                expected[role] = [positions[j] for j in sorted(range(len(positions)), key=ranks.__getitem__)]
            ranking = Selector(context, bank)._ranking
            assert list(ranking) == list(expected)
            for role, found in ranking.items():
                found.extend(len(expected[role]))
                assert found.order == expected[role], role


def test_main_topic_and_subject_columns_say_what_the_texts_say(tmp_path: Path) -> None:
    """The load cache's main-topic and main-subject columns (a search filters and judges by them before
    building an entry) are what the entries give: the subject only for a text drafted as it stands
    with no dated term, otherwise unknown."""
    from drafter.bank.rows import NO_SUBJECT, SUBJECT_UNKNOWN, main_topic_code
    from drafter.facts.dated_terms import scan_terms
    from drafter.facts.subjects import SUBJECTS, main_subject

    folder = _varied_bank(tmp_path / "varied")
    (folder / "e.yaml").write_text(
        'entries:\n- id: point-e1\n  role: point\n  text: "深化中央八项规定精神学习教育成果，持续纠治四风问题。"\n'
        '- id: point-e2\n  role: point\n  text: "统筹推进各项工作，确保取得实效。"\n',
        encoding="utf-8",
    )
    then = time.time() - 3600
    os.utime(folder / "e.yaml", (then, then))
    load_bank(user_dirs=[folder])  # writes the load cache
    for table in (load_bank_dir(folder)[0], EntryTable.of(load_bank(user_dirs=[folder]).entries)):
        entries = list(table)
        assert table.mains == bytes(main_topic_code(e.topics) for e in entries)
        for entry, code in zip(entries, table.main_subjects, strict=True):
            if "{" in entry.text or scan_terms(entry.text):
                assert code == SUBJECT_UNKNOWN, entry
            else:
                subject = main_subject(entry.text)
                assert code == (NO_SUBJECT if subject is None else SUBJECTS.index(subject)), entry
        assert SUBJECT_UNKNOWN in table.main_subjects and NO_SUBJECT in table.main_subjects
    plain = EntryTable.of(list(load_bank_dir(folder)[0]))  # not from the cache: nothing known unread
    assert set(plain.main_subjects) == {SUBJECT_UNKNOWN}

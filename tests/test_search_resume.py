"""Issue 16: a search of the same kind as an earlier one begins where that one got to (_Search.resume),
and a role is put in seeded order only as far as searches reach. Neither may change a draft: the same
draft, notes and choices as searching every time from the top, with and without --avoid."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest

from drafter.bank.load import load_bank
from drafter.draft import select
from drafter.draft.compose import compose_draft
from drafter.draft.context import DraftParams, build_context
from drafter.facts.topics import TOPICS
from drafter.resources import bundled_bank_dir

PIECES = (
    "持之以恒落实中央八项规定精神，驰而不息纠治“四风”",
    "{全市}各级党组织要扛牢管党治党政治责任，压实主体责任",
    "坚决纠治形式主义、官僚主义，为基层减负",
    "加强财政资金监管，压减一般性支出【X】%",
    "深入推进政府系统党风廉政建设和反腐败工作，一体推进不敢腐、不能腐、不想腐",
    "强化对权力运行的制约和监督，加强审计监督和统计监督",
    "加强廉洁文化建设，筑牢拒腐防变的思想防线",
    "要坚持严的基调，深化警示教育，以案促改、以案促治",
)


def _bank(folder: Path) -> Path:
    """Points and review items of every length, topic and subject mix."""
    rng = random.Random(5)
    folder.mkdir()
    for role in ("point", "review_item", "problem_item"):
        rows = []
        for n in range(3000):
            text = "。".join(rng.sample(PIECES, rng.randint(1, 4))) + f"（{n}）。"
            if role != "point":
                text = rng.choice(["主体责任持续压实。", "作风建设成效明显。", ""]) + text
            topics = ", ".join(rng.sample(TOPICS, 2))
            rows.append(f'- id: {role}-r{n:04d}\n  role: {role}\n  topics: [{topics}]\n  text: "{text}"\n')
        path = folder / f"{role}.yaml"
        path.write_text("entries:\n" + "".join(rows), encoding="utf-8")
        then = time.time() - 3600  # settled: the load cache keeps it, and entries are built as reached
        os.utime(path, (then, then))
    load_bank(user_dirs=[folder])
    return folder


class _FromTheTop(select._Search):
    """A search that always begins at the top of the order (as before resuming)."""

    @property  # type: ignore[override]
    def resume(self) -> list[int]:
        return [0]

    @resume.setter
    def resume(self, value: list[int]) -> None:
        pass


def _drafts(
    bank_dirs: list[Path], avoid: tuple[str, ...]
) -> list[tuple[str, tuple[str, ...], tuple[object, ...]]]:
    bank = load_bank(user_dirs=bank_dirs)
    assert bank.entries.built() < len(bank.entries)  # type: ignore[attr-defined]
    out = []
    for year, level, seed in ((2026, "市", 1), (2024, "县", 2), (2021, "区", None), (2027, "市", 5)):
        context = build_context(DraftParams(year=year, locality="城固县", level=level, seed=seed))
        draft = compose_draft(context, bank, avoid_texts=avoid)
        out.append((draft.text, draft.notes, draft.choices))
    return out


@pytest.mark.parametrize("avoid", [False, True])
def test_resuming_a_search_gives_the_draft_of_searching_from_the_top(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, avoid: bool
) -> None:
    folder = _bank(tmp_path / "bank")
    avoid_texts = ((bundled_bank_dir() / "point.yaml").read_text(encoding="utf-8")[:3000],) if avoid else ()
    resumed = _drafts([folder], avoid_texts)
    monkeypatch.setattr(select, "_Search", _FromTheTop)
    assert _drafts([folder], avoid_texts) == resumed


@pytest.mark.parametrize("avoid", [False, True])
def test_judging_entries_by_their_cached_subject_gives_the_draft_of_reading_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, avoid: bool
) -> None:
    """A point search logs and passes over an entry off its topics or the part's subjects from the
    subject the load cache keeps, unbuilt: the same drafts, notes and choices as reading every text."""
    from drafter.bank.rows import SUBJECT_UNKNOWN, EntryTable

    folder = _bank(tmp_path / "bank")
    avoid_texts = ((bundled_bank_dir() / "point.yaml").read_text(encoding="utf-8")[:3000],) if avoid else ()
    unread = _drafts([folder], avoid_texts)
    assert any(choice.reason == "事项不属本部分" for _, _, choices in unread for choice in choices)
    monkeypatch.setattr(
        EntryTable, "main_subjects", property(lambda self: bytes([SUBJECT_UNKNOWN]) * len(self))
    )
    assert _drafts([folder], avoid_texts) == unread

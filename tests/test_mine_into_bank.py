"""Mining into a bank that already exists (issue 16): files as the miner wrote them are read with libyaml
and written directly, with exactly the text the ruamel round trip gives; other files still go through
ruamel and keep their comments."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import probe
from typer.testing import CliRunner

from drafter.bank import merge as merge_module
from drafter.cli import app

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _mine(*args: str) -> str:
    result = CliRunner().invoke(app, ["mine", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two seeds, then all five again at county level (near-identical texts, new sources, new entries)."""
    first, more = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("more")
    seeds = sorted(SEEDS.glob("*.txt"))
    for seed in seeds[:2]:
        shutil.copy(seed, first / seed.name)
    for seed in seeds:
        text = seed.read_text(encoding="utf-8")
        county = text.replace("全市", "全县").replace("市委", "县委").replace("市政府", "县政府")
        (more / f"county_{seed.name}").write_text(county, encoding="utf-8")
    return first, more


def _bank(tmp_path: Path, first: Path) -> Path:
    bank = tmp_path / "bank"
    _mine(str(first), "--bank", str(bank))
    locked = next(
        line for line in (bank / "point.yaml").read_text(encoding="utf-8").splitlines() if "id:" in line
    )
    result = CliRunner().invoke(app, ["bank", "lock", locked.split("id:")[1].strip(), "--bank", str(bank)])
    assert result.exit_code == 0, result.output
    return bank


def test_a_miner_written_bank_is_merged_into_as_ruamel_would(
    tmp_path: Path, corpora: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, more = corpora
    direct = _bank(tmp_path / "a", first)
    through_ruamel = _bank(tmp_path / "b", first)
    out = _mine(str(more), "--bank", str(direct))
    assert "更新" in out and "新增" in out
    monkeypatch.setattr(merge_module, "_as_written", lambda *args: None)  # every file by ruamel
    _mine(str(more), "--bank", str(through_ruamel))
    after = _snapshot(direct)
    assert after == _snapshot(through_ruamel)
    assert after != _snapshot(_bank(tmp_path / "c", first))  # the merge changed files


def test_mining_into_a_miner_written_bank_imports_no_ruamel(
    tmp_path: Path, corpora: tuple[Path, Path]
) -> None:
    first, more = corpora
    bank = tmp_path / "bank"
    _mine(str(first), "--bank", str(bank))
    done, modules = probe("mine", str(more), "--bank", str(bank))
    assert done.returncode == 0, done.stderr
    assert "已写入" in done.stdout
    assert "ruamel.yaml" not in modules


def test_a_file_a_person_wrote_in_keeps_its_comments(tmp_path: Path, corpora: tuple[Path, Path]) -> None:
    first, more = corpora
    bank = tmp_path / "bank"
    _mine(str(first), "--bank", str(bank))
    point = bank / "point.yaml"
    lines = point.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(2, "  # 这一条留给区里用\n")
    point.write_text("".join(lines), encoding="utf-8")
    _mine(str(more), "--bank", str(bank))
    text = point.read_text(encoding="utf-8")
    assert "  # 这一条留给区里用\n" in text
    assert text.count("- id:") > sum(1 for line in lines if "- id:" in line)  # and new points were added


def test_what_a_merge_adds_to_a_miner_written_file_is_read_back(
    tmp_path: Path, corpora: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the items that are not the file's own text are read back, and those are: a new entry written
    wrongly stops the merge, and every file stays as it was."""
    first, more = corpora
    bank = tmp_path / "bank"
    _mine(str(first), "--bank", str(bank))
    before = _snapshot(bank)
    old_ids = {
        line.split("id:")[1].strip()
        for line in (bank / "point.yaml").read_text(encoding="utf-8").splitlines()
        if "- id:" in line
    }
    real = merge_module._entry_text

    def broken(entry: Any, scalar: Any) -> str:
        text = str(real(entry, scalar))
        return text if entry.id in old_ids else text.replace("role: point", "role: nope", 1)

    checked: list[int] = []
    verify = merge_module._verify_text
    monkeypatch.setattr(
        merge_module, "_verify_text", lambda text, path: checked.append(len(text)) or verify(text, path)
    )
    monkeypatch.setattr(merge_module, "_entry_text", broken)
    result = CliRunner().invoke(app, ["mine", str(more), "--bank", str(bank)])
    assert result.exit_code != 0
    assert "nope" in result.output or "角色" in result.output
    assert _snapshot(bank) == before
    assert sum(checked) < sum(len(v) for k, v in before.items() if k.endswith(".yaml"))  # not all read back


def test_a_file_is_taken_as_miner_written_only_when_all_of_it_is(
    tmp_path: Path, corpora: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is compared with the miner's writing a chunk at a time: a difference anywhere (past the
    first chunks, at the very end, text left over) sends it through ruamel."""
    from drafter.bank.load import load_bank_files

    first, _ = corpora
    bank = tmp_path / "bank"
    _mine(str(first), "--bank", str(bank))
    monkeypatch.setattr(merge_module, "VERIFY_SLICE", 500)
    path = bank / "point.yaml"
    text = path.read_text(encoding="utf-8")
    assert len(text) > 10 * 500
    last_id = text.rsplit("  - id: ", 1)[1].split("\n", 1)[0]

    def doc() -> Any:
        [(_, entries, skeletons)] = [f for f in load_bank_files(bank, write_cache=False) if f[0] == path]
        return merge_module._read_doc(path, entries, skeletons)

    assert doc().items  # as written: taken directly
    for changed in (
        text + "# 备注\n",  # more text after the last item
        text.replace(f"id: {last_id}\n", f"id: {last_id}  # 备注\n"),  # a comment on the last item
        text[: len(text) // 2]
        + text[len(text) // 2 :].replace("    role: point\n", "    role:   point\n", 1),
    ):
        assert changed != text
        path.write_text(changed, encoding="utf-8")
        assert not doc().items  # through ruamel
    path.write_text(text, encoding="utf-8")
    assert doc().items

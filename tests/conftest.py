"""Shared fixtures: an isolated HOME and no user bank from the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import drafter.resources
from drafter.models import Block, Draft

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("DRAFTER_BANK", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)  # the bank load cache goes under the isolated HOME
    monkeypatch.delenv("DRAFTER_NO_CACHE", raising=False)


def make_bank(folder: Path, files: dict[str, str]) -> Path:
    """A bank folder holding ``files`` (name -> YAML text, written as UTF-8)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_bytes(text.encode("utf-8"))
    return folder


@pytest.fixture
def use_as_bundled_bank(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path], Path]]:
    """Make a folder stand in for the bundled bank (so figures do not depend on the mined one)."""
    real = drafter.resources._bundled

    def use(folder: Path) -> Path:
        monkeypatch.setattr(
            drafter.resources, "_bundled", lambda name: folder if name == "phrasebank" else real(name)
        )
        drafter.resources.bundled_bank_dir.cache_clear()
        return folder

    yield use
    drafter.resources.bundled_bank_dir.cache_clear()


def load_sample() -> Draft:
    """tests/data/export_sample.txt: "kind: text" lines; "lead:" = body with its first sentence bold."""
    blocks: list[Block] = []
    for line in (DATA / "export_sample.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, text = line.split(": ", 1)
        lead = ""
        if kind == "lead":
            kind, lead = "body", text[: text.index("。") + 1]
        blocks.append(Block(kind, text, lead=lead))  # type: ignore[arg-type]
    return Draft(title=blocks[0].text, blocks=tuple(blocks), year=2026, locality="汉中市", level="市")


# Runs the CLI as the console script does, then prints the modules it imported (also after SystemExit).
PROBE = (
    "import json, sys\n"
    "{prelude}"
    "from drafter.cli import app\n"
    "code = 0\n"
    "try:\n"
    "    app(sys.argv[1:], prog_name='drafter')\n"
    "except SystemExit as e:\n"
    "    code = e.code\n"
    "sys.stdout.flush()\n"
    "print('\\nMODULES=' + json.dumps({{'code': code, 'modules': sorted(sys.modules)}}))\n"
)


def probe(*args: str, prelude: str = "") -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """(the process, with returncode set to the CLI's exit code, and stdout without the probe's line;
    the modules it imported)"""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "80"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(prelude=prelude), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    out, sep, modules = result.stdout.rpartition("\nMODULES=")
    assert sep, (result.stdout, result.stderr)
    found = json.loads(modules)
    result.stdout, result.returncode = out, found["code"]
    return result, set(found["modules"])


def direct_text(doc: Any) -> str | None:
    """A new bank file (bank.merge's _Doc) as the merge writes it without ruamel, joined; None when it
    leaves the file to ruamel."""
    from drafter.bank import merge as merge_module

    try:
        return "".join(merge_module._chunks(doc))
    except merge_module._NotSimple:
        return None


def ruamel_text(doc: Any) -> str:
    """A new bank file (bank.merge's _Doc) as ruamel writes it, its entries and skeletons made ruamel maps
    (as they were before the merge wrote new files itself)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from drafter.bank import merge as merge_module

    [(key, items)] = doc.data.items()
    data = CommentedMap()
    data[key] = CommentedSeq(merge_module._as_map(item) for item in items)
    data.yaml_set_start_comment(merge_module.SCHEMA_LINE)
    return str(merge_module._ruamel_dump(data))


def brute_best(key: str, keys: list[str], similarity: int | None) -> int | None:
    """The search drafter.bank.near replaces: rapidfuzz's extractOne over every key (equal keys only
    when short)."""
    from rapidfuzz import fuzz, process

    from drafter.bank.near import MIN_FUZZY_CHARS

    if not key or not keys:
        return None
    if similarity is None or len(key) < MIN_FUZZY_CHARS:
        return keys.index(key) if key in keys else None
    match = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=similarity)
    return None if match is None else int(match[2])

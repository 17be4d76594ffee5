"""Issue 16: a command builds and imports only what it uses. Each run is a fresh process (the installed
script's way: ``from drafter.cli import app; app()``), and what it imported is read from sys.modules;
help, usage errors and suggestions are the same as when every command is built up front."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import probe
from docx import Document

from drafter.cli.app import COMMAND_MODULES

OTHER_CLI = {
    "drafter.cli.bank",
    "drafter.cli.mine",
    "drafter.cli.lint",
    "drafter.cli.serve",
    "drafter.cli.draft",
}


EAGER = "".join(f"import {module}\n" for module in sorted(set(COMMAND_MODULES.values())))


def test_draft_imports_no_other_command(tmp_path: Path) -> None:
    out = tmp_path / "初稿.docx"
    result, modules = probe("draft", "-y", "2026", "-l", "汉中市", "--level", "市", "-o", str(out))
    assert result.returncode == 0 and "已生成" in result.stdout, result.stderr
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "汉中市" in text and "2026" in text
    assert "drafter.cli.draft" in modules
    assert not modules & (OTHER_CLI - {"drafter.cli.draft"}), modules & OTHER_CLI
    # nor what only the other commands, the web page or the bank editor use
    for unused in ("drafter.lint", "drafter.mine", "drafter.web", "drafter.bank.edit", "drafter.bank.check"):
        assert unused not in modules, unused
    for unused in ("drafter.api.editing", "drafter.api.checking", "drafter.api.browsing", "ruamel", "rich"):
        assert unused not in modules, unused


def test_a_bare_place_name_loads_the_gazetteer_not_the_lint_rules(tmp_path: Path) -> None:
    out = tmp_path / "初稿.txt"
    result, modules = probe("draft", "-y", "2026", "-l", "城固", "--level", "县", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "城固" in out.read_text(encoding="utf-8")
    assert {m for m in modules if m.startswith("drafter.lint")} == {"drafter.lint", "drafter.lint.gazetteer"}
    refused, _ = probe("draft", "-y", "2026", "-l", "城固", "--level", "市", "-o", str(out), "--force")
    assert refused.returncode == 1 and "与 --level 市 不一致" in refused.stderr  # the gazetteer did answer


def test_bank_stats_imports_no_drafting_or_word(tmp_path: Path) -> None:
    result, modules = probe("bank", "stats")
    assert result.returncode == 0, result.stderr
    assert "条" in result.stdout, result.stderr
    assert "drafter.cli.bank" in modules
    assert not modules & (OTHER_CLI - {"drafter.cli.bank"})
    for unused in ("docx", "jinja2", "drafter.draft.compose", "drafter.export.word", "drafter.lint"):
        assert unused not in modules, unused


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("-h",),
        (),
        ("bank", "--help"),
        ("bank",),
        ("drfat",),  # suggestion: draft
        ("bnak", "stats"),  # suggestion: bank
        ("--bogus",),
        ("bank", "stast"),
        ("templates", "-h"),
        ("outline", "-h"),
        ("-V",),
    ],
)
def test_help_and_usage_errors_as_when_every_command_is_built(args: tuple[str, ...]) -> None:
    lazy, lazy_modules = probe(*args)
    eager, _ = probe(*args, prelude=EAGER)
    assert (lazy.returncode, lazy.stdout, lazy.stderr) == (eager.returncode, eager.stdout, eager.stderr)
    assert "Traceback" not in lazy.stderr
    if args in (("drfat",), ("bnak", "stats")):
        assert "您是不是要用 " + ("draft" if args[0] == "drfat" else "bank") in lazy.stderr
    if args in (("--help",), ("-h",), ()):
        commands = (lazy.stdout + lazy.stderr).split("命令：\n", 1)[1].splitlines()
        listed = [line.split()[0] for line in commands if line.strip() and line[2:3] != " "]
        assert listed == list(COMMAND_MODULES), listed
        assert lazy_modules >= OTHER_CLI  # the listing builds every command


def test_command_map_names_every_command_and_its_module() -> None:
    import typer.main

    from drafter.cli.app import app

    for module in set(COMMAND_MODULES.values()):
        importlib.import_module(module)
    registered = {}
    for info in app.registered_commands:
        assert info.callback is not None
        registered[info.name or typer.main.get_command_name(info.callback.__name__)] = (
            info.callback.__module__
        )
    for group in app.registered_groups:
        assert group.typer_instance is not None
        registered[str(group.name)] = group.typer_instance.registered_commands[0].callback.__module__  # type: ignore[union-attr]
    assert registered == COMMAND_MODULES


def test_completion_lists_every_command() -> None:
    import typer.main

    from drafter.cli import app

    group = typer.main.get_command(app)
    ctx = typer.Context(group)
    names = [item.value for item in group.shell_complete(ctx, "")]
    assert [n for n in names if not n.startswith("-")] == list(COMMAND_MODULES)
    assert [item.value for item in group.shell_complete(ctx, "b")] == ["bank"]


BUILT = (
    "import sys, typer.main\n"
    "from drafter.cli import app\n"
    "group = typer.main.get_command(app)\n"
    "try:\n"
    "    group.main(sys.argv[1:], prog_name='drafter')\n"
    "except SystemExit:\n"
    "    pass\n"
    "bank = group.commands.get('bank')\n"
    "print('BUILT=' + ','.join(group.commands) + '|' + ','.join(getattr(bank, 'commands', {})))\n"
)


@pytest.mark.parametrize(
    ("args", "built"),
    [
        (("bank", "stats"), "bank|stats"),
        (("bank", "search", "作风"), "bank|search"),
        (("templates",), "templates|"),
        (
            ("bank", "stast"),
            "bank|check,list,search,show,stats,add,remove,lock,reject,schema,review,generalize,export",
        ),
    ],
)
def test_only_the_invoked_command_is_built(args: tuple[str, ...], built: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", BUILT, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
    )
    assert f"BUILT={built}\n" in result.stdout, (result.stdout, result.stderr)

"""The package layout shows the pipeline: no import cycles, stages import only earlier stages and the
shared pieces, nothing below the CLI imports it (or the web layer)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "drafter"
SHARED = {
    "drafter",
    "drafter.errors",
    "drafter.models",
    "drafter.fsutil",
    "drafter.resources",
    "drafter.rx",
    "drafter.facts",
}
STAGES = ["read", "mine", "bank", "draft", "export", "lint"]  # the data flows this way
ADAPTERS = {"api", "cli", "web", "__main__"}
LAZY_WEB_IMPORTER = "drafter.cli.serve"  # `drafter serve`: the one CLI module that starts the web layer


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            found.update(t for t in targets if t in modules and t != name)
        graph[name] = found
    return graph


def _area(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "shared"
    head = parts[1]
    if head in STAGES or head in ADAPTERS:
        return head
    if ".".join(parts[:2]) in SHARED:
        return "shared"
    raise AssertionError(f"{module} is in no known area: add it to STAGES, ADAPTERS or SHARED")


def test_every_module_has_an_area() -> None:
    for module in _imports():
        _area(module)


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle of the graph, or [] when there is none."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []


def _violations(graph: dict[str, set[str]]) -> list[str]:
    bad = []
    for module, targets in graph.items():
        area = _area(module)
        for target in targets:
            other = _area(target)
            if other in (area, "shared"):
                continue
            if area == "shared":
                bad.append(f"{module} (shared) imports {target}")
            elif area in STAGES and (other not in STAGES or STAGES.index(other) > STAGES.index(area)):
                bad.append(f"{module} ({area}) imports {target} ({other})")
            elif area == "api" and other in {"cli", "web"}:
                bad.append(f"{module} imports the adapter {target}")
            elif {area, other} == {"cli", "web"} and (module, other) != (LAZY_WEB_IMPORTER, "web"):
                bad.append(f"{module} ({area}) imports {target} ({other})")
    return sorted(bad)


def test_no_import_cycles() -> None:
    assert _cycle(_imports()) == []


def test_stages_import_only_earlier_stages_and_shared_pieces() -> None:
    assert _violations(_imports()) == []


def test_the_checks_see_cycles_and_backward_imports() -> None:
    assert _cycle({"drafter.a": {"drafter.b"}, "drafter.b": {"drafter.a"}}) == [
        "drafter.a",
        "drafter.b",
        "drafter.a",
    ]
    graph = {
        "drafter.read.clean": {"drafter.draft.select", "drafter.models"},
        "drafter.draft.select": {"drafter.read.clean", "drafter.cli.app"},
        "drafter.facts.vocab": {"drafter.mine.outline"},
        "drafter.web.app": {"drafter.cli.app", "drafter.api"},
    }
    assert _violations(graph) == [
        "drafter.draft.select (draft) imports drafter.cli.app (cli)",
        "drafter.facts.vocab (shared) imports drafter.mine.outline",
        "drafter.read.clean (read) imports drafter.draft.select (draft)",
        "drafter.web.app (web) imports drafter.cli.app (cli)",
    ]


def test_only_serve_starts_the_web_layer_lazily_and_the_web_layer_has_no_typer() -> None:
    """`drafter --help` and `drafter draft` must not load the web framework; the web layer not Typer."""
    serve = PACKAGE / "cli" / "serve.py"
    top_level = ast.parse(serve.read_text(encoding="utf-8")).body
    for node in top_level:
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            assert not any(n.startswith(("drafter.web", "flask", "werkzeug")) for n in names)
    for path in (PACKAGE / "web").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                assert not any(a.name.split(".")[0] in ("typer", "click") for a in node.names), path
            elif isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.split(".")[0] not in ("typer", "click") and not node.module.startswith(
                    "drafter.cli"
                ), path

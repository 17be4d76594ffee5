"""Stage: lint: one speech -> its findings (the rules of the modules beside this one, in order)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from drafter.errors import ContextError
from drafter.lint.content import CONTENT_RULES, check_content
from drafter.lint.context import LintContext, plain
from drafter.lint.dating import check_year, infer_year
from drafter.lint.numbering import check_count
from drafter.lint.places import check_level, check_places, infer_level
from drafter.lint.textual import check_dirt, check_placeholders, check_punctuation, check_repeats, find_dirt
from drafter.models import LEVELS, MAX_YEAR, MIN_YEAR, Finding, SourceText

__all__ = ["RULES", "LintResult", "analyze_path", "analyze_source", "lint_path", "lint_source"]

# id -> (severity, what it checks); the order findings are listed in on one line.
RULES: dict[str, tuple[str, str]] = {
    "dirt": ("error", "广告、水印、QQ/电话号码、“仅供学习”一类的行"),
    "count": ("error", "“我讲五点意见”与实际部分数；各级序号跳号、重复、颠倒"),
    "repeat": ("error", "重复出现的句子或段落"),
    "year": ("error", "与会议年份矛盾的全会届次、国务院廉政工作会议次数、过时提法、时间错位的事件"),
    "level": ("error/warning", "其他层级的说法（县级讲话中的“全市政府系统”）"),
    "place": ("error/warning", "既不是本地、也不是本地上级或下级的省、市、县名称"),
    "placeholder": ("warning", "未填写的 X、XX、×、**、*.*%、【…】"),
    "punctuation": ("warning", "中文里的半角逗号、冒号等，不配对的“”（）《》"),
    **CONTENT_RULES,
}
YEAR_RANGE = (MIN_YEAR, MAX_YEAR)  # the years draft accepts


@dataclass(frozen=True)
class LintResult:
    file: str
    findings: tuple[Finding, ...]
    year: int | None
    year_basis: str | None
    level: str | None
    level_basis: str | None

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)


def analyze_source(
    source: SourceText,
    *,
    year: int | None = None,
    locality: str | None = None,
    level: str | None = None,
    file: str | None = None,
) -> LintResult:
    """Check one speech. ``source`` should be read with ``read_source(path, clean=False)``.
    Raises ContextError for a year or level outside the valid choices."""
    if year is not None and not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise ContextError(
            f"年份 {year} 超出支持范围", hint=f"--year 可选 {MIN_YEAR}–{MAX_YEAR}（会议召开的年份）。"
        )
    if level is not None and level not in LEVELS:
        raise ContextError(f"层级「{level}」无效", hint="--level 可选：市、县、区。")
    locality = locality.strip() if locality and locality.strip() else None
    blocks = find_dirt(source.lines)
    dirty = frozenset(n for first, last, _ in blocks for n in range(first, last + 1))
    lines = tuple(line for line in source.lines if plain(line.text) and line.number not in dirty)
    ctx = LintContext(
        source=source,
        file=file if file is not None else str(source.path),
        lines=lines,
        dirt_lines=dirty,
        year_given=year is not None,
        level_given=level is not None,
        locality=locality,
    )
    if year is not None:
        ctx.year, ctx.year_basis = year, "据 --year"
    else:
        ctx.year, ctx.year_basis = infer_year(lines)
    if level is not None:
        ctx.level, ctx.level_basis = level, "据 --level"
    elif locality and locality[-1] in "市县区旗":
        ctx.level, ctx.level_basis = ("县" if locality[-1] == "旗" else locality[-1]), "据 --locality"
    else:
        ctx.level, ctx.level_basis = infer_level(ctx)

    check_dirt(ctx, blocks)
    check_count(ctx)
    check_repeats(ctx)
    check_year(ctx)
    check_level(ctx)
    check_places(ctx)
    check_placeholders(ctx)
    check_punctuation(ctx)
    check_content(ctx)

    order = {rule: i for i, rule in enumerate(RULES)}
    unique = dict.fromkeys(ctx.findings)  # one finding once, however many rules or passes reach it
    findings = sorted(unique, key=lambda f: (f.line, order.get(f.rule, 99)))
    return LintResult(ctx.file, tuple(findings), ctx.year, ctx.year_basis, ctx.level, ctx.level_basis)


def lint_source(
    source: SourceText, *, year: int | None = None, locality: str | None = None, level: str | None = None
) -> list[Finding]:
    """Findings for one speech, by line. Raises ContextError for an invalid year or level."""
    return list(analyze_source(source, year=year, locality=locality, level=level).findings)


def analyze_path(
    path: Path, *, year: int | None = None, locality: str | None = None, level: str | None = None
) -> LintResult:
    """Read ``path`` (.txt in any encoding drafter reads, or .docx) uncleaned and check it.
    Raises SourceError for a file that cannot be read, ContextError for bad options."""
    from drafter.read.sources import read_source

    source = read_source(Path(path), clean=False)
    return analyze_source(source, year=year, locality=locality, level=level, file=str(path))


def lint_path(
    path: Path, *, year: int | None = None, locality: str | None = None, level: str | None = None
) -> list[Finding]:
    """Findings for the speech in ``path``. Raises SourceError / ContextError (see analyze_path)."""
    return list(analyze_path(path, year=year, locality=locality, level=level).findings)

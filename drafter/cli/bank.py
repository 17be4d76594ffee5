"""CLI: ``drafter bank …`` (check, list, search, show, stats, add, remove, lock, reject, review, generalize,
export, schema).

Typer only: parse options, call drafter.bank.{check,query,edit}, print. Read commands layer ``--bank``
(then DRAFTER_BANK) over the bundled bank; edit commands write only to ``--bank`` or DRAFTER_BANK.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from drafter.cli.app import LazyGroup, app, echo_err

if TYPE_CHECKING:
    from drafter.bank.edit import EditResult
    from drafter.bank.query import EntryFilter
    from drafter.bank.splice import Flag
    from drafter.models import Bank, Entry

bank_app = typer.Typer(
    cls=LazyGroup,  # `drafter bank stats` builds only the stats command
    name="bank",
    help="管理语料库：检查、查找、查看、统计、添加、删除、锁定、弃用、审阅、导出条目。",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(
    bank_app, name="bank", help="管理语料库：检查、查找、查看、统计、添加、删除、锁定、弃用、审阅、导出条目。"
)

READ_BANK_HELP = "自己的语料库文件夹，先于内置语料库（同 id 的条目覆盖内置条目；可多次给出）。也可设环境变量 DRAFTER_BANK。"
EDIT_BANK_HELP = "要修改的语料库文件夹（你自己的；内置语料库只读）。不写则用环境变量 DRAFTER_BANK。"
LEVEL_NAMES = {"市": "市级", "县": "县级", "区": "区级"}
FLAG_WORDS = {"locked": "锁定", "rejected": "弃用"}


ReadBanks = Annotated[list[Path] | None, typer.Option("--bank", "-b", metavar="文件夹", help=READ_BANK_HELP)]
EditBank = Annotated[Path | None, typer.Option("--bank", "-b", metavar="文件夹", help=EDIT_BANK_HELP)]
RoleFilter = Annotated[
    str | None,
    typer.Option(
        "--role",
        "-r",
        metavar="角色",
        help="只看这个角色（opening、point、closing……，见 docs/phrasebank.md）。",
    ),
]
TopicFilter = Annotated[
    list[str] | None,
    typer.Option("--topic", "-t", metavar="主题", help="只看带这个主题的条目；多次给出时须全部带有。"),
]
LevelFilter = Annotated[
    str | None, typer.Option("--level", "-l", metavar="层级", help="只看适用于这个层级的条目：市、县 或 区。")
]
YearFilter = Annotated[
    int | None, typer.Option("--year", "-y", metavar="年份", help="只看适用于这一年会议的条目，例如 2026。")
]
AllFlag = Annotated[bool, typer.Option("--all", "-a", help="也包括已弃用（rejected）的条目。")]
Limit = Annotated[int | None, typer.Option("--limit", "-n", metavar="条数", min=1, help="最多列出多少条。")]
Full = Annotated[bool, typer.Option("--full", help="列出完整正文，不截断。")]
Width = Annotated[int, typer.Option("--width", metavar="字数", min=8, help="正文摘录的字数（默认 40）。")]
IdArg = Annotated[str, typer.Argument(metavar="ID", help="条目的 id。")]


def _layered(banks: list[Path] | None) -> Bank:
    from drafter.bank import load_bank

    return load_bank(user_dirs=list(banks or []))


def _print_entries(entries: list[Entry], *, full: bool, width: int, limit: int | None) -> None:
    from drafter.bank.query import excerpt

    shown = entries if limit is None else entries[:limit]
    for entry in shown:
        flags = ("[锁定]" if entry.locked else "") + ("[弃用]" if entry.rejected else "")
        flags += "[待审]" if entry.scope and not (entry.locked or entry.rejected) else ""
        text = " ".join(entry.text.split()) if full else excerpt(entry.text, width)
        typer.echo(f"{entry.id}  {entry.role}  {'、'.join(entry.topics) or '-'}  {flags}{text}")
    if not entries:
        echo_err("没有符合条件的条目。")
    elif len(shown) < len(entries):
        echo_err(f"共 {len(entries)} 条，只列出前 {len(shown)} 条（--limit）。")
    else:
        echo_err(f"共 {len(entries)} 条。")


def _filter(
    *,
    role: str | None,
    topic: list[str] | None,
    level: str | None,
    year: int | None,
    text: str | None,
    regex: bool,
    include_rejected: bool,
) -> EntryFilter:
    from drafter.bank.query import make_filter

    return make_filter(
        role=role,
        topics=topic or (),
        level=level,
        year=year,
        text=text,
        regex=regex,
        include_rejected=include_rejected,
    )


@bank_app.command("check")
def check_command(
    bank: ReadBanks = None,
    with_bundled: bool = typer.Option(
        False, "--with-bundled", help="给了 --bank 或 DRAFTER_BANK 时也检查内置语料库。"
    ),
    full: bool = typer.Option(False, "--full", help="重新检查每个文件（默认只检查上次检查后改动过的文件）。"),
) -> None:
    """检查语料库的每个文件：YAML 语法、字段、重复 id、角色、主题、槽位、年份、占位符、控制字符。

    每个问题输出一行“文件:行号: 说明”，一次列出全部问题；有问题时退出码为 1。
    不写 --bank（也没有 DRAFTER_BANK）时检查内置语料库。未改动的文件沿用上次的检查结果（--full 全部重查）。
    """
    from drafter.bank.check import check_bank_dir, check_roots

    roots = check_roots(list(bank or []), with_bundled=with_bundled)
    reports = [check_bank_dir(root, full=full) for root in roots]
    problems = [p for r in reports for p in r.problems]
    for problem in problems:
        typer.echo(str(problem))
    files = sum(r.files for r in reports)
    if problems:
        echo_err(f"发现 {len(problems)} 个问题（共检查 {files} 个文件）。")
        raise typer.Exit(1)
    entries = sum(r.entries for r in reports)
    skeletons = sum(r.skeletons for r in reports)
    folders = "、".join(str(r.folder) for r in reports)
    typer.echo(f"语料库检查通过：{folders}，{files} 个文件，{entries} 个条目，{skeletons} 个骨架。")


@bank_app.command("list")
def list_command(
    bank: ReadBanks = None,
    role: RoleFilter = None,
    topic: TopicFilter = None,
    level: LevelFilter = None,
    year: YearFilter = None,
    text: str | None = typer.Option(
        None, "--text", "-s", metavar="文字", help="只看正文含有这段文字的条目。"
    ),
    regex: bool = typer.Option(False, "--regex", "-E", help="把 --text 当作正则表达式。"),
    include_rejected: AllFlag = False,
    limit: Limit = None,
    full: Full = False,
    width: Width = 40,
) -> None:
    """列出条目，每行：id  角色  主题  正文摘录。可按角色、主题、层级、年份、文字筛选。"""
    _list_filtered(
        bank,
        _filter(
            role=role,
            topic=topic,
            level=level,
            year=year,
            text=text,
            regex=regex,
            include_rejected=include_rejected,
        ),
        full=full,
        width=width,
        limit=limit,
    )


def _list_filtered(
    bank: list[Path] | None, entry_filter: EntryFilter, *, full: bool, width: int, limit: int | None
) -> None:
    from drafter.bank.query import filter_entries

    entries = filter_entries(_layered(bank), entry_filter)
    _print_entries(entries, full=full, width=width, limit=limit)


@bank_app.command("search")
def search_command(
    pattern: str = typer.Argument(
        ..., metavar="文字", help="要找的文字，例如 八项规定；加 --regex 时为正则表达式。"
    ),
    bank: ReadBanks = None,
    regex: bool = typer.Option(False, "--regex", "-E", help="把要找的文字当作正则表达式。"),
    role: RoleFilter = None,
    topic: TopicFilter = None,
    level: LevelFilter = None,
    year: YearFilter = None,
    include_rejected: AllFlag = False,
    limit: Limit = None,
    full: Full = False,
    width: Width = 40,
) -> None:
    """查找正文含有某段文字的条目（也按 全县、县委 等层级写法匹配槽位）。"""
    _list_filtered(
        bank,
        _filter(
            role=role,
            topic=topic,
            level=level,
            year=year,
            text=pattern,
            regex=regex,
            include_rejected=include_rejected,
        ),
        full=full,
        width=width,
        limit=limit,
    )


@bank_app.command("show")
def show_command(
    entry_id: IdArg,
    bank: ReadBanks = None,
) -> None:
    """显示一个条目的全部字段、出处，以及它在哪个语料库文件的哪一行。"""
    from drafter.bank.query import show_entry
    from drafter.bank.schema import ROLES

    layered = _layered(bank)
    shown = show_entry(entry_id, bank=layered)
    entry = shown.entry
    years = "不限" if entry.years.start is None and entry.years.end is None else str(entry.years)
    status = "锁定" if entry.locked else "弃用" if entry.rejected else "正常"
    typer.echo(f"id：{entry.id}")
    typer.echo(f"角色：{entry.role}（{ROLES.get(entry.role, '')}）")
    typer.echo(f"主题：{'、'.join(entry.topics) or '（无）'}")
    typer.echo(f"层级：{'、'.join(entry.levels)}")
    typer.echo(f"年份：{years}")
    typer.echo(f"状态：{status}")
    if entry.style:
        typer.echo(f"编号样式：{entry.style}")
    if entry.scope:
        settled = "已锁定，留作本地使用" if entry.locked else "默认不用于初稿，见 drafter bank review"
        typer.echo(f"地域/时效：{'；'.join(entry.scope)}（{settled}）")
    if entry.note:
        typer.echo(f"备注：{entry.note}")
    typer.echo("出处：" + ("" if entry.source else "（无）"))
    for source in entry.source:
        typer.echo(f"  {source}")
    for index, layer in enumerate(shown.layers):
        where = f"{layer.file}:{layer.line}" if layer.line else str(layer.file)
        kind = "内置语料库" if layer.bundled else "用户语料库"
        note = "（正在使用）" if index == 0 else "（被上面的同 id 条目覆盖）"
        typer.echo(f"位置：{where}  {kind}{note}")
    typer.echo("正文：")
    typer.echo(f"  {entry.text}")


@bank_app.command("stats")
def stats_command(
    bank: ReadBanks = None,
    role: RoleFilter = None,
    topic: TopicFilter = None,
    level: LevelFilter = None,
    year: YearFilter = None,
    include_rejected: AllFlag = False,
) -> None:
    """统计条目数：按角色、主题、层级、年份和语料库分别计数。"""
    from drafter.bank.query import bank_stats, select_table
    from drafter.bank.schema import ROLES

    entry_filter = _filter(
        role=role,
        topic=topic,
        level=level,
        year=year,
        text=None,
        regex=False,
        include_rejected=include_rejected,
    )
    layered = _layered(bank)
    stats = bank_stats(select_table(layered, entry_filter), roots=layered.roots)  # no entry built
    typer.echo(f"条目：{stats.total}（锁定 {stats.locked}，弃用 {stats.rejected}）")
    typer.echo("按角色：")
    for role_name, count in stats.by_role.items():
        typer.echo(f"  {_pad(role_name, 14)}{count:>7}  {ROLES[role_name]}")
    typer.echo("按主题：")
    for topic_name, count in stats.by_topic.items():
        typer.echo(f"  {_pad(topic_name, 14)}{count:>7}")
    typer.echo("按层级：")
    for level_name, count in stats.by_level.items():
        typer.echo(f"  {_pad(LEVEL_NAMES[level_name], 14)}{count:>7}")
    typer.echo("按年份范围（years 字段）：")
    for years, count in stats.by_years.items():
        typer.echo(f"  {_pad(years, 14)}{count:>7}")
    typer.echo("按会议年份（适用的条目数）：")
    for meeting_year, count in stats.by_year.items():
        typer.echo(f"  {_pad(str(meeting_year), 14)}{count:>7}")
    typer.echo("按语料库：")
    for root, count in stats.by_root.items():
        typer.echo(f"  {count:>7}  {root}")


def _pad(text: str, width: int) -> str:
    """Left-justify to a display width (a CJK character is two columns)."""
    shown = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(1, width - shown)


@bank_app.command("add")
def add_command(
    bank: EditBank = None,
    role: str = typer.Option(
        ...,
        "--role",
        "-r",
        metavar="角色",
        help="条目的角色：point、opening、closing……（见 docs/phrasebank.md）。",
    ),
    text: str = typer.Option(
        ..., "--text", metavar="文字", help="条目正文；层级词（全县、县委……）会自动换成槽位 {全市}、{市委}。"
    ),
    topic: list[str] | None = typer.Option(
        None, "--topic", "-t", metavar="主题", help="主题，可多次给出；不写则按关键词自动判断。"
    ),
    level: list[str] | None = typer.Option(
        None, "--level", "-l", metavar="层级", help="适用层级：市、县、区，可多次给出；不写为三级都适用。"
    ),
    years: str | None = typer.Option(
        None, "--years", metavar="范围", help="适用年份：2021-2025、2023-、-2022 或 2026；不写为不限。"
    ),
    source: list[str] | None = typer.Option(None, "--source", metavar="出处", help="出处，可多次给出。"),
    note: str | None = typer.Option(None, "--note", metavar="备注", help="备注。"),
    file_name: str | None = typer.Option(
        None, "--file", metavar="文件名", help="写入语料库中的哪个文件（默认 角色.yaml，如 point.yaml）。"
    ),
) -> None:
    """向自己的语料库添加一个条目，输出新条目的 id。文件的其余内容（注释、顺序、空行）保持不变。"""
    from drafter.bank.edit import add_entry

    result = add_entry(
        bank_dir=bank,
        role=role,
        text=text,
        topics=tuple(topic or ()),
        levels=tuple(level or ()),
        years=years,
        source=tuple(source or ()),
        note=note,
        file_name=file_name,
    )
    typer.echo(result.entry_id)
    _report_created(result)
    echo_err(f"已添加到 {result.path}")
    if result.text != " ".join(text.split()):
        echo_err(f"保存的正文：{result.text}")
    if result.guessed_topics and result.topics:
        echo_err(f"未指定主题，按关键词归为：{'、'.join(result.topics)}（可用 --topic 指定）")
    elif result.guessed_topics:
        echo_err("未指定主题，也无法按关键词判断，条目不带主题（可用 --topic 指定）")


def _report_created(result: EditResult) -> None:
    if result.created_folder:
        echo_err(f"已新建语料库文件夹 {result.path.parent}")
    if result.created_file:
        echo_err(f"已新建文件 {result.path}")


@bank_app.command("remove")
def remove_command(
    entry_id: str = typer.Argument(..., metavar="ID", help="要删除的条目的 id。"),
    bank: EditBank = None,
) -> None:
    """从自己的语料库删除一个条目（只删这个条目的几行，文件其余内容不变）。内置条目不能删除，请用 reject。"""
    from drafter.bank.edit import remove_entry

    result = remove_entry(entry_id, bank_dir=bank)
    typer.echo(f"已删除 {result.entry_id}（{result.path}）")
    if result.revealed is not None:
        echo_err(f"注意：{result.revealed.file} 中同 id 的条目现在重新生效。")


def _flag_command(entry_id: str, bank: Path | None, *, flag: Flag, undo: bool) -> None:
    from drafter.bank.edit import set_entry_flag
    from drafter.resources import bundled_bank_dir

    result = set_entry_flag(entry_id, bank_dir=bank, flag=flag, value=not undo)
    word = FLAG_WORDS[flag]
    if not result.changed:
        already = f"本来就没有{word}" if undo else f"已经是{word}状态"
        typer.echo(f"{entry_id} {already}，没有改动。")
        return
    _report_created(result)
    done = f"取消{word}" if undo else word
    if result.copied_from is not None:
        bundled = result.copied_from.resolve().is_relative_to(bundled_bank_dir().resolve())
        origin = "内置语料库（只读）" if bundled else str(result.copied_from)
        typer.echo(
            f"{entry_id} 来自{origin}，已复制到你的语料库 {result.path} 并标记为{done}；"
            f"同 id 的这份副本覆盖原条目。"
        )
    else:
        typer.echo(f"已{done} {entry_id}（{result.path}）")
    if result.cleared:
        echo_err(f"同时取消了它的{FLAG_WORDS[result.cleared]}标记。")


@bank_app.command("lock")
def lock_command(
    entry_id: IdArg,
    bank: EditBank = None,
    undo: bool = typer.Option(False, "--undo", help="取消锁定。"),
) -> None:
    """锁定一个条目：确认保留，重新挖掘不会改动它。内置条目会复制到自己的语料库再锁定。"""
    _flag_command(entry_id, bank, flag="locked", undo=undo)


@bank_app.command("reject")
def reject_command(
    entry_id: IdArg,
    bank: EditBank = None,
    undo: bool = typer.Option(False, "--undo", help="取消弃用。"),
) -> None:
    """弃用一个条目：生成初稿时不再使用。内置条目会复制到自己的语料库再标记为弃用。"""
    _flag_command(entry_id, bank, flag="rejected", undo=undo)


@bank_app.command("schema")
def schema_command() -> None:
    """输出语料库文件的 JSON Schema，供编辑器做字段提示和校验（见 docs/phrasebank.md）。"""
    from drafter.bank.schema import json_schema

    typer.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


def _bank_arg(banks: list[Path] | None) -> str:
    """The --bank part of a printed edit command (edits never go to the bundled bank)."""
    import os

    from drafter.bank.load import BANK_ENV

    if banks:
        return f" --bank {banks[0]}"
    return "" if os.environ.get(BANK_ENV) else " --bank 我的语料库"


@bank_app.command("review")
def review_command(
    bank: ReadBanks = None,
    with_bundled: bool = typer.Option(False, "--with-bundled", help="给了 --bank 时也列出内置语料库的条目。"),
) -> None:
    """待审队列：列出只属于某地、某个时刻或层级不符、有错别字的条目（id、原因、正文）和处理它的命令。

    每个条目可以：通用化（generalize，把本地名称换成【】占位符）、留作本地使用（lock）、弃用（reject）。
    已锁定或已弃用的条目算已处理，不再列出。有待处理的条目时退出码为 1。
    """
    from drafter.bank.query import excerpt
    from drafter.export.bank_book import entry_flags
    from drafter.mine.scope import fitting_levels, scope_flags

    entries = _layered(bank).entries
    if bank and not with_bundled:
        roots = [p.resolve() for p in bank]
        entries = tuple(
            e for e in entries if e.file and any(e.file.resolve().is_relative_to(r) for r in roots)
        )
    where = _bank_arg(bank)
    count = 0
    for entry in entries:
        if entry.locked or entry.rejected:
            continue
        flags = list(entry_flags(entry))
        fits = fitting_levels(entry.text, entry.levels)
        misfit = fits != tuple(entry.levels)
        if misfit:
            flags.append(f"层级：只适合{'、'.join(fits) or '（无）'}级讲话")
        if not flags:
            continue
        count += 1
        typer.echo(f"{entry.id}  {entry.role}  {'；'.join(flags)}")
        typer.echo(f"    {excerpt(entry.text, 80)}")
        found = scope_flags(entry.text)
        if found:
            first = found[0]
            to = ' --to "原话"' if first.kind == "引语" else ""
            command = f'drafter bank generalize {entry.id} "{first.match}"{to}{where}'
            typer.echo(f"    通用化：{command}  # {first.instead}")
        if misfit:
            typer.echo(f"    限定层级：在 {entry.file}:{entry.line} 把 levels 改为 [{', '.join(fits)}]")
        typer.echo(f"    留作本地：drafter bank lock {entry.id}{where}")
        typer.echo(f"    弃用：    drafter bank reject {entry.id}{where}")
    if count:
        echo_err(f"待处理 {count} 条。处理办法见 docs/phrasebank.md“地域与时效”一节。")
        raise typer.Exit(1)
    echo_err("没有待处理的条目。")


@bank_app.command("generalize")
def generalize_command(
    entry_id: IdArg,
    fragment: str = typer.Argument(..., metavar="片段", help="正文中只属于某地或某个时刻的那几个字，照抄。"),
    to: str | None = typer.Option(
        None,
        "--to",
        metavar="文字",
        help="换成什么；不写时本地名称换成【本地做法名称】、文件名换成【本地条例名称】；--to '' 表示删去。",
    ),
    bank: EditBank = None,
) -> None:
    """通用化一个条目：把本地名称或时效说法换成【】占位符（或删去），并在 note 中记下改动。"""
    from drafter.bank.edit import generalize_entry

    result, entry = generalize_entry(entry_id, bank_dir=bank, fragment=fragment, replacement=to)
    _report_created(result)
    if result.copied_from is not None:
        typer.echo(f"{entry_id} 已复制到你的语料库 {result.path} 并通用化；同 id 的这份副本覆盖原条目。")
    else:
        typer.echo(f"已通用化 {entry_id}（{result.path}）")
    typer.echo(f"    {entry.text}")
    if entry.scope:
        echo_err(f"还有：{'；'.join(entry.scope)}（再运行 generalize，或 lock / reject）。")


@bank_app.command("export")
def export_command(
    output: Path = typer.Option(
        ..., "--output", "-o", metavar="文件", help="输出文件：.docx（Word）或 .md。"
    ),
    bank: ReadBanks = None,
    with_bundled: bool = typer.Option(False, "--with-bundled", help="给了 --bank 时也收入内置语料库的条目。"),
    include_rejected: bool = typer.Option(False, "--all", "-a", help="也收入已弃用的条目。"),
    force: bool = typer.Option(False, "--force", "-f", help="覆盖已存在的文件。"),
) -> None:
    """把语料库导出为供审阅的“素材汇编”（Word 或 Markdown）：按角色、主题分组，每条注明 id、年份、层级、提示和出处。"""
    from drafter.errors import ExportError
    from drafter.export.bank_book import write_bank_book

    fmt = {".docx": "docx", ".md": "md", ".markdown": "md"}.get(output.suffix.lower())
    if fmt is None:
        raise ExportError("输出文件的扩展名应为 .docx 或 .md", path=output, hint="例如 -o 素材汇编.docx。")
    entries = _layered(bank).entries
    if bank and not with_bundled:
        roots = [p.resolve() for p in bank]
        entries = tuple(
            e for e in entries if e.file and any(e.file.resolve().is_relative_to(r) for r in roots)
        )
    if not include_rejected:
        entries = tuple(e for e in entries if not e.rejected)
    name = "、".join(p.name for p in bank) if bank else "内置语料库"
    write_bank_book(list(entries), output, title=f"{name}素材汇编", fmt=fmt, force=force)
    typer.echo(f"已导出 {len(entries)} 条到 {output}")

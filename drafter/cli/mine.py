"""CLI: ``drafter mine`` (speeches -> phrase bank) and ``drafter outline`` (a speech's skeleton).

Typer only: expand the paths, call drafter.mine.candidates / drafter.bank.merge / drafter.mine.outline, print. The
progress bar (rich) is shown on stderr when it is a terminal.
"""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from drafter.cli.app import app, echo_err, print_user_error

if TYPE_CHECKING:
    from rich.console import Console
    from rich.status import Status

    from drafter.bank.merge import MergePlan
    from drafter.mine.batch import MinedFile
    from drafter.mine.outline import Part, Speech

ROLE_NAMES = {
    "opening": "开场",
    "review_intro": "回顾总述",
    "review_item": "成绩条目",
    "problem_intro": "问题总述",
    "problem_item": "问题条目",
    "situation": "形势",
    "transition": "过渡",
    "heading": "标题",
    "part_lead": "部分导语",
    "point": "要点",
    "quote": "引语",
    "extra": "附带事项",
    "closing": "结尾",
}


@app.command(
    "mine",
    help=(
        "挖掘讲话稿，写入（合并到）语料库文件夹。讲话稿可以是 .txt/.md/.docx 文件或文件夹（递归查找）。"
        "已有条目按 id 合并，手工修改、锁定（locked）和弃用（rejected）的条目保持不变。"
    ),
)
def mine_command(
    sources: Annotated[
        list[Path],
        typer.Argument(metavar="讲话稿...", help="讲话稿文件或文件夹，可给多个。", show_default=False),
    ],
    bank: Annotated[
        Path, typer.Option("--bank", "-b", metavar="文件夹", help="写入的语料库文件夹（不存在时新建）。")
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只列出将要发生的变化，不写任何文件。")] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            metavar="进程数",
            min=1,
            help="同时挖掘的进程数。默认：讲话稿较多时每个 CPU 核一个（最多 4 个），较少时只用一个；1 表示只用一个进程。",
            show_default=False,
        ),
    ] = None,
) -> None:
    from drafter.rx import keep_compiled_patterns, save_compiled_patterns, speed_up_charsets

    # First: the bank's and the miner's ~300 patterns come compiled from the user cache (or compile faster).
    speed_up_charsets()
    keep_compiled_patterns(at_exit=False)  # saved here, so that the process may end without exit handlers
    try:
        _mine(sources, bank, dry_run=dry_run, jobs=jobs)
    finally:
        save_compiled_patterns()


def _mine(sources: list[Path], bank: Path, *, dry_run: bool, jobs: int | None) -> None:
    from drafter.bank.merge import CandidatePool, plan_merge, write_merge
    from drafter.errors import SourceError, UserError
    from drafter.mine.batch import mine_files
    from drafter.mine.candidates import source_files

    failures = 0
    files: list[str] = []  # (names: a Path takes four times the memory, and a corpus has thousands)
    for path in sources:
        try:
            files.extend(map(str, source_files([path])))
        except UserError as e:
            print_user_error(e)
            failures += 1
    # Streaming: each speech is mined, its candidates pooled (equal ids merged at once) and the speech
    # released, so memory follows the bank's size, not the corpus's.
    pool = CandidatePool()
    tally = MineTally()
    mined = mine_files(files, jobs=jobs, notice=lambda why: echo_err(f"提示：{why}"))
    for speech in _progress(mined, len(files)):
        if isinstance(speech, UserError):
            print_user_error(speech)
            failures += 1
            continue
        pool.add(speech.entries)
        pool.add_skeleton(speech.skeleton)
        tally.count(speech)
        if dry_run:
            _print_removed(speech)
        del speech
    if not tally.speeches:
        raise SourceError(
            "没有读到任何讲话稿",
            hint="请给出 .txt（UTF-8、GBK/GB18030、UTF-16）或 .docx 文件，或包含它们的文件夹。",
        )
    if dry_run:
        with _status(f"正在比对 {len(pool)} 个候选条目……") as status:
            after = "正在与语料库原有条目比对……" if bank.is_dir() else "正在整理比对结果……"
            plan = plan_merge(
                bank, pool, pool.skeletons(), render=False, progress=_merging(status, "正在比对", after)
            )
        _print_changes(plan)
        wrote = False
    else:
        from drafter.bank.lock import bank_lock

        # plan against the bank as it is now, and write before anyone else
        with bank_lock(bank), _status(f"正在合并 {len(pool)} 个候选条目并写入语料库……") as status:
            after = "正在与语料库原有条目比对并写入……" if bank.is_dir() else "正在写入语料库……"
            plan = plan_merge(
                bank, pool, pool.skeletons(), render=True, progress=_merging(status, "正在合并", after)
            )
            wrote = write_merge(plan)
    _print_summary(tally, plan, failures=failures, dry_run=dry_run, wrote=wrote)


@dataclass
class MineTally:
    """What the summary needs of the mined speeches, kept while the speeches themselves are released."""

    speeches: int = 0
    parts: int = 0
    dropped: int = 0

    def count(self, speech: MinedFile) -> None:
        self.speeches += 1
        self.parts += speech.parts
        self.dropped += speech.skipped


T = TypeVar("T")


def _terminal() -> Console | None:
    """A rich console on stderr when it is a terminal (rich lives only here, in the CLI; not even imported
    otherwise)."""
    import os
    import sys

    if not (sys.stderr.isatty() or os.environ.get("FORCE_TERMINAL")):
        return None
    from rich.console import Console

    console = Console(stderr=True)
    return console if console.is_terminal else None


def _progress(items: Iterable[T], total: int) -> Iterable[T]:
    """The items, with a progress bar on the terminal."""
    console = _terminal() if total >= 2 else None
    if console is None:
        return items
    from rich.progress import track

    return track(items, total=total, description="挖掘讲话稿", console=console, transient=True)


def _status(message: str) -> AbstractContextManager[Status | None]:
    """A spinner with ``message`` on the terminal while a long step runs (a large corpus's merge takes a
    minute); None elsewhere."""
    console = _terminal()
    return contextlib.nullcontext() if console is None else console.status(message)


def _merging(status: Status | None, doing: str, after: str) -> Callable[[int, int], None] | None:
    """The merge's progress, shown in the spinner's line: how many candidates are compared among
    themselves, then ``after``."""
    if status is None:
        return None

    def show(done: int, total: int) -> None:
        status.update(f"{doing}候选条目：{done:,} / {total:,}……" if done < total else after)

    return show


def _short(text: str, width: int = 36) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _print_removed(speech: MinedFile) -> None:
    """What cleaning took away from a file (whole lines and fragments), with line numbers."""
    for line in speech.removed:
        typer.echo(f"清洗删去 [{speech.path.name}:{line.number}] {_short(line.text.strip(), 48)}")


def _print_changes(plan: MergePlan) -> None:
    from drafter.bank.merge import CHANGE_LABELS

    for change in plan.all_changes():
        if change.kind in ("unchanged",):
            continue
        entry = change.entry
        where = entry.source[-1] if entry.source else ""
        into = f" → {change.into}" if change.into else ""
        reason = f"（{change.reason}）" if change.reason else ""
        typer.echo(f"{CHANGE_LABELS[change.kind]} {entry.id}{into} [{where}] {_short(entry.text)}{reason}")
    for path in sorted(plan.new_files):
        typer.echo(f"新建文件 {path}")


def _print_summary(
    tally: MineTally, plan: MergePlan, *, failures: int, dry_run: bool, wrote: bool = False
) -> None:
    from drafter.bank.merge import CHANGE_LABELS

    parts, dropped = tally.parts, tally.dropped
    failed = f"，{failures} 个未能读取" if failures else ""
    typer.echo(f"读取讲话稿 {tally.speeches} 篇{failed}，识别出主体部分 {parts} 个。")
    counts = "，".join(f"{label} {plan.count(kind)}" for kind, label in CHANGE_LABELS.items())  # type: ignore[arg-type]
    typer.echo(f"条目：{counts}；另有 {dropped} 处因含地名、人名、本地排名等未收录。")
    if plan.unlisted:
        from drafter.bank.merge import MAX_SOURCES

        typer.echo(f"出处：每个条目最多列出 {MAX_SOURCES} 处，另有 {plan.unlisted} 处出处未列出。")
    roles: Counter[str] = Counter()
    added_roles: Counter[str] = Counter()
    topics: Counter[str] = Counter()
    for change in plan.all_changes():
        if change.kind in ("added", "updated", "merged", "unchanged", "edited"):
            roles[change.entry.role] += 1
            topics.update(change.entry.topics)
            if change.kind == "added":
                added_roles[change.entry.role] += 1
    typer.echo(
        "按角色："
        + "，".join(
            f"{ROLE_NAMES.get(role, role)}（{role}）{n}"
            + (f"（新增 {added_roles[role]}）" if added_roles[role] else "")
            for role, n in sorted(roles.items(), key=lambda kv: -kv[1])
        )
    )
    typer.echo("按主题：" + ("，".join(f"{topic} {n}" for topic, n in topics.most_common()) or "无"))
    skeletons = Counter(plan.skeletons.values())
    labels = {"added": "新增", "updated": "更新", "unchanged": "未变"}
    typer.echo("讲话骨架：" + ("，".join(f"{labels[k]} {n}" for k, n in skeletons.items()) or "无"))
    if dry_run:
        typer.echo(f"（预演：没有写入 {plan.bank_dir}）")
    elif not plan.files:
        typer.echo(
            f"语料库没有变化：{plan.bank_dir}"
            + ("（只更新了挖掘记录 .drafter-mine.json）。" if wrote else "。")
        )
    else:
        typer.echo(f"已写入 {plan.bank_dir}（改动文件 {len(plan.files)} 个）。")


# --- outline ---------------------------------------------------------------------------------


@app.command(
    "outline",
    help="显示一篇讲话稿的骨架：标题、宣布的意见条数、各主体部分的标题和要点。--json 输出一个 JSON 对象。",
)
def outline_command(
    file: Annotated[
        Path, typer.Argument(metavar="文件", help="讲话稿（.txt、.md 或 .docx）。", show_default=False)
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="输出 JSON：{title, announced, parts: [{heading, points}]}。")
    ] = False,
) -> None:
    from drafter.mine.outline import outline_speech, parse_speech
    from drafter.read.sources import read_source

    source = read_source(file)
    speech = parse_speech(source)
    if as_json:
        typer.echo(json.dumps(outline_speech(speech).to_json(), ensure_ascii=False, indent=2))
        return
    for line in _outline_lines(speech):
        typer.echo(line)
    if not speech.parts:
        echo_err("提示：没有识别出主体部分（一、/第一，/（一）标题，或“以下X个方面”之后的任务段落）。")


def _marker(part: Part, index: int) -> str:
    from drafter.facts.numerals import to_chinese

    n = part.number or index
    numeral = to_chinese(n) if 0 < n < 100 else str(n)
    return {"一、": f"{numeral}、", "第一，": f"第{numeral}，", "（一）": f"（{numeral}）"}.get(
        part.style or "", f"{index}."
    )


def _outline_lines(speech: Speech) -> list[str]:
    out: list[str] = []
    title = f"{speech.title.text}（第 {speech.title.number} 行）" if speech.title else "（无）"
    out.append(f"标题：{title}")
    announced = (
        f"讲 {speech.announced} 点意见（第 {speech.announce_line} 行）" if speech.announced else "未说明点数"
    )
    out.append(f"宣布：{announced}")
    guesses = [
        f"层级 {speech.level}" if speech.level else "层级未知",
        f"年份 {speech.year}" if speech.year else "年份未知",
    ]
    out.append("推断：" + "，".join(guesses))
    if speech.opening:
        out.append("开场：第 " + "、".join(str(line.number) for line in speech.opening) + " 行")
    for found, label in ((speech.review, "回顾成绩"), (speech.problems, "存在问题")):
        if found is not None:
            out.append(f"{label}：{len(found.items)} 条（第 {found.line} 行）")
    if speech.situation:
        out.append("形势：第 " + "、".join(str(line.number) for line in speech.situation) + " 行")
    style = f"，标题样式“{speech.heading_style}”" if speech.heading_style else "，无标题（任务段落）"
    out.append(f"主体部分：{len(speech.parts)} 个{style if speech.parts else ''}")
    for index, part in enumerate(speech.parts, start=1):
        heading = part.heading if part.heading else "（无标题）" + _first_words(part)
        out.append(f"  {_marker(part, index)}{heading}（第 {part.line} 行）")
        for point in part.points:
            out.append(f"      {point.marker or '·'} {point.title}")
            for sub in point.items:
                out.append(f"          {sub.marker or '·'} {sub.title}")
    if speech.extras:
        out.append("附带事项：第 " + "、".join(str(line.number) for line in speech.extras) + " 行")
    if speech.closing:
        out.append("结尾：第 " + "、".join(str(line.number) for line in speech.closing) + " 行")
    return out


def _first_words(part: Part) -> str:
    text = part.paragraphs[0].text if part.paragraphs else ""
    return _short(text, 30)

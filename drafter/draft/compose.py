"""Draft stage, compose: a skeleton template + phrases chosen from the bank + the context -> Draft.

The only jinja2 importer. Templates render in a SandboxedEnvironment with StrictUndefined; each output
line is one paragraph: ``@title``, ``@byline``, ``@salutation``, ``@h1``, ``@h2``, ``@closing`` or a plain
body line. Phrases carry their entry id in invisible markers, so every paragraph knows its sources.
"""

from __future__ import annotations

import os
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafter.draft.context import Context
from drafter.draft.plan import Choice, Plan
from drafter.draft.select import Selector
from drafter.errors import TemplateError
from drafter.facts.numerals import to_chinese
from drafter.models import Bank, Block, BlockKind, Draft, Skeleton
from drafter.resources import bundled_templates_dir, user_cache_dir

TEMPLATE_SUFFIX = ".j2"
DEFAULT_TEMPLATE = "标准"
_HEADER_RE = re.compile(r"\{#-?\s*drafter:(?P<body>[^#]*)#\}")
_MARK_RE = re.compile("\ue000([^\ue001]*)\ue001")
_LINE_RE = re.compile(r"^@(?P<kind>title|byline|salutation|h1|h2|closing)\s+(?P<text>.*)$")
_KINDS: dict[str, BlockKind] = {
    "title": "title",
    "byline": "byline",
    "salutation": "salutation",
    "h1": "heading1",
    "h2": "heading2",
    "closing": "closing",
}
_LEAD_RE = re.compile(
    r"^((?:[一二三四五六七八九十]+[是要]|（[一二三四五六七八九十]+）|第[一二三四五六七八九十]+，)[^。：；！？]{1,40}[。：；！？])"
)
_ANNOUNCE_RE = re.compile(r"我讲([一二三四五六七八九十]+)点意见")


@dataclass(frozen=True)
class PlannedDraft(Draft):
    """A draft that keeps its plan: each part's topic, points and why they were chosen (for --report)."""

    outline: tuple[dict[str, Any], ...] = field(default=(), compare=False)
    choices: tuple[Choice, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    path: Path
    review: str = "part1"  # part1: the review is the first main part; before: it precedes the parts
    description: str = ""
    options: dict[str, str] = field(default_factory=dict)


def template_dirs(user_dir: Path | None) -> list[Path]:
    dirs = []
    if user_dir is not None:
        if not user_dir.is_dir():
            raise TemplateError(
                "模板文件夹不存在", path=user_dir, hint="--templates 请给出存放 .j2 模板的文件夹。"
            )
        dirs.append(user_dir)
    dirs.append(bundled_templates_dir())
    return dirs


def list_templates(user_dir: Path | None = None) -> list[TemplateInfo]:
    """Templates by name, the user's first (a user template hides a bundled one of the same name)."""
    found: dict[str, TemplateInfo] = {}
    for folder in template_dirs(user_dir):
        for path in sorted(folder.glob(f"*{TEMPLATE_SUFFIX}")):
            name = path.name[: -len(TEMPLATE_SUFFIX)]
            if name.startswith("_") or name in found:
                continue
            found[name] = _read_header(path, name)
    return list(found.values())


def _read_header(path: Path, name: str) -> TemplateInfo:
    try:
        head = path.read_text(encoding="utf-8")[:2000]
    except (OSError, UnicodeDecodeError) as e:
        raise TemplateError(f"无法读取模板：{e}", path=path, hint="模板应当是 UTF-8 文本文件。") from e
    options: dict[str, str] = {}
    match = _HEADER_RE.search(head)
    if match:
        for item in match.group("body").split():
            key, _, value = item.partition("=")
            options[key] = value
    review = options.get("review", "part1")
    if review not in ("part1", "before"):
        raise TemplateError(
            f"模板头 review={review} 无效", path=path, line=1, hint="review 只能是 part1 或 before。"
        )
    return TemplateInfo(
        name=name, path=path, review=review, description=options.get("desc", ""), options=options
    )


def find_template(name: str | None, user_dir: Path | None, *, seed: int = 0) -> TemplateInfo:
    """The named template, or (no name) one of the bundled ones chosen by the seed."""
    templates = list_templates(user_dir)
    if name is None:
        bundled = sorted(t.name for t in list_templates(None))
        wanted = bundled[seed % len(bundled)] if bundled else DEFAULT_TEMPLATE
    else:
        wanted = name
    for info in templates:
        if info.name == wanted:
            return info
    choices = "、".join(t.name for t in templates) or "（无）"
    raise TemplateError(f"找不到模板「{wanted}」", hint=f"可用模板：{choices}。")


def template_for_skeleton(skeleton: Skeleton) -> str:
    """The bundled template closest to a mined shape: 第一，headings; the review before the parts; or 一、."""
    sections = list(skeleton.sections)
    if skeleton.heading_style and skeleton.heading_style.startswith("第"):
        return "第一式"
    review_first = "review" in sections and (
        "part" not in sections or sections.index("review") < sections.index("part")
    )
    if review_first:
        return "分条式"
    return "标准"


def skeleton_sub_style(skeleton: Skeleton) -> str | None:
    """The sub-point style most of its parts use (一要, （一）, 一是), or None."""
    styles = [p.sub_style for p in skeleton.parts if p.sub_style]
    return max(styles, key=styles.count) if styles else None


# --- Jinja ------------------------------------------------------------------------------------


def heading_marker(n: int, style: str = "一、") -> str:
    """1 -> 一、 / 第一， (generated, never copied from a source)."""
    numeral = to_chinese(n)
    return f"第{numeral}，" if style.startswith("第") else f"{numeral}、"


def sub_marker(n: int, style: str = "一要") -> str:
    """1 -> 一要 / 一是 / （一） / 1."""
    numeral = to_chinese(n)
    if style.startswith("（"):
        return f"（{numeral}）"
    if style in ("1.", "1．"):
        return f"{n}．"
    return numeral + (style[-1] if style and style[-1] in "是要" else "是")


def numbered(n: int, style: str, phrase: object) -> str:
    """A sub-point: generated marker + the phrase, without doubling 要 (一要 + 要在… -> 一要在…)."""
    marker = sub_marker(n, style)
    text = str(phrase)
    head = ""
    if text.startswith("\ue000"):
        head, _, text = text.partition("\ue001")
        head += "\ue001"
    if marker.endswith("要") and text.startswith("要"):
        text = text[1:]
    return head + marker + text


_MAX_REPEAT = 100_000  # 'x' * n or [..] * n in a template
_MAX_EXPONENT = 64


def _bounded_sandbox_class() -> Any:
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import SandboxedEnvironment

    class BoundedSandbox(SandboxedEnvironment):  # type: ignore[misc]
        """The sandbox, plus limits on * and ** so a template cannot build a gigabyte string."""

        intercepted_binops = frozenset(["*", "**"])

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "*":
                sizes = [x for x in (left, right) if isinstance(x, int) and not isinstance(x, bool)]
                if any(isinstance(x, str | list | tuple) for x in (left, right)) and any(
                    n > _MAX_REPEAT for n in sizes
                ):
                    raise SecurityError(f"模板中的重复次数过大（超过 {_MAX_REPEAT}）")
            if operator == "**" and isinstance(right, int | float) and abs(right) > _MAX_EXPONENT:
                raise SecurityError(f"模板中的乘方指数过大（超过 {_MAX_EXPONENT}）")
            return super().call_binop(context, operator, left, right)

    return BoundedSandbox


def _bytecode_cache() -> Any:
    """Compiled templates kept in the user's cache folder (keyed by Jinja on name and source checksum)."""
    from jinja2 import FileSystemBytecodeCache

    folder = user_cache_dir("jinja")
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder)) if os.access(folder, os.W_OK) else None


def _environment(dirs: list[Path]) -> Any:
    from jinja2 import FileSystemLoader, StrictUndefined

    env = _bounded_sandbox_class()(
        loader=FileSystemLoader([str(d) for d in dirs], encoding="utf-8"),
        bytecode_cache=_bytecode_cache(),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(cn=to_chinese, heading_marker=heading_marker, sub_marker=sub_marker)
    env.globals.update(heading_marker=heading_marker, sub_marker=sub_marker, cn=to_chinese, numbered=numbered)
    return env


def render_template(info: TemplateInfo, variables: dict[str, Any], dirs: list[Path]) -> str:
    """Render one skeleton template. Raises TemplateError with the template file and line."""
    from jinja2 import TemplateError as JinjaTemplateError
    from jinja2 import TemplateSyntaxError
    from jinja2.exceptions import SecurityError, UndefinedError

    env = _environment(dirs)
    try:
        template = env.get_template(info.path.name)
        return template.render(**variables)
    except TemplateSyntaxError as e:
        raise TemplateError(
            f"模板语法错误：{e.message}",
            path=e.filename or info.path,
            line=e.lineno,
            hint="检查 {% %} 与 {{ }} 是否成对、标签是否闭合。",
        ) from e
    except SecurityError as e:
        raise _runtime_error(
            e, info, "模板试图执行不允许的操作：{}", "模板只能使用 drafter 提供的变量和过滤器。"
        ) from e
    except UndefinedError as e:
        raise _runtime_error(
            e, info, "模板使用了未定义的名称：{}", "可用变量见 README「骨架模板」一节。"
        ) from e
    except (
        JinjaTemplateError,
        TypeError,
        ValueError,
        AttributeError,
        KeyError,
        IndexError,
        ArithmeticError,  # {{ 1/0 }}, range(10**9) in the sandbox
        RecursionError,  # a macro calling itself, a template extending itself
        MemoryError,  # {{ 'x' * 10**12 }}
    ) as e:
        raise _runtime_error(e, info, "模板渲染出错：{}", "请检查模板中的表达式。") from e


def _runtime_error(error: BaseException, info: TemplateInfo, message: str, hint: str) -> TemplateError:
    """A TemplateError at the innermost template frame of the traceback (an imported macro's file too)."""
    path, line = info.path, None
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename and frame.filename.endswith(TEMPLATE_SUFFIX):
            path, line = Path(frame.filename), frame.lineno
    detail = getattr(error, "message", None) or str(error) or type(error).__name__
    return TemplateError(message.format(detail), path=path, line=line, hint=hint)


# --- from rendered text to blocks --------------------------------------------------------------


def parse_rendered(text: str, plan: Plan) -> list[Block]:
    blocks: list[Block] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        ids = tuple(i for i in _MARK_RE.findall(line) if i)
        line = _MARK_RE.sub("", line).strip()
        match = _LINE_RE.match(line)
        kind: BlockKind = _KINDS[match.group("kind")] if match else "body"
        body = match.group("text").strip() if match else line
        if not body:
            continue
        sources = tuple(s for i in ids for s in plan.sources.get(i, ()))
        lead_match = _LEAD_RE.match(body) if kind == "body" else None
        blocks.append(
            Block(
                kind=kind,
                text=body,
                entry_ids=ids,
                sources=sources,  # type: ignore[arg-type]
                lead=lead_match.group(1) if lead_match else "",
            )
        )
    return blocks


def _check_shape(blocks: list[Block], info: TemplateInfo) -> None:
    headings = sum(1 for b in blocks if b.kind == "heading1")
    announced = None
    for block in blocks:
        if m := _ANNOUNCE_RE.search(block.text):
            from drafter.facts.numerals import from_chinese

            announced = from_chinese(m.group(1))
            break
    if announced is not None and headings and announced != headings:
        raise TemplateError(
            f"模板宣布了{to_chinese(announced)}点意见，却生成了 {headings} 个一级标题",
            path=info.path,
            hint="“我讲N点意见”应当用 {{ parts|length|cn }} 这类表达式生成，不要写死。",
        )


# --- the stage --------------------------------------------------------------------------------


def compose_draft(
    context: Context,
    bank: Bank,
    *,
    templates_dir: Path | None = None,
    avoid_texts: tuple[str, ...] = (),
) -> Draft:
    """Choose phrases for the context and render them through a skeleton template.

    Raises TemplateError (bad or unknown template) and ContextError (the bank cannot cover the request).
    """
    dirs = template_dirs(templates_dir)
    skeleton = None
    if context.params.template is None and bank.skeletons:  # follow a real speech's shape
        skeleton = sorted(bank.skeletons, key=lambda s: s.id)[context.seed % len(bank.skeletons)]
        info = find_template(template_for_skeleton(skeleton), templates_dir)
    else:
        info = find_template(context.params.template, templates_dir, seed=context.seed)
    n_task_parts = context.params.points - (1 if info.review == "part1" else 0)
    sub_style = (skeleton_sub_style(skeleton) if skeleton else None) or info.options.get("sub") or "一要"
    selector = Selector(context, bank, avoid_texts=avoid_texts)
    plan = selector.plan(n_task_parts=n_task_parts, fixed_chars=_fixed_chars(context), style=sub_style)
    variables = {
        **context.as_template_vars(),
        **plan.template_vars(),
        "title": context.title,
        "byline": list(context.byline),
        "points": context.params.points,
        "sub_style": sub_style,
        "variant": context.seed % 3,  # which wording of the template's own paragraphs
    }
    blocks = parse_rendered(render_template(info, variables, dirs), plan)
    _check_shape(blocks, info)
    notes = list(plan.notes)
    body_chars = sum(len(b.text) for b in blocks if b.kind not in ("title", "byline"))
    target = context.params.length
    if body_chars < 0.85 * target:
        thin = [p.kind.key for p in plan.parts if len([q for q in p.points if q.id]) < 5]
        lacking = (
            f"；可补充的是{'、'.join(f'“{k}”' for k in thin)}部分的要点"
            if thin
            else "；各部分要点已满 5 条，可在要点中加写本地的具体事例和数据，或补充上年成绩"
        )
        notes.append(
            f"正文约 {body_chars} 字，比目标 {target} 字少约 {target - body_chars} 字："
            f"语料库中切题的段落不够，初稿没有用其他主题的内容凑字数{lacking}。"
            "请补充语料，或调低 --length。"
        )
    elif body_chars > 1.15 * target:
        notes.append(f"正文约 {body_chars} 字，比目标 {target} 字多约 {body_chars - target} 字，请酌情删减。")
    return PlannedDraft(
        title=context.title,
        blocks=tuple(blocks),
        year=context.year,
        locality=context.locality,
        level=context.level,
        notes=tuple(notes),
        outline=tuple(plan.outline()),
        choices=tuple(plan.choices),
    )


def _fixed_chars(context: Context) -> int:
    return len(context.title) + sum(len(b) for b in context.byline)

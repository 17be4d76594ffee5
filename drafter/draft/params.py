"""Draft parameters from a --params YAML file, merged under the command line's values."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from drafter.errors import ContextError, yaml_error_location

# key in the file -> DraftParams field (both spellings accepted)
_ALIASES = {"meeting-no": "meeting_no", "state-council": "state_council"}
EXTRA_KEYS = (
    "bank",
    "templates",
    "avoid",
    "report",
    "output",
    "format",
    "reference_docx",
    "fonts",
    "bold_leads",
)


def _special(path: Path) -> bool:
    """A device, FIFO or socket (reading a FIFO would block)."""
    import stat

    try:
        mode = path.stat().st_mode
    except OSError:
        return False  # missing or unreadable: read_text reports it
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _decoded(data: bytes, path: Path) -> str:
    """The params file's text through the one decoding path every reader uses (UTF-8, GB18030, UTF-16
    with or without BOM …). Raises ContextError."""
    from drafter.errors import SourceError
    from drafter.read.sources import decode_text

    try:
        text, _encoding = decode_text(data, path=path)
    except SourceError as e:
        raise ContextError(
            f"参数文件无法读取：{e.message}", path=path, hint="请用编辑器另存为 UTF-8 编码的 .yaml 文件。"
        ) from e
    return text.removeprefix("\ufeff")


def load_params_file(path: Path, *, allowed: tuple[str, ...]) -> dict[str, Any]:
    """Read a YAML mapping of draft options. Raises ContextError naming the file and line."""
    import yaml

    if _special(Path(path)):
        raise ContextError(
            "参数文件不是普通文件（设备、命名管道或套接字）", path=path, hint="--params 请给出 .yaml 文件。"
        )
    try:
        text = _decoded(Path(path).read_bytes(), Path(path))
    except FileNotFoundError as e:
        raise ContextError("参数文件不存在", path=path, hint="请检查 --params 的路径。") from e
    except IsADirectoryError as e:
        raise ContextError("参数文件路径是一个文件夹", path=path, hint="--params 请给出 .yaml 文件。") from e
    except OSError as e:
        raise ContextError(
            f"无法读取参数文件：{e.strerror or e}",
            path=path,
            hint="请检查 --params 的路径（长度、字符）和权限。",
        ) from e
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        problem, line = yaml_error_location(e)
        raise ContextError(
            f"参数文件 YAML 语法错误：{problem}",
            path=path,
            line=line,
            hint="每行写成「键: 值」，冒号后加空格，例如 year: 2026。",
        ) from e
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ContextError("参数文件应当是「键: 值」的映射", path=path, line=1, hint="例如 year: 2026。")
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = _ALIASES.get(str(key), str(key)).replace("-", "_")
        if name not in allowed:
            raise ContextError(
                f"参数文件中有未知的键「{key}」",
                path=path,
                line=_line_of_key(text, str(key)),
                hint=f"可用的键：{'、'.join(allowed)}。",
            )
        if value is None:  # "province:" with nothing after it: as if not given
            continue
        out[name] = _checked(name, value, path=path, line=_line_of_key(text, str(key)))
    return out


_INT_KEYS = ("year", "meeting_no", "points", "length", "seed")
_LIST_KEYS = ("topics", "bank")
_SCALARS = (str, int, float, datetime.date)
_EXAMPLES = {
    "year": "year: 2026",
    "meeting_no": "meeting_no: 3",
    "points": "points: 4",
    "length": "length: 7000",
    "seed": "seed: 7",
    "locality": "locality: 汉中市",
    "level": "level: 市",
    "province": "province: 陕西省",
    "speaker": "speaker: 张三",
    "date": "date: 2026年3月5日",
    "template": "template: 标准",
    "plenum": "plenum: 二十届中央纪委六次全会",
    "state_council": "state_council: 国务院第五次廉政工作会议",
    "format": "format: docx",
    "output": "output: 初稿.docx",
    "avoid": "avoid: 去年讲话.docx",
    "report": "report: 报告.md",
    "templates": "templates: 我的模板",
    "reference_docx": "reference_docx: 单位模板.docx",
}


def _checked(name: str, value: Any, *, path: Path, line: int | None) -> Any:
    """A value of the right shape for its key (scalars as text). Raises ContextError naming the line."""

    def wrong(what: str, example: str) -> ContextError:
        return ContextError(
            f"参数文件中「{name}」的值应当是{what}", path=path, line=line, hint=f"例如 {example}。"
        )

    if name in _INT_KEYS:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise wrong("整数", _EXAMPLES[name])
        if isinstance(value, str) and not value.strip().removeprefix("-").isdigit():
            raise wrong("整数", _EXAMPLES[name])
        return value
    if name == "bold_leads":
        if not isinstance(value, bool):
            raise wrong(" true 或 false", "bold_leads: true")
        return value
    if name in _LIST_KEYS:
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(item, str | int) and not isinstance(item, bool) for item in items):
            raise wrong(
                "文字或文字的列表",
                f"{name}: [作风建设, 惩治腐败]" if name == "topics" else "bank: 我的语料库",
            )
        return [str(item) for item in items]
    if name == "fonts":
        if isinstance(value, dict) and all(isinstance(v, str | int) for v in value.values()):
            return {str(k): str(v) for k, v in value.items()}
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return value
        raise wrong("「部位: 字体名」的映射", "fonts: {body: 仿宋}")
    if isinstance(value, bool) or not isinstance(value, _SCALARS):
        raise wrong("一段文字", _EXAMPLES.get(name, f"{name}: 文字"))
    if isinstance(value, datetime.date):  # YAML reads an unquoted 2026-03-05 as a date
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def _line_of_key(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith(f"{key}:"):
            return number
    return None

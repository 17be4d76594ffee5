"""Draft parameters from a --params YAML file, merged under the command line's values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from drafter.errors import ContextError

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


def load_params_file(path: Path, *, allowed: tuple[str, ...]) -> dict[str, Any]:
    """Read a YAML mapping of draft options. Raises ContextError naming the file and line."""
    import yaml

    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise ContextError("参数文件不存在", path=path, hint="请检查 --params 的路径。") from e
    except IsADirectoryError as e:
        raise ContextError("参数文件路径是一个文件夹", path=path, hint="--params 请给出 .yaml 文件。") from e
    except UnicodeDecodeError as e:
        raise ContextError("参数文件不是 UTF-8 编码", path=path, hint="请另存为 UTF-8。") from e
    except OSError as e:
        raise ContextError(f"无法读取参数文件：{e.strerror or e}", path=path) from e
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise ContextError(
            f"参数文件 YAML 语法错误：{getattr(e, 'problem', None) or e}",
            path=path,
            line=mark.line + 1 if mark is not None else None,
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
        out[name] = value
    return out


def _line_of_key(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith(f"{key}:"):
            return number
    return None

"""Library API: draft options in (the names of ``drafter draft`` and ``--params``), resolved and
validated once: defaults, formats, output targets, year/locality/level."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafter.draft.context import DEFAULT_LENGTH, DraftParams
from drafter.errors import ContextError, ExportError
from drafter.export.layout import FontConfig
from drafter.fsutil import is_stdout
from drafter.models import LEVELS

FORMATS = ("docx", "md", "txt")
REPORT_FORMATS = {".md": "md", ".json": "json"}
DEFAULT_POINTS = 4


@dataclass(frozen=True)
class DraftOptions:
    """Everything one draft needs, resolved: the draft's parameters plus where it reads and writes."""

    params: DraftParams
    banks: tuple[Path, ...] = ()
    templates: Path | None = None
    avoid: Path | None = None
    output: Path | None = None
    fmt: str = "docx"
    report: Path | None = None
    fonts: FontConfig = field(default_factory=FontConfig)
    reference_docx: Path | None = None
    bold_leads: bool = False


def split_topics(value: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """Topics from "a,b" / "a，b" / "a、b" strings or lists of them, in order."""
    if not value:
        return ()
    items = [value] if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in items:
        for piece in str(item).replace("，", ",").replace("、", ",").split(","):
            if piece.strip():
                out.append(piece.strip())
    return tuple(out)


def parse_fonts(values: list[str] | dict[str, str] | None) -> dict[str, str]:
    """``["body=仿宋", …]`` or a mapping -> {part: font}. Raises ContextError for a malformed item."""
    if not values:
        return {}
    if isinstance(values, dict):
        return {str(k): str(v) for k, v in values.items()}
    fonts = {}
    for item in values:
        key, sep, name = item.partition("=")
        if not sep or not key.strip() or not name.strip():
            raise ContextError(
                f"--font 写法不对：「{item}」", hint="写成 --font 部位=字体名，例如 --font body=仿宋。"
            )
        fonts[key.strip()] = name.strip()
    return fonts


def as_int(name: str, value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as e:
        raise ContextError(f"{name} 应当是整数，而不是「{value}」") from e


def _or_default(value: int | None, default: int) -> int:
    # `value or default` would turn --points 0 / --length 0 into the default instead of an error
    return default if value is None else value


def _path(value: Any) -> Path | None:
    return Path(value) if value not in (None, "") else None


def format_for_output(output: Path | None, fmt: str | None) -> str:
    """The output format: the one asked for, else the output file's extension, else docx."""
    from drafter.export.write import format_for_path

    out_fmt = fmt or (format_for_path(output) if output else None) or "docx"
    if out_fmt not in FORMATS:
        raise ExportError(f"输出格式「{out_fmt}」无效", hint="--format 可选：docx、md、txt。")
    return out_fmt


def resolve_options(values: Mapping[str, Any], *, params_file: Path | None = None) -> DraftOptions:
    """Merge a --params file under ``values`` (None = not given), apply defaults and validate.

    Raises ContextError (missing or malformed values, params file problems) or ExportError (formats).
    """
    from drafter.draft.params import EXTRA_KEYS, load_params_file

    given: dict[str, Any] = {}
    if params_file is not None:
        given.update(load_params_file(params_file, allowed=(*DraftParams.field_names(), *EXTRA_KEYS)))
    given.update({k: v for k, v in values.items() if v is not None and v != []})
    for required, flag in (("year", "--year"), ("locality", "--locality"), ("level", "--level")):
        if given.get(required) in (None, ""):
            raise ContextError(
                f"缺少 {flag}", hint="例如：drafter draft --year 2026 --locality 汉中市 --level 市"
            )
    params = DraftParams(
        year=as_int("year", given["year"]) or 0,
        locality=str(given["locality"]),
        level=str(given["level"]),
        province=given.get("province"),
        meeting_no=as_int("meeting_no", given.get("meeting_no")),
        speaker=given.get("speaker"),
        date=chinese_date(str(given["date"])) if given.get("date") else None,
        points=_or_default(as_int("points", given.get("points")), DEFAULT_POINTS),
        topics=split_topics(given.get("topics")),
        length=_or_default(as_int("length", given.get("length")), DEFAULT_LENGTH),
        seed=as_int("seed", given.get("seed")),
        template=given.get("template"),
        plenum=given.get("plenum"),
        state_council=given.get("state_council"),
    )
    output = _path(given.get("output"))
    report = _path(given.get("report"))
    if report is not None and report.suffix.lower() not in REPORT_FORMATS:
        raise ExportError("报告文件应以 .md 或 .json 结尾", path=report, hint="例如 --report 初稿报告.md。")
    check_output_suffix(output, format_for_output(output, given.get("format")))
    reference = _path(given.get("reference_docx"))
    if reference is not None and _is_special(reference):
        raise ExportError(
            "--reference-docx 不是普通文件", path=reference, hint="请给出单位的 Word 模板文件（.docx）。"
        )
    check_outputs(output, report, given, params_file=params_file)
    fonts_from_file = (
        values.get("fonts") is None and params_file is not None and given.get("fonts") is not None
    )
    fonts = FontConfig.from_mapping(
        parse_fonts(given.get("fonts")), path=params_file if fonts_from_file else None
    )
    check_place(params.locality, params.level, year=params.year)
    return DraftOptions(
        params=params,
        banks=tuple(Path(p) for p in (given.get("bank") or [])),
        templates=_path(given.get("templates")),
        avoid=_path(given.get("avoid")),
        output=output,
        fmt=format_for_output(output, given.get("format")),
        report=report,
        fonts=fonts,
        reference_docx=_path(given.get("reference_docx")),
        bold_leads=bool(given.get("bold_leads")),
    )


_FILE_TYPE_SUFFIX = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,5}")


def check_output_suffix(output: Path | None, fmt: str) -> None:
    """An output name ending in another file type (.pdf, .doc, .wps …), or in another of drafter's
    formats than ``fmt``, is an error before anything is composed. Raises ExportError."""
    if output is None or is_stdout(output):
        return
    from drafter.export.write import check_suffix_matches, format_for_path

    suffix = output.suffix
    check_suffix_matches(output, fmt)
    if suffix and format_for_path(output) is None and _FILE_TYPE_SUFFIX.fullmatch(suffix):
        raise ExportError(
            f"不支持输出为「{suffix}」文件",
            path=output,
            hint="drafter 只输出 .docx、.md、.txt：请把文件名改为以其中之一结尾。"
            + ("需要 PDF 请用 Word 或 WPS 打开 .docx 后另存为 PDF。" if suffix.lower() == ".pdf" else ""),
        )


def _is_special(path: Path) -> bool:
    import stat

    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode)


def check_outputs(
    output: Path | None, report: Path | None, given: Mapping[str, Any], *, params_file: Path | None
) -> None:
    """No two outputs the same file, and no output over one of the command's inputs. Raises ExportError."""
    from drafter.fsutil import check_distinct

    if report is not None and is_stdout(report):
        raise ExportError("--report 不能写到标准输出", hint="请给 --report 一个 .md 或 .json 文件名。")
    check_distinct(
        {"-o/--output": output, "--report": report},
        {
            "--avoid": _path(given.get("avoid")),
            "--reference-docx": _path(given.get("reference_docx")),
            "--params": params_file,
        },
    )


_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


def chinese_date(text: str) -> str:
    """2026-03-05 (or 2026/3/5, 2026.3.5) -> 2026年3月5日; other text as given."""
    m = _ISO_DATE.fullmatch(text.strip())
    return f"{int(m.group(1))}年{int(m.group(2))}月{int(m.group(3))}日" if m else text


def check_place(
    locality: str | None, level: str | None, *, year: int | None = None, command: str = "draft"
) -> None:
    """The shared check of --year / --locality / --level for every command that takes them (draft, lint):
    the year in the supported range, a locality that looks like a place name, and a level that agrees
    with it (a 县 is not a 市). Raises ContextError with a hint."""
    from drafter.draft.context import normalize_locality
    from drafter.models import MAX_YEAR, MIN_YEAR

    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise ContextError(
            f"年份 {year} 超出支持范围", hint=f"--year 可选 {MIN_YEAR}–{MAX_YEAR}（会议召开的年份）。"
        )
    if level is not None and level not in LEVELS:
        raise ContextError(f"层级「{level}」无效", hint="--level 可选：市、县、区。")
    if locality is None:
        return
    normalize_locality(locality, level or "市")  # a place name at all (Chinese, not too long)
    if level is None:
        return
    bare = re.sub(r"\s+", "", locality)
    actual = place_level(bare, level)
    if actual is not None and not actual[0]:
        raise ContextError(
            f"地名「{bare}」是{actual[1]}，不是市、县、区",
            hint="--locality 写讲话所在的市、县或区，例如 汉中市；省份请用 --province。",
        )
    if actual is not None and level not in actual[0]:
        known, what = actual
        raise ContextError(
            f"地名「{bare}」是{what}，与 --level {level} 不一致",
            hint=f"请用 --level {'、'.join(known)}（drafter {command} -l {bare} --level {known[0]}）；"
            f"确实要{level}级的讲话，请把 --locality 改为那个{level}的名称。",
        )


_SUFFIX_LEVEL = {"市": "市", "县": "县", "旗": "县", "区": "区", "州": "市", "盟": "市"}


def place_level(name: str, level: str | None = None) -> tuple[tuple[str, ...], str] | None:
    """The levels (市/县/区) a place name can take, and what it is (县, 县级市 …); None if unknown.

    A name with its suffix (城固县, 韩城市, 汉台区) says it; a bare name (城固) is looked up in the bundled
    gazetteer and accepted for every level one of its namesakes has."""
    if not name:
        return None
    suffix = name[-1]
    if suffix in _SUFFIX_LEVEL and len(name) >= 2:
        if suffix == "州" and not name.endswith("自治州"):
            return None  # 通州, 郑州: a bare name, not necessarily the level it ends with
        kind = {
            "市": "市",
            "县": "县",
            "旗": "旗（县级）",
            "区": "区",
            "州": "自治州（地级）",
            "盟": "盟（地级）",
        }
        return (_SUFFIX_LEVEL[suffix],), kind[suffix]
    from drafter.lint.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    if level is not None and any(
        gazetteer.divisions[code].name == name + level for code in gazetteer.by_name.get(name + level, ())
    ):
        return None  # 吉林 --level 市 is 吉林市, 朝阳 --level 县 is 朝阳县: a real place of that level
    levels: list[str] = []
    names: list[str] = []
    provinces: list[str] = []
    for code in gazetteer.by_name.get(name, ()):
        division = gazetteer.divisions[code]
        if division.level == "province":
            provinces.append(division.name)
            continue
        full = division.name
        found = "市" if division.level == "city" else _SUFFIX_LEVEL.get(full[-1])
        if found is not None and found not in levels:
            levels.append(found)
            names.append(full)
    if not levels:
        return ((), f"省级行政区（{provinces[0]}）") if provinces else None
    return tuple(levels), "、".join(names) + "的简称"


def default_output_name(locality: str, year: int, fmt: str) -> str:
    return f"{locality}{year}年政府廉政工作会议讲话（初稿）.{fmt}"

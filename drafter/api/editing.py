"""Library API for the web page: a draft as JSON, edited paragraph by paragraph (stateless):
locked redrafts, renumbering, alternatives for one paragraph, export of the edited draft."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from drafter.api.drafting import make_draft
from drafter.api.options import FORMATS, DraftOptions, default_output_name, resolve_options
from drafter.draft.context import DraftParams
from drafter.errors import ContextError, ExportError
from drafter.export.layout import FontConfig
from drafter.models import LEVELS, Bank, Block, Draft, Entry

# --- the web page's calls: a draft as JSON, edited paragraph by paragraph (stateless) ----------------

# Keys a client may send as draft parameters: the draft's own values, never paths (bank, templates,
# avoid, output, report, reference_docx stay with whoever starts the server).
WEB_PARAM_KEYS = (*DraftParams.field_names(), "fonts", "bold_leads")
BLOCK_KINDS = ("title", "byline", "salutation", "heading1", "heading2", "heading3", "body", "closing")
MAX_BLOCKS = 600
MAX_BLOCK_CHARS = 20_000
MIN_ALTERNATIVES, MAX_ALTERNATIVES = 3, 5
_PLACEHOLDER_RE = re.compile(r"【[^【】]{0,20}】")
_CN = "一二三四五六七八九十"
# A generated number at the start of a paragraph: 一、 第一， （一） 一是 一要 1．
_MARKER_RE = re.compile(rf"^(?:第[{_CN}]+，|[{_CN}]+[、是要]|（[{_CN}]+）|\d+[.．])")
_ANNOUNCE_WEB_RE = re.compile(rf"我讲[{_CN}]+点意见")


def web_options(
    params: Mapping[str, Any], *, banks: tuple[Path, ...] = (), templates: Path | None = None
) -> DraftOptions:
    """Draft options from a web request's parameters, resolved like ``drafter draft``; the bank and
    template folders are the server's. Raises ContextError for unknown keys or bad values."""
    if not isinstance(params, Mapping):
        raise ContextError(
            "参数应当是一个对象（键值对）", hint='例如 {"year": 2026, "locality": "汉中市", "level": "市"}。'
        )
    unknown = sorted(str(k) for k in params if k not in WEB_PARAM_KEYS)
    if unknown:
        raise ContextError(f"未知参数：{'、'.join(unknown)}", hint=f"可用参数：{'、'.join(WEB_PARAM_KEYS)}。")
    values = {k: (None if v == "" else v) for k, v in params.items()}
    for key, name in (("year", "年份"), ("locality", "地名"), ("level", "层级")):
        if values.get(key) is None:
            raise ContextError(
                f"缺少{name}（{key}）", hint="年份、地名和层级必须填写，例如 2026、汉中市、市。"
            )
    for key in ("locality", "level", "province", "speaker", "date", "template", "plenum", "state_council"):
        if values.get(key) is not None and not isinstance(values[key], str):
            raise ContextError(f"{key} 应当是文字", hint="请检查这一项的写法。")
    for key in ("year", "meeting_no", "points", "length", "seed"):
        value = values.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | str)):
            raise ContextError(f"{key} 应当是整数，而不是「{value}」", hint="请检查这一项的写法。")
    topics = values.get("topics")
    if topics is not None and not (
        isinstance(topics, str) or (isinstance(topics, list) and all(isinstance(t, str) for t in topics))
    ):
        raise ContextError("topics 应当是主题名称的列表", hint='例如 ["作风建设", "审计监督"]。')
    fonts = values.get("fonts")
    if fonts is not None and not (
        (isinstance(fonts, dict) and all(isinstance(v, str) for v in fonts.values()))
        or (isinstance(fonts, list) and all(isinstance(v, str) for v in fonts))
    ):
        raise ContextError("fonts 写法不对", hint='例如 {"body": "仿宋"}。')
    if values.get("bold_leads") is not None and not isinstance(values["bold_leads"], bool):
        raise ContextError("bold_leads 应当是 true 或 false", hint='例如 "bold_leads": true。')
    if values.get("level") is not None and values["level"] not in LEVELS:
        raise ContextError(f"层级「{values['level']}」无效", hint="层级可选：市、县、区。")
    options = resolve_options(values)
    return replace(options, banks=tuple(banks), templates=templates, output=None, report=None)


def _block_json(block: Block, bank_ids: Mapping[str, Entry], locked: bool = False) -> dict[str, Any]:
    first = bank_ids.get(block.entry_ids[0]) if block.entry_ids else None
    return {
        "kind": block.kind,
        "text": block.text,
        "lead": block.lead,
        "entry_ids": list(block.entry_ids),
        "sources": list(block.sources),
        "placeholders": _PLACEHOLDER_RE.findall(block.text),
        "role": first.role if first else None,
        "topics": list(first.topics) if first else [],
        "notes": [e.note for i in block.entry_ids if (e := bank_ids.get(i)) is not None and e.note],
        "locked": locked,
    }


def draft_to_json(
    draft: Draft, options: DraftOptions, *, bank: Bank | None = None, locked: set[int] | None = None
) -> dict[str, Any]:
    """The draft as JSON: its parameters (seed filled in, so it can be redrafted) and its blocks."""
    from drafter.draft.context import build_context

    context = build_context(options.params)
    params = {
        name: getattr(options.params, name)
        for name in DraftParams.field_names()
        if getattr(options.params, name) not in (None, ())
    }
    params["topics"] = list(options.params.topics)
    params["seed"] = context.seed
    if options.bold_leads:
        params["bold_leads"] = True
    fonts = {k: v for k, v in vars(options.fonts).items() if v != getattr(FontConfig(), k)}
    if fonts:
        params["fonts"] = fonts
    ids = bank.by_id() if bank is not None else {}
    return {
        "params": params,
        "title": draft.title,
        "year": draft.year,
        "locality": draft.locality,
        "level": draft.level,
        "notes": list(draft.notes),
        "blocks": [_block_json(b, ids, i in (locked or set())) for i, b in enumerate(draft.blocks)],
        "chars": sum(len(b.text) for b in draft.blocks if b.kind not in ("title", "byline")),
    }


def _str_list(value: Any, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ContextError(f"{what} 应当是文字列表", hint="请把草稿原样发回，不要改动它的结构。")
    return tuple(value)


def blocks_from_json(data: Any) -> list[tuple[Block, bool]]:
    """Blocks (and whether each is locked) from a draft's JSON. Raises ContextError for a bad shape."""
    if not isinstance(data, list) or not data:
        raise ContextError("草稿中没有段落（blocks）", hint="请先生成初稿，再把草稿 JSON 原样发回。")
    if len(data) > MAX_BLOCKS:
        raise ContextError(f"草稿段落过多（{len(data)} 段）", hint=f"一篇讲话不超过 {MAX_BLOCKS} 段。")
    out = []
    for n, item in enumerate(data, start=1):
        if not isinstance(item, Mapping):
            raise ContextError(f"第 {n} 段应当是一个对象", hint='每段写成 {"kind": "body", "text": "…"}。')
        kind, text = item.get("kind"), item.get("text")
        if kind not in BLOCK_KINDS:
            raise ContextError(f"第 {n} 段的类型「{kind}」无效", hint=f"可选：{'、'.join(BLOCK_KINDS)}。")
        if not isinstance(text, str) or len(text) > MAX_BLOCK_CHARS:
            raise ContextError(
                f"第 {n} 段的文字缺失或过长", hint=f"每段是不超过 {MAX_BLOCK_CHARS} 字的文字。"
            )
        lead = item.get("lead") or ""
        if not isinstance(lead, str) or not text.startswith(lead):
            lead = ""  # the lead no longer opens the edited text: drop it rather than bold the wrong run
        block = Block(
            kind=kind,
            text=text,
            entry_ids=_str_list(item.get("entry_ids"), f"第 {n} 段的 entry_ids"),
            sources=_str_list(item.get("sources"), f"第 {n} 段的 sources"),
            lead=lead,
        )
        out.append((block, bool(item.get("locked"))))
    return out


def draft_from_json(
    data: Any, *, banks: tuple[Path, ...] = (), templates: Path | None = None
) -> tuple[Draft, DraftOptions, set[int]]:
    """A draft edited in the page, back from its JSON: the Draft, its options and the locked indexes.
    Raises ContextError for a malformed draft or bad parameters."""
    if not isinstance(data, Mapping):
        raise ContextError("草稿应当是一个 JSON 对象", hint="请把 /api/draft 返回的草稿原样发回。")
    options = web_options(data.get("params") or {}, banks=banks, templates=templates)
    pairs = blocks_from_json(data.get("blocks"))
    blocks = tuple(b for b, _ in pairs)
    title = next((b.text for b in blocks if b.kind == "title"), str(data.get("title") or ""))
    notes = _str_list(data.get("notes"), "notes")
    p = options.params
    draft = Draft(title=title, blocks=blocks, year=p.year, locality=p.locality, level=p.level, notes=notes)
    return draft, options, {i for i, (_, locked) in enumerate(pairs) if locked}


def web_draft(
    params: Mapping[str, Any],
    *,
    locked: Any = None,
    banks: tuple[Path, ...] = (),
    templates: Path | None = None,
) -> dict[str, Any]:
    """A new draft as JSON. ``locked``: the previous draft's JSON; its locked blocks are kept in their
    places and their entries are not used again. Raises UserError subclasses."""
    from drafter.bank import load_bank

    options = web_options(params, banks=banks, templates=templates)
    bank = load_bank(user_dirs=list(options.banks))
    roles = {e.id: e.role for e in bank.entries}
    kept: list[tuple[Anchor, Block]] = []
    if locked is not None:
        if not isinstance(locked, list):
            raise ContextError("locked 应当是段落列表", hint="把要保留的段落（含 locked: true）原样发回。")
        pairs = blocks_from_json(locked) if locked else []
        anchors = _anchors([b for b, _ in pairs], roles)
        kept = [(anchors[i], b) for i, (b, is_locked) in enumerate(pairs) if is_locked]
    source_bank = _without_kept(bank, [b for _, b in kept], options) if kept else bank
    draft = make_draft(options, bank=source_bank)
    blocks, locked_at = _put_back(list(draft.blocks), kept, roles)
    draft = replace(draft, blocks=tuple(renumber_blocks(blocks)))
    return draft_to_json(draft, options, bank=bank, locked=locked_at)


def _without_kept(bank: Bank, kept: list[Block], options: DraftOptions) -> Bank:
    """The bank without the kept blocks' entries, nor any entry repeating one of their sentences."""
    from drafter.draft.context import build_context
    from drafter.facts.vocab import render_slots

    used = {i for b in kept for i in b.entry_ids}
    said = {s for b in kept for s in _sentences(b.text)}
    slots = build_context(options.params).slots
    entries = tuple(
        e for e in bank.entries if e.id not in used and not (said & _sentences(render_slots(e.text, slots)))
    )
    return replace(bank, entries=entries)


_REVIEW_ROLES = frozenset({"review_intro", "review_item", "problem_intro", "problem_item", "situation"})
_TASK_ROLES = frozenset({"heading", "part_lead", "point", "quote"})
Anchor = tuple[str, str, int]


def _anchors(blocks: list[Block], roles: Mapping[str, str]) -> list[Anchor]:
    """Each block's place, the same whichever template shaped the draft: (group, slot, ordinal).
    Review and problem items, the opening and the closing are placed by role (the 3rd 问题 stays the
    3rd 问题); headings, leads and points by task part (the 2nd point of the 1st task part); template
    text by kind."""
    role_of = [next((roles[i] for i in b.entry_ids if i in roles), None) for b in blocks]
    review_sections: set[int] = set()
    section = 0
    for block, role in zip(blocks, role_of, strict=True):
        section += block.kind == "heading1"
        if role in _REVIEW_ROLES:
            review_sections.add(section)
    out: list[Anchor] = []
    seen: dict[tuple[str, str], int] = {}
    section = task = 0
    for block, role in zip(blocks, role_of, strict=True):
        if block.kind == "heading1":
            section += 1
            task += section not in review_sections
        if role in _TASK_ROLES and section in review_sections:
            key = ("review", role or "")
        elif role in _TASK_ROLES:
            key = (f"part{task}", role or "")
        elif role is not None:
            key = ("role", role)
        else:
            key = ("template", block.kind)
        out.append((*key, seen.get(key, 0)))
        seen[key] = seen.get(key, 0) + 1
    return out


def _put_back(
    blocks: list[Block], kept: list[tuple[Anchor, Block]], roles: Mapping[str, str]
) -> tuple[list[Block], set[int]]:
    """Put each kept block where its anchor points in the new draft (taking the new block's number);
    when the new draft has no such place, after the last block of the same kind of place (the last
    problem item, the last point of that part), else before the closing. Returns the blocks and the
    kept blocks' indexes."""
    result = list(blocks)
    kept_ids: set[int] = set()
    extra: list[tuple[Anchor, Block]] = []
    positions = {a: i for i, a in enumerate(_anchors(blocks, roles))}
    for anchor, block in kept:
        i = positions.get(anchor)
        if i is not None and id(result[i]) not in kept_ids:
            result[i] = _with_marker(block, _marker(result[i].text))
            kept_ids.add(id(result[i]))
        else:
            extra.append((anchor, block))
    for anchor, block in extra:
        anchors = _anchors(result, roles)
        same_slot = [i for i, a in enumerate(anchors) if a[:2] == anchor[:2]]
        same_group = [i for i, a in enumerate(anchors) if a[0] == anchor[0] and anchor[0] != "role"]
        not_closing = [i for i, b in enumerate(result) if b.kind != "closing"]
        end = (same_slot or same_group or not_closing or [len(result) - 1])[-1]
        result.insert(end + 1, block)
        kept_ids.add(id(block))
    return result, {i for i, b in enumerate(result) if id(b) in kept_ids}


def _marker(text: str) -> str:
    m = _MARKER_RE.match(text)
    return m.group(0) if m else ""


def _body(text: str) -> str:
    return text[len(_marker(text)) :]


def _with_marker(block: Block, marker: str) -> Block:
    """The block numbered with ``marker`` (its own number dropped); unchanged when either has none."""
    own = _marker(block.text)
    if not marker or not own:
        return block
    body = block.text[len(own) :]
    if marker.endswith("要") and body.startswith("要"):
        body = body[1:]
    lead = block.lead
    if lead.startswith(own):
        lead = marker + lead[len(own) :]
    return replace(block, text=marker + body, lead=lead if (marker + body).startswith(lead) else "")


def _cn_number(n: int) -> str:
    from drafter.facts.numerals import to_chinese

    return to_chinese(n)


def _marker_style(marker: str) -> str:
    if marker.startswith("第"):
        return "第，"
    if marker.startswith("（"):
        return "（）"
    if marker[:1].isdigit():
        return "1."
    return marker[-1]  # 、 是 要


def _numbered_marker(style: str, n: int) -> str:
    numeral = _cn_number(n)
    if style == "第，":
        return f"第{numeral}，"
    if style == "（）":
        return f"（{numeral}）"
    if style == "1.":
        return f"{n}．"
    return numeral + style


def renumber_blocks(blocks: list[Block]) -> list[Block]:
    """After paragraphs were deleted, moved or swapped: the parts numbered 一、二、… in order, the points
    of each run numbered from 一 again, and "我讲N点意见" matching the parts."""
    out: list[Block] = []
    heading_no = 0
    run_style: str | None = None
    run_no = 0
    for block in blocks:
        marker = _marker(block.text)
        if block.kind == "heading1":
            run_style, run_no = None, 0
            if marker:
                heading_no += 1
                block = _with_marker(block, _numbered_marker(_marker_style(marker), heading_no))
        elif block.kind == "body" and marker and _marker_style(marker) not in ("、", "第，"):
            style = _marker_style(marker)
            run_no = run_no + 1 if style == run_style else 1
            run_style = style
            block = _with_marker(block, _numbered_marker(style, run_no))
        else:  # an unnumbered paragraph ends a run of points
            run_style, run_no = None, 0
        out.append(block)
    headings = sum(1 for b in out if b.kind == "heading1" and _marker(b.text))
    if headings:
        said = f"我讲{_cn_number(headings)}点意见"
        out = [
            replace(b, text=_ANNOUNCE_WEB_RE.sub(said, b.text)) if _ANNOUNCE_WEB_RE.search(b.text) else b
            for b in out
        ]
    return out


def web_renumber(data: Any, *, banks: tuple[Path, ...] = (), templates: Path | None = None) -> dict[str, Any]:
    """The edited draft with its numbers put right (after 删除). Raises ContextError."""
    from drafter.bank import load_bank

    draft, options, locked = draft_from_json(data, banks=banks, templates=templates)
    blocks = renumber_blocks(list(draft.blocks))
    bank = load_bank(user_dirs=list(options.banks))
    return draft_to_json(replace(draft, blocks=tuple(blocks)), options, bank=bank, locked=locked)


def alternatives(
    data: Any, index: Any, *, banks: tuple[Path, ...] = (), templates: Path | None = None
) -> list[dict[str, Any]]:
    """Up to five other bank entries for paragraph ``index`` of a draft: the same role, on the same
    topic (subject when the facts know subjects), valid for the year and level, not already in the
    draft and repeating none of its sentences; each as a ready block numbered like the paragraph it
    would replace. When fewer than three share the topic, entries of the same role on other topics
    make up three (``same_topic``: false). Raises ContextError."""
    from drafter.bank import load_bank
    from drafter.draft.context import build_context
    from drafter.facts.calendar import stale_phrases
    from drafter.facts.vocab import SLOT_RE, render_slots

    draft, options, _ = draft_from_json(data, banks=banks, templates=templates)
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(draft.blocks):
        raise ContextError(f"段落序号「{index}」无效", hint=f"index 是 0 到 {len(draft.blocks) - 1} 的整数。")
    block = draft.blocks[index]
    bank = load_bank(user_dirs=list(options.banks))
    by_id = bank.by_id()
    current = next((by_id[i] for i in block.entry_ids if i in by_id), None)
    if current is None:
        raise ContextError(
            "这一段不是从语料库选来的，没有可替换的段落",
            hint="由模板生成的段落（称呼、形势过渡语等）可以删除，或下载后在 Word 中修改。",
        )
    context = build_context(options.params)
    in_draft = {i for b in draft.blocks for i in b.entry_ids}
    texts = {_body(b.text) for b in draft.blocks}
    said = {s for b in draft.blocks for s in _sentences(b.text)}  # no sentence twice in the draft
    topic = current.topics[0] if current.topics else None
    subjects = _entry_subjects(current)
    found = []
    for entry in bank.entries:
        if entry.role != current.role or entry.id in in_draft:
            continue
        if not entry.suits(year=context.year, level=context.level):
            continue
        text = render_slots(entry.text, context.slots).replace("\ue000", "").replace("\ue001", "")
        if SLOT_RE.search(text) or stale_phrases(text, context.year) or text in texts:
            continue
        if said & _sentences(text):
            continue
        same_subject = bool(subjects & _entry_subjects(entry))
        same_primary = topic is not None and entry.topics[:1] == (topic,)
        shares = bool(set(current.topics) & set(entry.topics)) or not current.topics
        on_topic = same_subject or same_primary or shares
        same_style = entry.style == current.style
        key = (not on_topic, not same_subject, not same_primary, not same_style)
        found.append(((*key, _stable_noise(entry.id, context.seed)), entry, text))
    found.sort(key=lambda item: item[0])
    # Same topic first; other topics of the same role only to make up the three a writer can choose from.
    on_topic_count = sum(1 for rank, _, _ in found if not rank[0])
    found = found[: max(on_topic_count, MIN_ALTERNATIVES)][:MAX_ALTERNATIVES]
    marker = _marker(block.text)
    out = []
    for rank, entry, text in found:
        if marker:
            body = text[1:] if marker.endswith("要") and text.startswith("要") else text
            new_text = marker + body
        else:
            new_text = text
        lead = _lead_of(new_text) if block.kind == "body" else ""
        new = Block(kind=block.kind, text=new_text, entry_ids=(entry.id,), sources=entry.source, lead=lead)
        out.append({**_block_json(new, by_id), "same_topic": not rank[0]})
    return out


def _sentences(text: str) -> set[str]:
    from drafter.read.sentences import split_sentences

    strip = " \u3000“”‘’\"'"
    return {
        "".join(ch for ch in s if ch not in strip).rstrip("。！？；：，")
        for s in split_sentences(_body(text))
        if len(s) >= 8
    }


def _entry_subjects(entry: Entry) -> set[str]:
    """The entry's subjects (below topics) when the facts know them; empty otherwise."""
    try:
        from drafter.facts import subjects as subjects_module  # type: ignore[attr-defined]
    except ImportError:
        return set()
    finder = getattr(subjects_module, "entry_subjects", None)
    if finder is None:
        return set()
    try:
        return set(finder(entry))
    except TypeError:
        return set()


def _stable_noise(entry_id: str, seed: int) -> int:
    import zlib

    return zlib.crc32(f"{seed}:{entry_id}".encode())


def _lead_of(text: str) -> str:
    m = re.match(rf"^((?:[{_CN}]+[是要]|（[{_CN}]+）|第[{_CN}]+，)[^。：；！？]{{1,40}}[。：；！？])", text)
    return m.group(1) if m else ""


def web_export(
    data: Any, fmt: Any, *, banks: tuple[Path, ...] = (), templates: Path | None = None
) -> tuple[str, bytes]:
    """The edited draft as a file: (download name, bytes). Raises ContextError / ExportError."""
    from drafter.export.write import draft_bytes

    if fmt not in FORMATS:
        raise ExportError(f"输出格式「{fmt}」无效", hint="format 可选：docx、md、txt。")
    draft, options, _ = draft_from_json(data, banks=banks, templates=templates)
    content = draft_bytes(draft, fmt, fonts=options.fonts, bold_leads=options.bold_leads)
    return default_output_name(draft.locality, draft.year, fmt), content

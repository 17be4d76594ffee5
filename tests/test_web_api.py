"""The JSON API of `drafter serve`, through Flask's test client: every endpoint, good and bad input;
plus the `drafter serve` process itself (URL, warning, Ctrl-C) and the lazy import of the framework."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import docx
import pytest
from typer.testing import CliRunner

from drafter import api
from drafter.cli import app as cli_app
from drafter.export.write import render_text
from drafter.resources import bundled_bank_dir
from drafter.web import create_app

PARAMS = {"year": "2026", "locality": "汉中市", "level": "市", "seed": "7"}
PLANTED = (
    "在2026年汉中市人民政府廉政工作会议上的讲话\n"
    "今天，我们召开会议，深入学习贯彻二十届中央纪委四次全会精神。\n"
    "下面，我讲三点意见。\n"
    "一、提高政治站位\n"
    "二、强化作风建设\n"
    "三、严格监督执纪\n"
)


@pytest.fixture
def client() -> Any:
    return create_app().test_client()


def get_draft(client: Any, **extra: str) -> dict[str, Any]:
    resp = client.get("/api/draft", query_string={**PARAMS, **extra})
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def assert_chinese_error(resp: Any, status: int, *words: str) -> dict[str, Any]:
    assert resp.status_code == status
    body = resp.get_json()
    assert set(body) == {"error", "hint"}
    assert re.search(r"[\u4e00-\u9fff]", body["error"])
    assert "Traceback" not in resp.get_data(as_text=True)
    for word in words:
        assert word in body["error"] + body["hint"]
    return body


def upload(client: Any, name: str, content: bytes, **fields: str) -> Any:
    """POST /api/lint with a file, the multipart body built in memory (the test client would spool a
    large body to a temporary file it never closes)."""
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    values: dict[str, Any] = {"file": FileStorage(io.BytesIO(content), filename=name), **fields}
    boundary, body = encode_multipart(values)
    return client.post("/api/lint", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def numbered_point(draft: dict[str, Any]) -> int:
    """Index of a numbered point taken from the bank (（一）/一要/一是 …)."""
    for i, b in enumerate(draft["blocks"]):
        if (
            b["kind"] == "body"
            and b["role"] == "point"
            and re.match(r"^(（[一二三四五六七]）|[一二三四五六七][是要])", b["text"])
        ):
            return i
    raise AssertionError("no numbered point in the draft")


# --- page and meta ------------------------------------------------------------------------------


def test_page_and_its_assets_are_served_offline(client: Any) -> None:
    with client.get("/") as resp:
        page = resp.get_data(as_text=True)
    assert "生成初稿" in page and "语料库" in page and "检查" in page
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert len(assets) == 2
    for asset in assets:
        with client.get(asset) as resp:
            assert resp.status_code == 200
            text = resp.get_data(as_text=True)
        assert "http://" not in text and "https://" not in text  # offline: no CDN
    assert_chinese_error(client.get("/static/../api.py"), 404)
    assert_chinese_error(client.get("/static/%2e%2e/api.py"), 404)


def test_meta_lists_topics_templates_and_roles(client: Any) -> None:
    meta = client.get("/api/meta").get_json()
    assert "作风建设" in meta["topics"] and "point" in meta["roles"]
    assert {"标准", "第一式"} <= {t["name"] for t in meta["templates"]}
    assert meta["levels"] == ["市", "县", "区"]


# --- draft --------------------------------------------------------------------------------------


def test_draft_is_the_cli_draft_with_sources_and_placeholders(client: Any) -> None:
    data = get_draft(client)
    options = api.resolve_options({"year": 2026, "locality": "汉中市", "level": "市", "seed": 7})
    cli_draft = api.make_draft(options)
    assert [b["text"] for b in data["blocks"]] == [b.text for b in cli_draft.blocks]
    assert data["params"]["seed"] == 7 and data["title"] == cli_draft.title
    from_bank = [b for b in data["blocks"] if b["entry_ids"]]
    assert from_bank and all(re.search(r"\.txt:\d+$", b["sources"][0]) for b in from_bank)
    assert all(b["role"] for b in from_bank)
    byline = [b for b in data["blocks"] if b["kind"] == "byline"]
    assert any("【姓名】" in b["placeholders"] for b in byline)
    # stateless: the JSON alone rebuilds the same draft
    draft, _, locked = api.draft_from_json(data)
    assert render_text(draft, "txt") == render_text(cli_draft, "txt") and locked == set()


def test_draft_without_seed_reports_the_seed_it_used(client: Any) -> None:
    params = {k: v for k, v in PARAMS.items() if k != "seed"}
    first = client.get("/api/draft", query_string=params).get_json()
    again = get_draft(client, seed=str(first["params"]["seed"]))
    assert [b["text"] for b in first["blocks"]] == [b["text"] for b in again["blocks"]]


def test_draft_topics_are_honoured(client: Any) -> None:
    data = client.get("/api/draft", query_string={**PARAMS, "topics": ["审计监督", "作风建设"]}).get_json()
    assert data["params"]["topics"] == ["审计监督", "作风建设"]
    topics = {t for b in data["blocks"] if b["role"] == "point" for t in b["topics"]}
    assert {"审计监督", "作风建设"} <= topics


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ({"year": "2026", "level": "市"}, ["地名"]),
        ({**PARAMS, "year": "明年"}, ["整数"]),
        ({**PARAMS, "level": "州"}, ["层级"]),
        ({**PARAMS, "year": "1999"}, []),
        ({**PARAMS, "points": "9"}, []),
        ({**PARAMS, "topics": "不存在的主题"}, []),
        ({**PARAMS, "template": "../../etc/passwd"}, ["模板"]),
        ({**PARAMS, "bank": "/etc"}, ["未知参数"]),
        ({**PARAMS, "output": "/tmp/x.docx"}, ["未知参数"]),
        ({**PARAMS, "templates": "/tmp"}, ["未知参数"]),
        ({**PARAMS, "avoid": "/etc/passwd"}, ["未知参数"]),
        ({**PARAMS, "reference_docx": "/etc/passwd"}, ["未知参数"]),
    ],
)
def test_bad_draft_parameters_are_chinese_400s(client: Any, query: dict[str, str], words: list[str]) -> None:
    assert_chinese_error(client.get("/api/draft", query_string=query), 400, *words)


def test_draft_post_rejects_malformed_bodies(client: Any) -> None:
    assert_chinese_error(
        client.post("/api/draft", data="不是 JSON", content_type="application/json"), 400, "JSON"
    )
    assert_chinese_error(client.post("/api/draft", json=[1, 2]), 400)
    assert_chinese_error(client.post("/api/draft", json={"params": "year=2026"}), 400)
    assert_chinese_error(client.post("/api/draft", json={"params": PARAMS, "locked": "全部"}), 400)
    assert_chinese_error(
        client.post("/api/draft", json={"params": PARAMS, "locked": [{"kind": "poem", "text": "x"}]}),
        400,
        "类型",
    )


# --- alternatives, locking, deleting ------------------------------------------------------------


def test_alternatives_have_the_same_role_and_topic_and_are_new(client: Any) -> None:
    data = get_draft(client)
    i = numbered_point(data)
    block = data["blocks"][i]
    resp = client.post("/api/alternatives", json={"draft": data, "index": i})
    found = resp.get_json()["alternatives"]
    assert 3 <= len(found) <= 5
    in_draft = {e for b in data["blocks"] for e in b["entry_ids"]}
    marker = re.match(r"^(（[一二三四五六七]）|[一二三四五六七][是要])", block["text"]).group(1)
    for alt in found:
        assert alt["role"] == "point" and alt["kind"] == "body" and alt["same_topic"]
        assert set(alt["topics"]) & set(block["topics"])
        assert not set(alt["entry_ids"]) & in_draft
        assert alt["text"].startswith(marker) and alt["sources"]
        assert "{" not in alt["text"]  # level slots rendered
    assert len({a["text"] for a in found}) == len(found)


def test_too_few_on_topic_are_made_up_from_the_same_role(client: Any) -> None:
    data = get_draft(client)
    seen_fallback = False
    for i, block in enumerate(data["blocks"]):
        if not block["entry_ids"]:
            continue
        found = client.post("/api/alternatives", json={"draft": data, "index": i}).get_json()["alternatives"]
        flags = [a["same_topic"] for a in found]
        assert flags == sorted(flags, reverse=True)  # on-topic ones first
        assert all(a["role"] == block["role"] for a in found)
        if False in flags:
            seen_fallback = True
            assert len(found) <= 3 and flags.count(True) < 3
            others = [a for a in found if not a["same_topic"]]
            assert all(not set(a["topics"]) & set(block["topics"]) for a in others if block["topics"])
    assert seen_fallback


def test_heading_alternatives_are_headings(client: Any) -> None:
    data = get_draft(client)
    i = next(i for i, b in enumerate(data["blocks"]) if b["kind"] == "heading1" and b["entry_ids"])
    found = client.post("/api/alternatives", json={"draft": data, "index": i}).get_json()["alternatives"]
    assert found and all(a["role"] == "heading" and a["kind"] == "heading1" for a in found)
    assert all(a["text"][:2] == data["blocks"][i]["text"][:2] for a in found)  # keeps 二、


def test_alternatives_bad_requests(client: Any) -> None:
    data = get_draft(client)
    template_made = next(
        i for i, b in enumerate(data["blocks"]) if not b["entry_ids"] and b["kind"] == "salutation"
    )
    assert_chinese_error(
        client.post("/api/alternatives", json={"draft": data, "index": template_made}), 400, "模板"
    )
    assert_chinese_error(client.post("/api/alternatives", json={"draft": data, "index": 999}), 400, "序号")
    assert_chinese_error(client.post("/api/alternatives", json={"draft": data, "index": "3"}), 400)
    assert_chinese_error(client.post("/api/alternatives", json={"draft": {"blocks": []}, "index": 0}), 400)
    assert_chinese_error(client.post("/api/alternatives", json={"draft": "x", "index": 0}), 400)
    assert_chinese_error(client.get("/api/alternatives"), 405)


def test_locked_paragraphs_survive_a_redraft_with_another_seed(client: Any) -> None:
    data = get_draft(client)
    i = numbered_point(data)
    # swap it first, as a writer would, then lock the chosen one
    alt = client.post("/api/alternatives", json={"draft": data, "index": i}).get_json()["alternatives"][0]
    data["blocks"][i] = {**alt, "locked": True}
    heading = next(j for j, b in enumerate(data["blocks"]) if b["kind"] == "heading1" and b["entry_ids"])
    data["blocks"][heading]["locked"] = True
    new_params = {**data["params"], "seed": 99}
    resp = client.post("/api/draft", json={"params": new_params, "locked": data["blocks"]})
    new = resp.get_json()
    plain = get_draft(client, seed="99")
    assert new["params"]["seed"] == 99
    locked = [b for b in new["blocks"] if b["locked"]]
    assert len(locked) == 2
    body = re.sub(r"^(（[一二三四五六七]）|[一二三四五六七][是要])", "", alt["text"])
    assert any(b["entry_ids"] == alt["entry_ids"] and b["text"].endswith(body) for b in locked)
    ids = [e for b in new["blocks"] for e in b["entry_ids"]]
    assert len(ids) == len(set(ids))  # the locked entries are not used twice
    assert [b["text"] for b in new["blocks"]] != [b["text"] for b in plain["blocks"]]
    kept = next(j for j, b in enumerate(new["blocks"]) if b["entry_ids"] == alt["entry_ids"])
    part_of = lambda blocks, k: sum(1 for b in blocks[:k] if b["kind"] == "heading1")  # noqa: E731
    assert part_of(new["blocks"], kept) == part_of(data["blocks"], i)


def test_deleting_renumbers_points_parts_and_the_announcement(client: Any) -> None:
    data = get_draft(client)
    first_heading = next(j for j, b in enumerate(data["blocks"]) if b["kind"] == "heading1")
    end = next(j for j, b in enumerate(data["blocks"]) if j > first_heading and b["kind"] == "heading1")
    del data["blocks"][first_heading:end]  # a whole part goes
    i = numbered_point(data)
    del data["blocks"][i]
    fixed = client.post("/api/renumber", json=data).get_json()
    headings = [b["text"] for b in fixed["blocks"] if b["kind"] == "heading1"]
    assert [h[:2] for h in headings] == ["一、", "二、", "三、"][: len(headings)] or headings[0].startswith(
        "第一，"
    )
    text = "\n".join(b["text"] for b in fixed["blocks"])
    assert "我讲三点意见" in text or "我讲" not in text
    findings = client.post(
        "/api/lint", json={"text": text, "year": 2026, "locality": "汉中市", "level": "市"}
    ).get_json()
    assert not [f for f in findings if f["rule"] == "count"], findings


# --- export -------------------------------------------------------------------------------------


def test_export_docx_is_the_cli_layout_with_the_edits(client: Any, tmp_path: Path) -> None:
    data = get_draft(client)
    i = numbered_point(data)
    alt = client.post("/api/alternatives", json={"draft": data, "index": i}).get_json()["alternatives"][0]
    data["blocks"][i] = alt
    resp = client.post("/api/export?format=docx", json=data)
    assert resp.status_code == 200
    assert "attachment" in resp.headers["Content-Disposition"]
    assert "filename*=UTF-8''" in resp.headers["Content-Disposition"]
    document = docx.Document(io.BytesIO(resp.data))
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    assert alt["text"] in texts
    # the same layout as `drafter draft`: compare (style, text) with the CLI's file for the unedited draft
    out = tmp_path / "cli.docx"
    result = CliRunner().invoke(
        cli_app,
        ["draft", "--year", "2026", "--locality", "汉中市", "--level", "市", "--seed", "7", "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    original = get_draft(client)
    web = docx.Document(io.BytesIO(client.post("/api/export?format=docx", json=original).data))
    cli = docx.Document(str(out))
    as_pairs = lambda d: [(p.style.name, p.text) for p in d.paragraphs]  # noqa: E731
    assert as_pairs(web) == as_pairs(cli)


def test_word_options_travel_with_the_draft(client: Any) -> None:
    data = get_draft(client, bold_leads="true", fonts="body=楷体")
    assert data["params"]["bold_leads"] is True and data["params"]["fonts"] == {"body": "楷体"}
    document = docx.Document(io.BytesIO(client.post("/api/export?format=docx", json=data).data))
    led = [p for p in document.paragraphs if p.runs and p.runs[0].bold and len(p.runs) > 1]
    assert led  # 一是…。 set bold
    assert "楷体" in led[0].style.element.xml and "仿宋" not in led[0].style.element.xml


@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_export_text_formats(client: Any, fmt: str) -> None:
    data = get_draft(client)
    data["blocks"][-1]["text"] = "同志们，改过的结尾。"
    resp = client.post(f"/api/export?format={fmt}", json=data)
    assert resp.status_code == 200 and resp.mimetype.startswith("text/")
    text = resp.data.decode("utf-8")
    assert "同志们，改过的结尾。" in text
    assert ("# 在汉中市" in text) == (fmt == "md")


def test_export_bad_requests(client: Any) -> None:
    data = get_draft(client)
    assert_chinese_error(client.post("/api/export?format=pdf", json=data), 400, "格式")
    assert_chinese_error(client.post("/api/export?format=docx", data="x", content_type="text/plain"), 400)
    bad = {**data, "blocks": [{"kind": "body", "text": 5}]}
    assert_chinese_error(client.post("/api/export?format=docx", json=bad), 400, "第 1 段")
    too_many = {**data, "blocks": [{"kind": "body", "text": "段"}] * 700}
    assert_chinese_error(client.post("/api/export?format=txt", json=too_many), 400, "过多")
    path_like = {**data, "params": {**data["params"], "output": "/tmp/evil.docx"}}
    assert_chinese_error(client.post("/api/export?format=docx", json=path_like), 400, "未知参数")
    assert not Path("/tmp/evil.docx").exists()


# --- lint ---------------------------------------------------------------------------------------


def test_lint_text_is_the_cli_json(client: Any, tmp_path: Path) -> None:
    resp = client.post("/api/lint", json={"text": PLANTED, "year": 2026, "name": "讲话.txt"})
    findings = resp.get_json()
    assert any(f["rule"] == "year" and f["line"] == 2 and f["severity"] == "error" for f in findings)
    path = tmp_path / "讲话.txt"
    path.write_text(PLANTED, encoding="utf-8")
    cli = CliRunner().invoke(cli_app, ["lint", str(path), "--year", "2026", "--format", "json"])
    expected = json.loads(cli.stdout)
    for f in expected:
        f["file"] = "讲话.txt"
    assert findings == expected


def test_lint_uploads_txt_and_docx(client: Any) -> None:
    gbk = PLANTED.encode("gb18030")
    resp = upload(client, "旧稿.txt", gbk, year="2026")
    findings = resp.get_json()
    assert any(f["rule"] == "year" for f in findings) and findings[0]["file"] == "旧稿.txt"
    document = docx.Document()
    for line in PLANTED.splitlines():
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    resp = upload(client, "讲话.docx", buf.getvalue(), year="2026")
    year_findings = [f for f in resp.get_json() if f["rule"] == "year"]
    assert year_findings
    # the page shows the uploaded speech numbered as lint numbers it
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(buf.getvalue()), filename="讲话.docx")})
    shown = client.post(
        "/api/read", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    ).get_json()
    assert shown["file"] == "讲话.docx"
    assert "中央纪委四次全会" in shown["lines"][year_findings[0]["line"] - 1]
    assert_chinese_error(client.post("/api/read", data={}), 400, "上传")
    # a form field instead of JSON
    resp = client.post("/api/lint", data={"text": PLANTED, "year": "2026"})
    assert any(f["rule"] == "year" for f in resp.get_json())


def test_lint_bad_input(client: Any) -> None:
    assert_chinese_error(client.post("/api/lint", json={"text": ""}), 400, "文字")
    assert_chinese_error(client.post("/api/lint", json={}), 400, "粘贴")
    assert_chinese_error(client.post("/api/lint", json={"text": PLANTED, "year": "去年"}), 400, "整数")
    assert_chinese_error(client.post("/api/lint", json={"text": PLANTED, "level": "州"}), 400, "层级")
    assert_chinese_error(upload(client, "a.docx", b"PK\x03\x04junk"), 400, "docx")
    assert_chinese_error(upload(client, "a.doc", b"\xd0\xcf\x11\xe0"), 400, ".doc")
    assert_chinese_error(upload(client, "a.pdf", b"x"), 400, "类型")
    assert_chinese_error(upload(client, "big.txt", b"a" * (10 * 1024 * 1024 + 10)), 413, "10 MB")
    many = ("同志们：好。\n" * 90_000).encode()  # under 10 MB, but no single speech is this long
    assert_chinese_error(upload(client, "many.txt", many), 400, "万字")
    resp = upload(client, "../../etc/passwd", "同志们：\n".encode())
    assert resp.status_code == 200 and all(f["file"] == "passwd" for f in resp.get_json())


# --- bank ---------------------------------------------------------------------------------------


def test_bank_search_filters(client: Any) -> None:
    resp = client.get(
        "/api/bank/search", query_string={"q": "八项规定", "role": "point", "level": "县", "year": "2026"}
    )
    data = resp.get_json()
    assert data["total"] >= 1
    for e in data["entries"]:
        assert e["role"] == "point" and "县" in e["levels"] and "八项规定" in e["text"]
    topic = client.get("/api/bank/search", query_string={"topic": "审计监督", "limit": "5"}).get_json()
    assert len(topic["entries"]) <= 5 and all("审计监督" in e["topics"] for e in topic["entries"])
    page2 = client.get("/api/bank/search", query_string={"offset": "5", "limit": "5"}).get_json()
    page1 = client.get("/api/bank/search", query_string={"limit": "10"}).get_json()
    assert [e["id"] for e in page2["entries"]] == [e["id"] for e in page1["entries"][5:10]]


def test_bank_search_bad_input_and_read_only(client: Any) -> None:
    assert_chinese_error(client.get("/api/bank/search?role=poet"), 400, "角色")
    assert_chinese_error(client.get("/api/bank/search?topic=天气"), 400, "主题")
    assert_chinese_error(client.get("/api/bank/search?year=abc"), 400, "整数")
    assert_chinese_error(client.get("/api/bank/search?limit=100000"), 400)
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in bundled_bank_dir().glob("*.yaml")}
    for method in ("post", "put", "delete", "patch"):
        assert_chinese_error(getattr(client, method)("/api/bank/search", json={"id": "x"}), 405)
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in bundled_bank_dir().glob("*.yaml")}
    assert before == after


WEIRD = [
    None,
    0,
    -1,
    2**70,
    1.5,
    "",
    "x",
    [],
    {},
    [1],
    {"a": 1},
    True,
    "../../etc/passwd",
    "\x00",
    "【】" * 500,
]


def test_odd_values_anywhere_never_give_a_500(client: Any) -> None:
    good = get_draft(client)
    statuses = []
    for key in [*good["params"], "fonts", "bold_leads", "plenum"]:
        for value in WEIRD:
            draft = {**good, "params": {**good["params"], key: value}}
            statuses.append(client.post("/api/export?format=txt", json=draft).status_code)
    for key in ["kind", "text", "lead", "entry_ids", "sources", "locked"]:
        for value in WEIRD:
            blocks = [dict(b) for b in good["blocks"]]
            blocks[5][key] = value
            draft = {**good, "blocks": blocks}
            statuses.append(client.post("/api/export?format=txt", json=draft).status_code)
            statuses.append(client.post("/api/renumber", json=draft).status_code)
    for value in WEIRD:
        statuses.append(client.post("/api/alternatives", json={"draft": good, "index": value}).status_code)
        statuses.append(client.post("/api/lint", json={"text": value}).status_code)
        statuses.append(
            client.post(
                "/api/lint", json={"text": "同志们", "year": value, "level": value, "name": value}
            ).status_code
        )
        for path in ("/api/draft", "/api/export?format=md", "/api/renumber", "/api/alternatives"):
            statuses.append(client.post(path, json=value).status_code)
        query = {"q": str(value), "year": str(value), "offset": str(value), "limit": str(value)}
        statuses.append(client.get("/api/bank/search", query_string=query).status_code)
    assert max(statuses) < 500 and 400 in statuses and 200 in statuses


def test_unexpected_errors_are_a_chinese_500_without_a_trace(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**_: Any) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(api, "web_meta", broken)
    resp = client.get("/api/meta")
    body = assert_chinese_error(resp, 500, "内部")
    assert "secret" not in json.dumps(body) and "RuntimeError" not in resp.get_data(as_text=True)


def test_a_local_server_answers_only_local_host_names() -> None:
    client = create_app(trusted_hosts=["127.0.0.1", "localhost", "[::1]"]).test_client()
    assert client.get("/api/meta", headers={"Host": "127.0.0.1:8765"}).status_code == 200
    assert client.get("/api/meta", headers={"Host": "localhost:8765"}).status_code == 200
    assert_chinese_error(client.get("/api/meta", headers={"Host": "evil.example:8765"}), 400, "127.0.0.1")


def test_user_bank_is_used(tmp_path: Path) -> None:
    folder = tmp_path / "mybank"
    folder.mkdir()
    (folder / "point.yaml").write_text(
        "entries:\n  - id: point-mine0001\n    role: point\n    topics: [审计监督]\n    text: 我们自己的审计要点，写进本地语料库。\n",
        encoding="utf-8",
    )
    client = create_app(banks=(folder,)).test_client()
    found = client.get("/api/bank/search?q=我们自己的审计要点").get_json()
    assert [e["id"] for e in found["entries"]] == ["point-mine0001"]


# --- the process and the import boundary --------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_serve(*args: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "drafter", "serve", "--no-browser", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert proc.stdout is not None
    head = ""
    deadline = time.monotonic() + 30
    while "Ctrl-C" not in head and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        head += line
    return proc, head


def _stop(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    return proc.returncode, out, err


def test_serve_prints_the_url_serves_and_stops_on_ctrl_c() -> None:
    port = _free_port()
    proc, head = _start_serve("--port", str(port))
    try:
        assert f"http://127.0.0.1:{port}/" in head and "警告" not in head
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/meta", timeout=10) as resp:
            assert "作风建设" in json.loads(resp.read())["topics"]
    finally:
        code, out, err = _stop(proc)
    assert code == 0 and "已停止" in out and "Traceback" not in err


def test_serve_elsewhere_warns_that_there_is_no_login() -> None:
    proc, head = _start_serve("--host", "0.0.0.0", "--port", "0")
    try:
        assert "警告" in head and "登录" in head
    finally:
        code, _, err = _stop(proc)
    assert code == 0 and "Traceback" not in err


def test_serve_bad_folders_and_busy_port_are_chinese_errors(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli_app, ["serve", "--no-browser", "--bank", str(tmp_path / "无")])
    assert result.exit_code == 1 and "语料库文件夹不存在" in result.output
    result = CliRunner().invoke(cli_app, ["serve", "--no-browser", "--templates", str(tmp_path / "无")])
    assert result.exit_code == 1 and "模板文件夹不存在" in result.output
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(cli_app, ["serve", "--no-browser", "--port", str(port)])
    assert result.exit_code == 1 and "--port" in result.output and "Traceback" not in result.output


def test_help_and_draft_do_not_import_the_web_framework(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from drafter.cli import app\n"
        "try:\n"
        "    app(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = [m for m in ('flask', 'werkzeug', 'drafter.web') if m in sys.modules]\n"
        "print('LOADED=' + ','.join(loaded))\n"
    )
    out = tmp_path / "稿.txt"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    for args in (
        ["--help"],
        ["serve", "--help"],
        ["draft", "--year", "2026", "--locality", "汉中市", "--level", "市", "-o", str(out)],
    ):
        result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env)
        assert "LOADED=\n" in result.stdout, (args, result.stdout, result.stderr)
    assert out.exists()

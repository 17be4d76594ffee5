"""Web adapter: the Flask app. Stateless: a draft travels as JSON (parameters + blocks), so every
request is answered from its own content; the bank and template folders are the server's, fixed at
start, and no request value ever becomes a path. Every error is JSON {"error", "hint"} in Chinese."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import quote

from flask import Flask, Response, jsonify, request, send_from_directory
from werkzeug.exceptions import HTTPException

from drafter import api
from drafter.errors import ContextError, UserError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
STATIC = Path(__file__).resolve().parent / "static"
_MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
}
_HTTP_MESSAGES = {
    400: (
        "请求格式不对",
        "请通过页面操作，或按 docs/api.md 的说明发送请求；从本机访问时请用 http://127.0.0.1:端口/。",
    ),
    404: ("没有这个地址", "页面在 /，接口见 docs/api.md。"),
    405: ("这个地址不支持该请求方法", "请按 docs/api.md 使用 GET 或 POST。"),
    413: ("上传的内容超过 10 MB", "一篇讲话稿远小于 10 MB；请只上传一篇 .txt 或 .docx。"),
    415: ("不支持的内容类型", "请发送 JSON，或用表单上传文件。"),
}
log = logging.getLogger("drafter.web")


def _error(status: int, message: str, hint: str | None) -> tuple[Response, int]:
    return jsonify({"error": message, "hint": hint or ""}), status


def _user_error(e: UserError) -> tuple[Response, int]:
    where = e.location()
    message = f"{where}: {e.message}" if where else e.message
    return _error(400, message, e.hint)


def _json_body() -> Any:
    data = request.get_json(silent=True)
    if data is None:
        raise ContextError("请求内容不是有效的 JSON", hint="请以 Content-Type: application/json 发送草稿。")
    return data


def create_app(
    *, banks: tuple[Path, ...] = (), templates: Path | None = None, trusted_hosts: list[str] | None = None
) -> Flask:
    """The app over the given bank folders (the user's, layered over the bundled bank) and templates.
    ``trusted_hosts``: the only Host headers answered (a page on another site that points a name of its
    own at 127.0.0.1 gets a 400, not the API)."""
    app = Flask("drafter.web", static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD_BYTES
    if trusted_hosts:
        app.config["TRUSTED_HOSTS"] = trusted_hosts
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    bank_dirs = tuple(banks)

    @app.errorhandler(UserError)
    def user_error(e: UserError) -> tuple[Response, int]:
        return _user_error(e)

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException) -> tuple[Response, int]:
        status = e.code or 400
        message, hint = _HTTP_MESSAGES.get(status, ("请求无法处理", "请检查请求后重试。"))
        return _error(status if 400 <= status < 500 else 400, message, hint)

    @app.errorhandler(Exception)
    def unexpected(e: Exception) -> tuple[Response, int]:
        log.exception("unexpected error on %s %s", request.method, request.path)
        return _error(
            500, "程序内部出错，这次操作没有完成", "请重试；如果一再出现，请把终端里的错误信息报告给维护者。"
        )

    @app.get("/")
    def index() -> Response:
        return send_from_directory(STATIC, "index.html", max_age=0)

    @app.get("/static/<path:name>")
    def static_file(name: str) -> Response:
        return send_from_directory(STATIC, name, max_age=0)  # safe_join: nothing outside STATIC

    @app.get("/api/meta")
    def meta() -> Response:
        return jsonify(api.web_meta(banks=bank_dirs, templates=templates))

    @app.get("/api/draft")
    def draft_get() -> Response:
        params: dict[str, Any] = {}
        for key in request.args:
            values = request.args.getlist(key)
            params[key] = values if key in ("topics", "fonts") else values[-1]
        if isinstance(params.get("bold_leads"), str):  # a query string has no booleans
            params["bold_leads"] = {"true": True, "1": True, "false": False, "0": False}.get(
                params["bold_leads"].lower(), params["bold_leads"]
            )
        return jsonify(api.web_draft(params, banks=bank_dirs, templates=templates))

    @app.post("/api/draft")
    def draft_post() -> Response:
        body = _json_body()
        if not isinstance(body, dict):
            raise ContextError("请求应当是一个 JSON 对象", hint='写成 {"params": {…}, "locked": […]}。')
        return jsonify(
            api.web_draft(
                body.get("params") or {}, locked=body.get("locked"), banks=bank_dirs, templates=templates
            )
        )

    @app.post("/api/alternatives")
    def alternatives() -> Response:
        body = _json_body()
        if not isinstance(body, dict):
            raise ContextError("请求应当是一个 JSON 对象", hint='写成 {"draft": {…}, "index": 段落序号}。')
        found = api.alternatives(body.get("draft"), body.get("index"), banks=bank_dirs, templates=templates)
        return jsonify({"alternatives": found})

    @app.post("/api/renumber")
    def renumber() -> Response:
        return jsonify(api.web_renumber(_json_body(), banks=bank_dirs, templates=templates))

    @app.post("/api/export")
    def export() -> Response:
        fmt = request.args.get("format", "docx")
        name, content = api.web_export(_json_body(), fmt, banks=bank_dirs, templates=templates)
        ascii_name = f"draft.{fmt}"
        disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
        return Response(content, mimetype=_MIME[fmt], headers={"Content-Disposition": disposition})

    @app.post("/api/lint")
    def lint() -> Response:
        upload = request.files.get("file")
        if upload is not None:
            data = upload.read()
            found = api.lint_speech(
                data=data,
                filename=upload.filename or "上传的文件.txt",
                year=request.form.get("year") or None,
                locality=request.form.get("locality") or None,
                level=request.form.get("level") or None,
            )
            return jsonify(found)
        if request.form.get("text") is not None:
            body: Any = request.form.to_dict()
        else:
            body = _json_body()
        if not isinstance(body, dict):
            raise ContextError("请求应当是一个 JSON 对象", hint='写成 {"text": "讲话稿文字"}。')
        found = api.lint_speech(
            text=body.get("text"),
            filename=str(body.get("name") or "粘贴的文字.txt"),
            year=body.get("year") or None,
            locality=body.get("locality") or None,
            level=body.get("level") or None,
        )
        return jsonify(found)

    @app.post("/api/read")
    def read_file() -> Response:
        upload = request.files.get("file")
        if upload is None:
            raise ContextError("没有上传文件", hint="用表单字段 file 上传 .txt 或 .docx。")
        name, lines = api.read_upload(upload.read(), upload.filename or "上传的文件.txt")
        return jsonify({"file": name.name, "lines": lines})

    @app.get("/api/bank/search")
    def bank_search() -> Response:
        args = request.args
        return jsonify(
            api.search_bank_entries(
                banks=bank_dirs,
                text=args.get("q"),
                role=args.get("role") or None,
                topic=args.get("topic") or None,
                year=args.get("year") or None,
                level=args.get("level") or None,
                offset=args.get("offset", 0),
                limit=args.get("limit", 50),
            )
        )

    return app

"""Web adapter: run the app on a local port until Ctrl-C (werkzeug's threaded server, no banner)."""

from __future__ import annotations

import logging
import socket
import webbrowser
from collections.abc import Callable
from pathlib import Path

from drafter.errors import ContextError
from drafter.web.app import create_app

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    banks: tuple[Path, ...] = (),
    templates: Path | None = None,
    open_browser: bool = True,
    say: Callable[[str], None] = print,
) -> None:
    """Serve until interrupted. Raises ContextError when the port cannot be bound; the bank and the
    templates are checked first (BankError / TemplateError), so a bad folder fails before serving."""
    from werkzeug.serving import make_server

    from drafter import api
    from drafter.bank import load_bank

    load_bank(user_dirs=list(banks))
    api.web_meta(banks=banks, templates=templates)  # checks the templates folder
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    local = host in LOCAL_HOSTS
    app = create_app(
        banks=banks, templates=templates, trusted_hosts=["127.0.0.1", "localhost", "[::1]"] if local else None
    )
    # Bind here, not in werkzeug: its own bind prints English and exits on a busy port.
    try:
        sock = socket.create_server((host, port))
    except socket.gaierror as e:
        raise ContextError(
            f"监听地址「{host}」无效", hint="--host 写 127.0.0.1（本机）或本机的 IP 地址。"
        ) from e
    except OSError as e:
        raise ContextError(
            f"无法在 {host}:{port} 上启动：{e.strerror or e}",
            hint="端口可能已被占用：用 --port 换一个，例如 --port 8766。",
        ) from e
    try:
        server = make_server(host, port, app, threaded=True, fd=sock.fileno())
    finally:
        sock.close()  # the server holds its own duplicate of the socket
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{server.port}/"
    try:  # from here on, Ctrl-C stops the server quietly
        say(f"drafter 网页已启动：{url}")
        if host not in LOCAL_HOSTS:
            say(
                "警告：网页没有登录和权限控制，同一网络中的任何人都能访问并生成文稿；只在可信的网络中这样做。"
            )
        say("按 Ctrl-C 停止。")
        if open_browser:
            webbrowser.open(url)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    say("已停止。")

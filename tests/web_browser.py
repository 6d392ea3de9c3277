"""A real ``kiosk serve`` in a subprocess and Debian's Chromium, for the browser tests."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 800}


def need_browser() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(
            "browser tests need Debian's Chromium at /usr/bin/chromium (apt install chromium)"
        )
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip(
            "browser tests need playwright and axe-playwright-python (pip install -e '.[test]')"
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """``kiosk serve`` on 127.0.0.1 with its own folder, database, outbox and log."""

    folder: Path
    port: int
    process: subprocess.Popen
    lines: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def config_path(self) -> Path:
        return self.folder / "kiosk.toml"

    def log(self) -> str:
        return "".join(self.lines)

    def log_once(self, text: str, timeout: float = 20.0) -> str:
        """The log once ``text`` is in it: the server writes its access line after the answer
        is sent, so a client can read the log before the line for its own request is there."""
        deadline = time.monotonic() + timeout
        while text not in self.log() and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.log()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def write_config(folder: Path, database_url: str, port: int, **web: object) -> Path:
    """A kiosk.toml for a test server (the secret file is made as ``kiosk init`` would)."""
    folder.mkdir(parents=True, exist_ok=True)
    settings = {"base_url": f"http://127.0.0.1:{port}", "client_requests_per_minute": 1000, **web}
    web_lines = "\n".join(
        f"{k} = {str(v).lower() if isinstance(v, bool) else repr(v)}" for k, v in settings.items()
    )
    (folder / "kiosk.toml").write_text(
        '[district]\nname = "Test Valley Schools"\nmobile_app_code = "TVS"\n'
        '[support]\nemail = "help@example.org"\nphone = "555-0100"\n'
        'response_time = "within 24 hours"\n'
        f'[database]\nurl = "{database_url}"\n'
        f'[mail]\nmode = "outbox"\noutbox_dir = "{folder / "outbox"}"\n'
        f'[security]\nsecret_file = "{folder / "kiosk.secret"}"\n'
        f"[web]\n{web_lines}\n"
    )
    secret = folder / "kiosk.secret"
    if not secret.exists():
        secret.write_text("0123456789abcdef" * 4)
    return folder / "kiosk.toml"


def start_server(
    folder: Path, demo_db: Path | None, *, database_url: str = "", **web: object
) -> Server:
    """Serve ``demo_db`` (copied) or an existing ``database_url`` on a free port."""
    folder.mkdir(parents=True, exist_ok=True)
    if demo_db is not None:
        shutil.copy(demo_db, folder / "kiosk.db")
    port = free_port()
    config = write_config(folder, database_url or str(folder / "kiosk.db"), port, **web)
    env = {**os.environ, "KIOSK_CONFIG": str(config)}
    env.pop("KIOSK_DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=folder,
    )
    server = Server(folder, port, process)
    ready = threading.Event()

    def read() -> None:
        for line in process.stdout:  # type: ignore[union-attr]
            server.lines.append(line)
            if "Application startup complete" in line:
                ready.set()
        ready.set()  # the process ended: stop waiting

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(timeout=60) or process.poll() is not None:
        server.stop()
        raise RuntimeError("kiosk serve did not start:\n" + server.log())
    return server


def outbox_messages(folder: Path) -> list:
    from email import message_from_bytes, policy

    files = sorted((folder / "outbox").glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    return [message_from_bytes(p.read_bytes(), policy=policy.default) for p in files]


def newest_code(folder: Path) -> str:
    body = outbox_messages(folder)[-1].get_content()
    match = re.search(r"(\d{4}) (\d{4})", body)
    assert match, body
    return match.group(1) + match.group(2)


@pytest.fixture(scope="module")
def server(tmp_path_factory, demo_template):
    """One ``kiosk serve`` (the demo district, the online key request on) per test module."""
    need_browser()
    srv = start_server(tmp_path_factory.mktemp("web"), demo_template, request_key=True)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser(server):
    """Debian's Chromium, one per test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()

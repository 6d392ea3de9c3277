"""Hashing never holds pages up: pages read in their own worker threads, so a signed-in parent's
page answers while every thread for forms is busy with sign-ins; argon2 runs at most once per
core at a time in a process."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import threading
import time

import httpx
import pytest
from anyio import to_thread

from kiosk.demo import PARENT_PASSWORD
from kiosk.hashing import Hasher
from tests.conftest import build_context, make_config


class HeldHasher:
    """Verifies as the real one would, but each verify waits until the test lets it go."""

    def __init__(self, real: Hasher) -> None:
        self.real = real
        self.release = threading.Event()
        self.waiting = 0
        self.lock = threading.Lock()

    def verify(self, stored, secret):  # type: ignore[no-untyped-def]
        with self.lock:
            self.waiting += 1
        self.release.wait(60)
        return self.real.verify(stored, secret)

    def __getattr__(self, name):  # type: ignore[no-untyped-def]
        return getattr(self.real, name)


def _token(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


@pytest.fixture
def busy_ctx(tmp_path, demo_template):
    """The demo district with room for many sign-ins from one address."""
    shutil.copy(demo_template, tmp_path / "kiosk.db")
    config = make_config(tmp_path, web={"client_requests_per_minute": 10000})
    ctx = build_context(config, f"sqlite:///{tmp_path / 'kiosk.db'}")
    yield ctx
    ctx.close()


async def test_a_page_answers_while_every_form_thread_is_hashing(busy_ctx):
    from kiosk.web.app import create_app
    from tests.web_helpers import web_client

    ctx = busy_ctx
    web_client(ctx)  # creates the district secret the forms are signed with
    app = create_app(ctx)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    url = "http://testserver"
    async with httpx.AsyncClient(transport=transport, base_url=url) as parent:
        token = _token((await parent.get("/sign-in")).text)
        form = {"csrf": token, "username": "alopez", "password": PARENT_PASSWORD}
        assert (await parent.post("/sign-in", data=form)).status_code == 303
        held = HeldHasher(ctx.hasher)
        ctx.hasher = held  # type: ignore[assignment]
        forms = int(to_thread.current_default_thread_limiter().total_tokens)
        async with httpx.AsyncClient(transport=transport, base_url=url, timeout=120) as others:
            token = _token((await others.get("/sign-in")).text)
            # Guesses at a name nobody has (the same argon2 work as a real account's).
            form = {"csrf": token, "username": "someone-else", "password": "a guess"}
            sign_ins = [
                asyncio.create_task(others.post("/sign-in", data=form)) for _ in range(forms)
            ]
            for _ in range(6000):  # until every thread for forms is inside a verify
                if held.waiting == forms:
                    break
                await asyncio.sleep(0.01)
            page = await asyncio.wait_for(parent.get("/students"), 30)
            assert page.status_code == 200 and "Lucas Lopez" in page.text
            assert not held.release.is_set() and held.waiting == forms
            held.release.set()
            answers = await asyncio.gather(*sign_ins)
    assert len({(a.status_code, a.text.count("error-message")) for a in answers}) == 1
    assert answers[0].status_code == 400 and "error-message" in answers[0].text


def test_argon2_runs_at_most_once_per_core_at_a_time():
    active = 0
    most = 0
    lock = threading.Lock()

    class Slow:
        def verify(self, stored, secret):  # type: ignore[no-untyped-def]
            nonlocal active, most
            with lock:
                active += 1
                most = max(most, active)
            time.sleep(0.05)
            with lock:
                active -= 1
            return True

    hasher = Hasher(Slow())  # type: ignore[arg-type]
    limit = len(os.sched_getaffinity(0))
    threads = [threading.Thread(target=hasher.verify, args=("x", "y")) for _ in range(limit * 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 1 <= most <= limit


def test_connections_to_several_workers_have_nagle_off():
    """Several workers share a socket that uvicorn binds without naming TCP, so asyncio left
    Nagle on and every page waited for the client's delayed ACK; the socket now turns it off
    for every connection it accepts."""
    import socket

    import uvicorn

    from kiosk.web.server import listening_socket

    config = uvicorn.Config("kiosk.web.server:app_from_environment", host="127.0.0.1", port=0)
    listener = listening_socket(config)
    try:
        listener.listen()
        client = socket.create_connection(listener.getsockname()[:2])
        accepted, _ = listener.accept()
        with client, accepted:
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    finally:
        listener.close()

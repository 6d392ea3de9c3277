"""Helpers for the parent-web request tests (Starlette's TestClient over the real app)."""

from __future__ import annotations

import re
import warnings

from kiosk.context import Context
from kiosk.demo import PARENT_PASSWORD

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette's note about a future httpx replacement
    from starlette.testclient import TestClient


def web_client(ctx: Context, *, https: bool = False, client=("127.0.0.1", 50000)) -> TestClient:
    from kiosk.cli.start import create_secret_key
    from kiosk.web.app import create_app

    create_secret_key(ctx.config)  # what ``kiosk init`` does; the web signs forms with it
    base = "https://testserver" if https else "http://testserver"
    return TestClient(create_app(ctx), base_url=base, follow_redirects=False, client=client)


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF field on the page"
    return match.group(1)


def post_form(client: TestClient, page: str, action: str | None = None, **fields: object):
    """GET ``page`` for its CSRF token, then POST ``fields`` to ``action`` (default: page)."""
    token = csrf_of(client.get(page).text)
    return client.post(action or page, data={"csrf": token, **fields})


def sign_in(client: TestClient, username: str = "alopez", password: str = PARENT_PASSWORD):
    return post_form(client, "/sign-in", username=username, password=password)


def error_text(html: str) -> str:
    match = re.search(r'<p id="error-message">(.*?)</p>', html, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""

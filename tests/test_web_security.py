"""The parent web's security points, each shown with real requests against the real app."""

from __future__ import annotations

import logging
import re

import pytest

from kiosk.demo import PARENT_PASSWORD
from kiosk.services import staff, web_sessions
from kiosk.store.models import AuditEvent, WebSession
from kiosk.web.session import safe_next
from tests.conftest import build_context, make_config
from tests.web_helpers import csrf_of, post_form, sign_in, web_client

PAGES = ["/", "/sign-in", "/activate", "/forgot-password", "/forgot-username", "/healthz"]


@pytest.fixture
def https_ctx(tmp_path, demo_template):
    import shutil

    config = make_config(tmp_path, web={"base_url": "https://portal.test"})
    shutil.copy(demo_template, tmp_path / "kiosk.db")
    context = build_context(config, f"sqlite:///{tmp_path / 'kiosk.db'}")
    yield context
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_strict_policy_and_no_framing_or_referrer(ctx, path):
    response = web_client(ctx).get(path)
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "style-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "strict-transport-security" not in response.headers  # plain http: no HSTS


def test_pages_have_no_inline_script_or_style(ctx):
    client = web_client(ctx)
    for path in PAGES[:-1]:
        html = client.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path
        assert "<style" not in html and " style=" not in html, path


def test_https_base_url_adds_hsts_and_secure_host_cookies(https_ctx):
    client = web_client(https_ctx, https=True)
    page = client.get("/sign-in")
    assert page.headers["strict-transport-security"].startswith("max-age=31536000")
    response = client.post(
        "/sign-in",
        data={
            "csrf": csrf_of(page.text),
            "username": "alopez",
            "password": PARENT_PASSWORD,
        },
    )
    cookie = next(c for c in response.headers.get_list("set-cookie") if "fd_session" in c)
    assert cookie.startswith("__Host-fd_session=")
    flags = cookie.lower()
    assert "; secure" in flags and "; httponly" in flags and "samesite=lax" in flags
    assert "path=/" in flags and "domain=" not in flags


def test_session_cookie_is_httponly_lax_and_not_secure_on_plain_http(ctx):
    response = sign_in(web_client(ctx))
    assert response.status_code == 303
    cookie = next(c for c in response.headers.get_list("set-cookie") if "fd_session" in c)
    flags = cookie.lower()
    assert "; httponly" in flags and "samesite=lax" in flags and "; secure" not in flags


def _post_routes(client):
    for route in client.app.routes:
        if "POST" in (getattr(route, "methods", None) or ()):
            yield route.path


def test_every_form_refuses_a_post_without_or_with_a_wrong_csrf_token(ctx):
    client = web_client(ctx)
    client.get("/")  # the browser has a nonce cookie
    # Federation partners post across sites by design (signatures, client secrets, PKCE).
    from kiosk.federation.routes import PARTNER_POSTS

    paths = sorted(set(_post_routes(client)) - set(PARTNER_POSTS))
    assert {"/sign-in", "/sign-out", "/activate", "/forgot-password"} <= set(paths)
    before = AuditEvent.select().count()
    for path in paths:
        for data in ({}, {"csrf": "0" * 64}):
            response = client.post(path, data={**data, "username": "alopez"})
            assert response.status_code in (403, 404), (path, response.status_code)
            if response.status_code == 403:
                assert "was not sent" in response.text
    assert AuditEvent.select().count() == before  # nothing happened, not even a failed sign-in


def test_a_token_from_another_browser_is_refused(ctx):
    victim, attacker = web_client(ctx), web_client(ctx)
    token = csrf_of(attacker.get("/sign-in").text)
    victim.get("/sign-in")
    response = victim.post("/sign-in", data={"csrf": token, "username": "x", "password": "y"})
    assert response.status_code == 403


def test_sign_in_makes_a_fresh_session_id_whatever_the_browser_had(ctx):
    client = web_client(ctx)
    client.cookies.set("fd_session", "attacker-chosen-id")
    first = sign_in(client)
    first_id = first.cookies["fd_session"]
    assert first_id != "attacker-chosen-id" and len(first_id) >= 40
    # signing in again (the password prompt of a re-authentication) replaces the id
    again = post_form(client, "/sign-in?reauth=1", username="alopez", password=PARENT_PASSWORD)
    second_id = again.cookies["fd_session"]
    assert second_id != first_id
    assert web_sessions.load(ctx, first_id) is None
    assert web_sessions.load(ctx, second_id) is not None
    stored = [row.id_hash for row in WebSession.select()]
    assert second_id not in stored and len(stored) == 1  # only a hash is kept


def test_signing_out_ends_the_session_on_the_server(ctx):
    client = web_client(ctx)
    session_id = sign_in(client).cookies["fd_session"]
    assert client.get("/students").status_code == 200
    out = post_form(client, "/students", "/sign-out")
    assert out.status_code == 303 and out.headers["location"].startswith("/sign-in")
    assert 'fd_session=""' in out.headers["set-cookie"] or "Max-Age=0" in out.headers["set-cookie"]
    replay = web_client(ctx)
    replay.cookies.set("fd_session", session_id)  # a copied cookie is worthless now
    assert replay.get("/students").status_code == 303


@pytest.mark.parametrize("action", ["reset", "disable"])
def test_a_staff_reset_or_disable_ends_web_sessions(ctx, action):
    from tests.conftest import staff_actor

    client = web_client(ctx)
    sign_in(client)
    assert client.get("/students").status_code == 200
    registrar = staff_actor(ctx, "registrar")
    if action == "reset":
        staff.reset_password(ctx, registrar, "alopez", "photo_id")
    else:
        staff.disable_account(ctx, registrar, "alopez")
    response = client.get("/students")
    assert response.status_code == 303 and response.headers["location"].startswith("/sign-in")


def test_a_password_reset_by_email_code_ends_web_sessions(ctx):
    from kiosk.demo import LIKED
    from kiosk.services import recovery
    from tests.conftest import latest_code

    client = web_client(ctx)
    sign_in(client)
    recovery.request_password_reset(ctx, "alopez")
    new = "seven green ferries at dawn"
    recovery.finish_password_reset(ctx, "alopez", latest_code(ctx), LIKED, new, new)
    assert client.get("/account").status_code == 303


def test_a_body_over_the_limit_is_refused_before_it_is_read(ctx):
    client = web_client(ctx)
    token = csrf_of(client.get("/sign-in").text)
    big = "x" * (ctx.config.web.max_request_bytes + 1)
    response = client.post("/sign-in", data={"csrf": token, "username": big, "password": "p"})
    assert response.status_code == 413 and "too large" in response.text

    def chunks():  # no Content-Length: counted as it streams
        for _ in range(ctx.config.web.max_request_bytes // 1000 + 2):
            yield b"a" * 1000

    streamed = client.post(
        "/sign-in", content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert streamed.status_code == 413
    assert AuditEvent.select().where(AuditEvent.action == "signin").count() == 0


def _limited_ctx(tmp_path, demo_template, **web):
    import shutil

    config = make_config(tmp_path, web={"client_requests_per_minute": 2, **web})
    shutil.copy(demo_template, tmp_path / "kiosk.db")
    return build_context(config, f"sqlite:///{tmp_path / 'kiosk.db'}")


def _forgot(client, address):
    token = csrf_of(client.get("/forgot-username").text)
    return client.post(
        "/forgot-username",
        data={"csrf": token, "email": "nobody@example.org"},
        headers={"x-forwarded-for": address},
    )


def test_forwarded_addresses_are_believed_only_from_trusted_proxies(tmp_path, demo_template):
    ctx = _limited_ctx(tmp_path, demo_template, trusted_proxies=["10.0.0.5"])
    try:
        proxy = web_client(ctx, client=("10.0.0.5", 4000))
        # Behind the trusted proxy, each parent's own address has its own allowance.
        assert [_forgot(proxy, f"203.0.113.{n}").status_code for n in range(4)] == [200] * 4
        stranger = web_client(ctx, client=("198.51.100.7", 4000))
        # A client that is not a trusted proxy cannot pick a new address for each try.
        codes = [_forgot(stranger, f"203.0.113.{n}").status_code for n in range(10, 14)]
        assert codes == [200, 200, 429, 429]
        limited = _forgot(stranger, "203.0.113.99")
        assert "Too many tries" in limited.text and int(limited.headers["retry-after"]) >= 1
    finally:
        ctx.close()


def test_sign_in_is_limited_per_client_address(tmp_path, demo_template):
    ctx = _limited_ctx(tmp_path, demo_template)
    try:
        client = web_client(ctx)
        codes = [sign_in(client, "alopez", "wrong").status_code for _ in range(3)]
        assert codes == [400, 400, 429]
    finally:
        ctx.close()


def test_a_key_in_the_query_is_moved_to_the_fragment_and_never_logged(ctx, caplog):
    key = "E69293F41CB54E298F1EEEF6FF3BB7F7"
    client = web_client(ctx)
    with caplog.at_level(logging.DEBUG):
        response = client.get(f"/activate?key={key}")
    assert response.status_code == 303
    assert response.headers["location"] == f"/activate#key={key}"
    # (the test client's own request log is not the server's)
    server_lines = " ".join(r.getMessage() for r in caplog.records if r.name != "httpx")
    assert key not in server_lines and key.lower() not in server_lines
    garbled = client.get("/activate?key=not-a-key")
    assert garbled.status_code == 303 and garbled.headers["location"] == "/activate"


def test_access_log_lines_drop_query_strings():
    from kiosk.web.server import RedactQuery

    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, "", 0, '%s - "%s %s HTTP/%s" %d', None, None
    )
    record.args = ("1.2.3.4:5", "GET", "/activate?key=E69293F41CB54E298F1EEEF6FF3BB7F7", "1.1", 303)
    RedactQuery().filter(record)
    line = record.getMessage()
    assert "E69293F4" not in line and "/activate?[query removed]" in line


def test_no_session_id_password_or_token_reaches_the_audit_log(ctx, caplog):
    client = web_client(ctx)
    with caplog.at_level(logging.DEBUG):
        response = sign_in(client)
        session_id = response.cookies["fd_session"]
        post_form(client, "/students", "/sign-out")
    events = " ".join(f"{e.actor} {e.action} {e.target} {e.detail}" for e in AuditEvent.select())
    for secret in (session_id, PARENT_PASSWORD):
        assert secret not in events
        assert all(secret not in r.getMessage() for r in caplog.records if r.name != "httpx")
    assert "web.sign_out" in events


@pytest.mark.parametrize(
    "value",
    [
        "//evil.example/x",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "",
        "/a b",
    ],
)
def test_next_accepts_only_local_paths(value):
    assert safe_next(value, "/home") == "/home"


def test_next_keeps_a_local_path_through_sign_in(ctx):
    client = web_client(ctx)
    page = client.get("/sign-in?next=/account")
    response = client.post(
        "/sign-in?next=/account",
        data={
            "csrf": csrf_of(page.text),
            "username": "alopez",
            "password": PARENT_PASSWORD,
        },
    )
    assert response.headers["location"] == "/account"
    evil = post_form(
        client,
        "/sign-in?next=//evil.example&reauth=1",
        username="alopez",
        password=PARENT_PASSWORD,
    )
    assert evil.headers["location"] == "/students"


def test_healthz_answers_when_the_database_does(ctx):
    response = web_client(ctx).get("/healthz")
    assert response.status_code == 200 and response.text == "ok"
    ctx.store.db.close()
    ctx.store.db.connect = lambda *a, **k: (_ for _ in ()).throw(RuntimeError("down"))
    assert web_client(ctx).get("/healthz").status_code == 503


def test_healthz_fails_when_the_database_file_was_replaced(ctx, tmp_path):
    """A SQLite file swapped under a running server would swallow every write: not healthy."""
    import shutil

    assert web_client(ctx).get("/healthz").status_code == 200
    path = ctx.store.db.database
    shutil.copy(path, tmp_path / "copy.db")
    shutil.move(tmp_path / "copy.db", path)  # a new file (inode) at the same path
    assert web_client(ctx).get("/healthz").status_code == 503


def test_an_unexpected_error_gets_a_plain_page_with_the_same_headers(ctx):
    import warnings

    from starlette.routing import Route

    from kiosk.cli.start import create_secret_key
    from kiosk.web.app import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    def boom(request):
        raise RuntimeError("secret detail 1234")

    create_secret_key(ctx.config)
    app = create_app(ctx)
    app.router.routes.append(Route("/boom", boom))
    response = TestClient(app, raise_server_exceptions=False).get("/boom")
    assert response.status_code == 500 and "Something went wrong" in response.text
    assert "secret detail" not in response.text and "Traceback" not in response.text
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"

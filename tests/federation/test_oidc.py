"""OpenID Connect against two real relying parties: Authlib's client and PyJWT validation.

One uvicorn server per module; each test has its own database (SQLite and PostgreSQL).
"""

from __future__ import annotations

import json
import re
import secrets
import time
import urllib.parse

import httpx
import pytest

from kiosk.services.households import linked_students
from kiosk.store.models import AccessToken, AuditEvent, AuthorizationCode, PortalAccount
from tests.federation.peers import (
    PyJwtRp,
    browser,
    pkce_pair,
    register_peers,
    sign_in,
)

PASSWORD = "blue-river-stone-lamp"


@pytest.fixture
def fed(ctx, live):
    """Peers registered in this test's SQLite database."""
    return ctx, register_peers(ctx, live)


@pytest.fixture
def fed_db(any_ctx, live):
    """The same on SQLite and on PostgreSQL (the flows that write most)."""

    return any_ctx, register_peers(any_ctx, live)


def through_sign_in(http: httpx.Client, url: str, username: str = "alopez") -> httpx.Response:
    """Open an authorize URL, sign in when asked, return Front Desk's final answer."""
    answer = http.get(url)
    if answer.status_code == 303 and answer.headers["location"].startswith("/sign-in"):
        signed = sign_in(http, answer.headers["location"], username, PASSWORD)
        assert signed.status_code == 303, signed.text
        answer = http.get(signed.headers["location"])
    return answer


def code_from(answer: httpx.Response) -> dict[str, str]:
    assert answer.status_code == 302, answer.text
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(answer.headers["location"]).query))


def pyjwt_rp(live, creds) -> PyJwtRp:
    return PyJwtRp(live.base, creds["client_id"], creds["secret"], creds["redirect_uri"])


def start_pyjwt(live, creds, **extra):
    rp = pyjwt_rp(live, creds)
    verifier, challenge = pkce_pair()
    nonce = secrets.token_urlsafe(12)
    params = rp.authorize_params(nonce, challenge, **extra)
    return rp, verifier, nonce, "/oidc/authorize?" + urllib.parse.urlencode(params)


def test_discovery_and_jwks_describe_a_code_only_provider(fed, live):
    with browser(live) as http:
        doc = http.get("/.well-known/openid-configuration").json()
        keys = http.get(doc["jwks_uri"]).json()["keys"]
    assert doc["issuer"] == live.base
    assert doc["response_types_supported"] == ["code"]
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert "implicit" not in json.dumps(doc)
    assert keys and all(k["alg"] == "RS256" and "d" not in k for k in keys)


def test_authlib_public_client_signs_in_with_pkce_and_sees_pairwise_claims(fed_db, live):
    ctx, _creds = fed_db
    with browser(live) as http:
        answer = through_sign_in(http, live.rp1.login_url())
        assert answer.headers["location"].startswith(live.rp1.redirect_uri)
        result = live.rp1.finish(answer.headers["location"])
    assert result["ok"], result
    token = result["id_token"]
    assert token["iss"] == live.base and token["aud"] == [live.rp1.client_id]
    assert token["preferred_username"] == "alopez" and token["guardian_id"] == "G-1003"
    assert token["acr"] and token["auth_time"] <= time.time()
    assert token["email_verified"] is True and token["email"]
    visible = [s.student_id for s in linked_students(ctx, "G-1003")]
    assert visible and token["students"] == visible
    assert token["sub"] != "G-1003" and len(token["sub"]) == 64  # pairwise, not the raw id
    assert result["userinfo"]["sub"] == token["sub"]
    assert result["userinfo"]["students"] == token["students"]
    issued = AuditEvent.select().where(AuditEvent.action == "federation.oidc_token").get()
    assert issued.outcome == "ok" and issued.target == "G-1003"
    assert result["token"]["access_token"] not in issued.detail
    stored = AccessToken.get()
    assert stored.token_hash != result["token"]["access_token"]


def test_pyjwt_confidential_client_and_the_pairwise_subject_differs(fed, live):
    _ctx, creds = fed
    rp, verifier, nonce, url = start_pyjwt(live, creds)
    with browser(live) as http:
        code = code_from(through_sign_in(http, url))["code"]
        token = rp.exchange(http, code, verifier).json()
        claims = rp.validate(token["id_token"], nonce)
        first = live.rp1
        answer = http.get(first.login_url())  # the same Front Desk session: no sign-in again
        other = first.finish(answer.headers["location"])
    assert claims["preferred_username"] == "alopez"
    assert other["ok"] and other["id_token"]["sub"] != claims["sub"]


def test_code_reuse_is_refused(fed_db, live):
    _ctx, creds = fed_db
    rp, verifier, _nonce, url = start_pyjwt(live, creds)
    with browser(live) as http:
        code = code_from(through_sign_in(http, url))["code"]
        assert rp.exchange(http, code, verifier).status_code == 200
        again = rp.exchange(http, code, verifier)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    assert "already used" in again.json()["error_description"]


def test_pkce_mismatch_and_wrong_secret_are_refused(fed, live):
    _ctx, creds = fed
    rp, _verifier, _nonce, url = start_pyjwt(live, creds)
    with browser(live) as http:
        code = code_from(through_sign_in(http, url))["code"]
        wrong = rp.exchange(http, code, pkce_pair()[0])
        assert wrong.status_code == 400 and "challenge" in wrong.json()["error_description"]
        rp2, verifier2, _n, url2 = start_pyjwt(live, creds)
        code2 = code_from(http.get(url2))["code"]
        bad_secret = rp2.exchange(http, code2, verifier2, secret="not-the-secret")
    assert bad_secret.status_code == 401 and bad_secret.json()["error"] == "invalid_client"


def test_an_expired_code_is_refused(fed_db, live):
    _ctx, creds = fed_db
    rp, verifier, _nonce, url = start_pyjwt(live, creds)
    with browser(live) as http:
        code = code_from(through_sign_in(http, url))["code"]
        AuthorizationCode.update(expires_at="2000-01-01T00:00:00+00:00").execute()
        answer = rp.exchange(http, code, verifier)
    assert answer.status_code == 400 and "expired" in answer.json()["error_description"]


def test_unregistered_redirect_uri_and_unknown_client_get_a_page_not_a_redirect(fed, live):
    _ctx, creds = fed
    _rp, _v, _n, url = start_pyjwt(live, creds)
    evil = url.replace(
        urllib.parse.quote(creds["redirect_uri"], safe=""), "https%3A%2F%2Fevil.example%2Fcb"
    )
    assert evil != url
    with browser(live) as http:
        answer = http.get(evil)
        unknown = http.get(url.replace(creds["client_id"], "nobody"))
    assert answer.status_code == 400 and "location" not in answer.headers
    assert "redirect" in answer.text.lower()
    assert unknown.status_code == 400 and "location" not in unknown.headers


def test_a_public_client_must_use_pkce(fed, live):
    params = {
        "response_type": "code",
        "client_id": live.rp1.client_id,
        "redirect_uri": live.rp1.redirect_uri,
        "scope": "openid",
        "state": "s",
    }
    with browser(live) as http:
        answer = http.get("/oidc/authorize?" + urllib.parse.urlencode(params))
    query = code_from(answer)
    assert query["error"] == "invalid_request" and "PKCE" in query["error_description"]


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"enabled": False}, "turned off"),
        ({"locked_until": "2999-01-01T00:00:00+00:00"}, "locked"),
        ({"must_change_password": True}, "new password"),
    ],
)
def test_no_token_for_an_account_disabled_locked_or_reset_after_the_code(fed, live, change, reason):
    _ctx, creds = fed
    rp, verifier, _nonce, url = start_pyjwt(live, creds)
    with browser(live) as http:
        code = code_from(through_sign_in(http, url))["code"]
        PortalAccount.update(**change).where(PortalAccount.username == "alopez").execute()
        answer = rp.exchange(http, code, verifier)
    assert answer.status_code == 400 and reason in answer.json()["error_description"]


@pytest.mark.parametrize("username", ["rchen", "ppatel"])
def test_disabled_and_locked_accounts_cannot_sign_in_to_reach_a_client(fed, live, username):
    _ctx, creds = fed
    _rp, _v, _n, url = start_pyjwt(live, creds)
    with browser(live) as http:
        first = http.get(url)
        refused = sign_in(http, first.headers["location"], username, PASSWORD)
        again = http.get(url)
    assert refused.status_code == 400 and "did not work" in refused.text
    assert again.status_code == 303 and again.headers["location"].startswith("/sign-in")


def test_prompt_login_and_max_age_send_the_parent_back_to_the_password(fed, live):
    ctx, creds = fed
    with browser(live) as http:
        _rp, _v, _n, url = start_pyjwt(live, creds)
        code_from(through_sign_in(http, url))
        _rp, _v, _n, forced = start_pyjwt(live, creds, prompt="login")
        answer = http.get(forced)
        assert answer.status_code == 303 and "reauth=1" in answer.headers["location"]
        _rp, _v, _n, aged = start_pyjwt(live, creds, max_age="60")
        assert code_from(http.get(aged))["code"]  # signed in moments ago: no new password
        ctx.clock.advance(seconds=61)
        _rp, _v, _n, aged = start_pyjwt(live, creds, max_age="60")
        assert http.get(aged).headers["location"].startswith("/sign-in")
        # After typing the password again the code is issued.
        assert code_from(through_sign_in(http, forced))["code"]
        _rp, _v, _n, none = start_pyjwt(live, creds, prompt="none")
    with browser(live) as fresh:
        assert code_from(fresh.get(none))["error"] == "login_required"


def test_userinfo_refuses_a_token_after_a_password_reset(fed, live):
    _ctx, creds = fed
    rp, verifier, _nonce, url = start_pyjwt(live, creds)
    with browser(live) as http:
        code = code_from(through_sign_in(http, url))["code"]
        access = rp.exchange(http, code, verifier).json()["access_token"]
        headers = {"Authorization": f"Bearer {access}"}
        assert http.get("/oidc/userinfo", headers=headers).status_code == 200
        account = PortalAccount.get(PortalAccount.username == "alopez")
        PortalAccount.update(session_epoch=account.session_epoch + 1).where(
            PortalAccount.id == account.id
        ).execute()
        assert http.get("/oidc/userinfo", headers=headers).status_code == 401


def test_end_session_signs_out_and_returns_only_to_a_registered_uri(fed, live):
    _ctx, creds = fed
    rp, verifier, _nonce, url = start_pyjwt(live, creds)
    with browser(live) as http:
        code = code_from(through_sign_in(http, url))["code"]
        id_token = rp.exchange(http, code, verifier).json()["id_token"]
        evil = http.get(
            "/oidc/end-session",
            params={"id_token_hint": id_token, "post_logout_redirect_uri": "https://evil.example/"},
        )
        assert evil.status_code == 200 and "not registered" in evil.text
        _rp, _v, _n, url2 = start_pyjwt(live, creds)
        assert http.get(url2).headers["location"].startswith("/sign-in")  # signed out
        code_from(through_sign_in(http, url2))
        answer = http.get(
            "/oidc/end-session",
            params={
                "id_token_hint": id_token,
                "post_logout_redirect_uri": creds["redirect_uri"],
                "state": "bye",
            },
        )
    assert answer.status_code == 303
    assert answer.headers["location"] == creds["redirect_uri"] + "?state=bye"


def test_end_session_without_a_hint_asks_before_signing_out(fed, live):
    _ctx, creds = fed
    _rp, _v, _n, url = start_pyjwt(live, creds)
    with browser(live) as http:
        code_from(through_sign_in(http, url))
        asked = http.get(
            "/oidc/end-session", params={"post_logout_redirect_uri": creds["redirect_uri"]}
        )
        assert asked.status_code == 200 and "Sign out of Front Desk?" in asked.text
        _rp, _v, _n, url2 = start_pyjwt(live, creds)
        assert code_from(http.get(url2))["code"]  # still signed in: a link cannot sign out
        token = re.search(r'name="csrf" value="([^"]+)"', asked.text).group(1)
        forged = http.post("/oidc/end-session/confirm", data={"csrf": "0" * 64})
        assert forged.status_code == 403
        done = http.post(
            "/oidc/end-session/confirm",
            data={
                "csrf": token,
                "post_logout_redirect_uri": creds["redirect_uri"],
                "client_id": creds["client_id"],
            },
        )
        assert done.status_code == 303 and done.headers["location"] == creds["redirect_uri"]
        _rp, _v, _n, url3 = start_pyjwt(live, creds)
        assert http.get(url3).headers["location"].startswith("/sign-in")


def test_clients_test_passes_against_the_live_discovery_document(fed, live):
    from kiosk.federation import checks

    ctx, _creds = fed
    findings = checks.check_client(ctx, "canvas")
    assert [f.text for f in findings if f.level == "problem"] == []
    assert any(f.level == "ok" and "discovery document" in f.text for f in findings)
    assert any(f.level == "warning" and "https" in f.text for f in findings)  # a test address
    metadata = checks.read_document(f"{live.base}/saml/metadata", 1_000_000)
    assert "IDPSSODescriptor" in metadata

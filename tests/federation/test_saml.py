"""SAML 2.0 single sign-on against two real service providers (pysaml2 and python3-saml).

One uvicorn server per module runs Front Desk's federation routes beside both SPs; httpx walks
the browser's part (the sign-in form, the auto-posting response page). Each test has its own
database, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import base64
import html.parser
import re
import urllib.parse
import zlib

import httpx
import pytest

from kiosk.federation import saml_idp
from kiosk.store.models import AuditEvent, PortalAccount
from tests.federation.peers import browser, register_peers, sign_in

PASSWORD = "blue-river-stone-lamp"


@pytest.fixture
def fed(ctx, live):
    """Peers registered in this test's SQLite database."""
    register_peers(ctx, live)
    return ctx


@pytest.fixture
def fed_db(any_ctx, live):
    """The same on SQLite and on PostgreSQL (the flows that write most)."""

    register_peers(any_ctx, live)
    return any_ctx


class _Form(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.action = a.get("action", "")
        if tag == "input" and a.get("type") == "hidden":
            self.fields[a["name"]] = a.get("value", "")


def posted_form(page: str) -> _Form:
    form = _Form()
    form.feed(page)
    return form


def sign_in_and_get_response(http: httpx.Client, start_url: str, username="alopez") -> _Form:
    """Follow the SP's redirect to Front Desk, sign in, and return the auto-post form."""
    answer = http.get(start_url)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/sign-in")
    answer = sign_in(http, answer.headers["location"], username, PASSWORD)
    assert answer.status_code == 303, answer.text
    answer = http.get(answer.headers["location"])
    assert answer.status_code == 200, answer.text
    return posted_form(answer.text)


def post_to_sp(http: httpx.Client, form: _Form) -> httpx.Response:
    return http.post(form.action, data=form.fields)


def test_pysaml2_sp_gets_a_signed_username_assertion(fed_db, live):
    with browser(live) as http:
        form = sign_in_and_get_response(
            http, live.sp1.login_url(saml_idp.endpoints(fed_db.config).entity_id)
        )
        assert form.action == live.sp1.acs
        xml = base64.b64decode(form.fields["SAMLResponse"]).decode()
        assert xml.count("rsa-sha256") >= 2  # the response and the assertion are both signed
        assert "InResponseTo=" in xml and "NotOnOrAfter=" in xml
        assert form.fields["RelayState"] == "sp1-state"
        result = post_to_sp(http, form).json()
    assert result["ok"], result
    assert result["name_id"] == "alopez"
    assert result["attributes"] == {"username": ["alopez"]}  # only the profile's attributes
    assert result["audience"] == live.sp1.entity_id
    assert live.sp1.consume(form.fields["SAMLResponse"])["ok"] is False  # a replay is refused
    event = AuditEvent.select().where(AuditEvent.action == "federation.saml_assertion").get()
    assert event.target == "G-1003" and '"sp": "campus"' in event.detail
    assert form.fields["SAMLResponse"][:40] not in event.detail


def test_python3_saml_sp_gets_the_guardian_id_and_a_replay_is_refused(fed_db, live):
    with browser(live) as http:
        form = sign_in_and_get_response(http, live.sp2.login_url())
        assert form.action == live.sp2.acs
        first = post_to_sp(http, form)
        again = post_to_sp(http, form)
    assert first.json() == {
        "ok": True,
        "name_id": "G-1003",
        "attributes": {"authenticationId": ["G-1003"]},
    }
    assert again.status_code == 403 and again.json()["ok"] is False


def test_one_front_desk_session_serves_both_sps(fed, live):
    with browser(live) as http:
        sign_in_and_get_response(http, live.sp1.login_url(saml_idp.endpoints(fed.config).entity_id))
        answer = http.get(live.sp2.login_url())  # already signed in: straight to the response
        assert answer.status_code == 200
        result = post_to_sp(http, posted_form(answer.text)).json()
    assert result["ok"] and result["name_id"] == "G-1003"


def test_a_tampered_response_is_rejected_by_both_sps(fed, live):
    with browser(live) as http:
        form = sign_in_and_get_response(
            http, live.sp1.login_url(saml_idp.endpoints(fed.config).entity_id)
        )
    xml = base64.b64decode(form.fields["SAMLResponse"]).decode()
    forged = xml.replace(">alopez<", ">rchen<")
    assert forged != xml
    encoded = base64.b64encode(forged.encode()).decode()
    assert live.sp1.consume(encoded)["ok"] is False
    assert live.sp2.consume(encoded)["ok"] is False


def test_post_binding_request_resumes_after_sign_in(fed, live):
    from saml2 import BINDING_HTTP_POST

    client = live.sp1.client()
    req_id, request = client.create_authn_request(
        saml_idp.endpoints(fed.config).saml_sso, binding=BINDING_HTTP_POST
    )
    live.sp1.outstanding[req_id] = "/"
    encoded = base64.b64encode(str(request).encode()).decode()
    with browser(live) as http:
        answer = http.post("/saml/sso", data={"SAMLRequest": encoded, "RelayState": "p"})
        assert answer.status_code == 303
        answer = sign_in(http, answer.headers["location"], "alopez", PASSWORD)
        answer = http.get(answer.headers["location"])
        result = post_to_sp(http, posted_form(answer.text)).json()
    assert result["ok"] and result["name_id"] == "alopez"


def _redirect_request(xml: str) -> str:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    deflated = compressor.compress(xml.encode()) + compressor.flush()
    return base64.b64encode(deflated).decode()


def test_unknown_sp_and_wrong_acs_are_refused_with_a_reason(fed, live):
    entity = saml_idp.endpoints(fed.config).entity_id
    url = live.sp1.login_url(entity, acs="https://evil.example/acs")
    with browser(live) as http:
        wrong = http.get(url)
        assert wrong.status_code == 403
        assert "has not registered" in wrong.text
        query = dict(
            urllib.parse.parse_qsl(urllib.parse.urlsplit(live.sp1.login_url(entity)).query)
        )
        xml = zlib.decompress(base64.b64decode(query["SAMLRequest"]), -15).decode()
        stranger = xml.replace(live.sp1.entity_id, "https://stranger.example/sp")
        unknown = http.get("/saml/sso", params={"SAMLRequest": _redirect_request(stranger)})
        assert unknown.status_code == 404 and "not registered" in unknown.text
        garbage = http.get("/saml/sso", params={"SAMLRequest": "bm90IHhtbA=="})
        assert garbage.status_code == 400 and "could not read" in garbage.text


def test_unsolicited_only_where_the_sp_allows_it(fed, live):
    from kiosk.store.models import ServiceProvider

    with browser(live) as http:
        refused = http.get("/saml/start/powerschool")
        assert refused.status_code == 403 and "only accepts sign-ins it asked for" in refused.text
        spanish = http.get("/saml/start/powerschool", headers={"Accept-Language": "es"})
        assert "solo acepta inicios de sesión que él mismo pidió" in spanish.text
        assert 'lang="es"' in spanish.text
        ServiceProvider.update(allow_unsolicited=True).where(
            ServiceProvider.name == "powerschool"
        ).execute()
        form = sign_in_and_get_response(http, "/saml/start/powerschool")
    xml = base64.b64decode(form.fields["SAMLResponse"]).decode()
    assert "InResponseTo" not in xml and form.action == live.sp2.acs


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"enabled": False}, "turned off"),
        ({"locked_until": "2999-01-01T00:00:00+00:00"}, "locked"),
        ({"must_change_password": True}, "new password"),
    ],
)
def test_nothing_is_issued_for_an_unusable_account(ctx, live, change, reason):
    """Even with a live Front Desk session, the account is checked again before signing."""
    register_peers(ctx, live)
    request = saml_idp.SsoRequest("campus", live.sp1.entity_id, live.sp1.acs, "id-1", "")
    account = PortalAccount.get(PortalAccount.username == "alopez")
    PortalAccount.update(**change).where(PortalAccount.id == account.id).execute()
    with pytest.raises(Exception, match=reason):
        saml_idp.respond(ctx, request, account.id)
    event = AuditEvent.select().where(AuditEvent.action == "federation.saml_assertion").get()
    assert event.outcome != "ok"


@pytest.mark.parametrize("action", ["disable", "reset"])
def test_staff_disable_or_reset_ends_the_federated_session(fed, live, action):
    from kiosk.services.staff import disable_account, reset_password
    from tests.conftest import staff_actor

    with browser(live) as http:
        sign_in_and_get_response(http, live.sp1.login_url(saml_idp.endpoints(fed.config).entity_id))
        answer = http.get(live.sp2.login_url())
        assert answer.status_code == 200  # signed in: straight to the signed response
        desk = staff_actor(fed, "desk")
        if action == "disable":
            disable_account(fed, desk, "alopez")
        else:
            reset_password(fed, desk, "alopez", "photo_id")
        answer = http.get(live.sp2.login_url())
    assert answer.status_code == 303 and answer.headers["location"].startswith("/sign-in")


def test_email_profile_needs_a_verified_email(ctx, live):
    from kiosk.auth import SYSTEM
    from kiosk.federation import registry

    register_peers(ctx, live)
    registry.remove_sp(ctx, SYSTEM, "campus")
    registry.add_sp(ctx, SYSTEM, "classlink", live.sp1.metadata(), "email")
    request = saml_idp.SsoRequest("classlink", live.sp1.entity_id, live.sp1.acs, None, "")
    account = PortalAccount.get(PortalAccount.username == "alopez")
    answer = saml_idp.respond(ctx, request, account.id)
    xml = base64.b64decode(answer.saml_response).decode()
    assert account.recovery_email in xml and "emailAddress" in xml
    assert "alopez<" not in xml  # the username is not released to an email-profile SP
    PortalAccount.update(recovery_email_verified=False).where(
        PortalAccount.id == account.id
    ).execute()
    with pytest.raises(Exception, match="not confirmed"):
        saml_idp.respond(ctx, request, account.id)


def test_metadata_publishes_the_sso_bindings_and_the_old_certificate(fed, live):
    from kiosk.federation import keys

    with browser(live) as http:
        xml = http.get("/saml/metadata").text
    assert "HTTP-Redirect" in xml and "HTTP-POST" in xml
    assert len(re.findall("X509Certificate>", xml)) == 2  # one signing certificate (open+close)
    assert keys.cert_body(keys.load(fed.config).cert_pem) in xml

"""Real federation peers for the tests, each built on a library not written here.

- ``Pysaml2Sp``: a SAML service provider on pysaml2 (``saml2.client.Saml2Client``).
- ``OneLoginSp``: a second SAML SP on python3-saml (OneLogin's toolkit).
- ``AuthlibRp``: an OpenID Connect relying party on Authlib's requests client and joserfc.
- ``PyJwtRp``: a second RP validating ID tokens with PyJWT (``PyJWKClient``).

Each peer is a small Starlette app mounted beside Front Desk in one uvicorn server, so a real
browser (or httpx) walks the whole round trip over HTTP. Front Desk is the real parent web
(``create_app``), sign-in page, CSRF and server-side sessions included.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import secrets
import shutil
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route

from kiosk.federation import keys


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- Front Desk: the real parent web with the federation routes ---------------------------------


class FrontDesk:
    """The real ``create_app(ctx)``, rebuilt for each test's context behind one live server."""

    def __init__(self) -> None:
        self.app: Any = None

    def use(self, ctx: Any) -> None:
        from kiosk.cli.start import create_secret_key
        from kiosk.web.app import create_app

        create_secret_key(ctx.config)  # what ``kiosk init`` does; the web signs forms with it
        self.app = create_app(ctx)

    async def __call__(self, scope, receive, send) -> None:
        await self.app(scope, receive, send)


def sign_in(http: Any, sign_in_url: str, username: str, password: str):
    """Fill Front Desk's real sign-in form (with its CSRF token) as a browser would."""
    page = http.get(sign_in_url)
    assert page.status_code == 200, page.text
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    action = re.search(r'<form method="post" action="(/sign-in[^"]*)"', page.text)
    assert token and action
    return http.post(
        html.unescape(action.group(1)),
        data={"csrf": token.group(1), "username": username, "password": password},
    )


# -- SAML service providers ---------------------------------------------------------------------


def sp_keypair(folder: Path) -> tuple[Path, Path]:
    key, cert = folder / "sp.key", folder / "sp.crt"
    if not key.exists():
        key_pem, cert_pem = keys.new_pair("test sp", key_bits=2048)
        key.write_bytes(key_pem)
        cert.write_bytes(cert_pem)
    return key, cert


class SpApp:
    """The SP's two pages: /login (start a sign-in at Front Desk) and /acs (receive it)."""

    prefix = ""

    def login_url(self) -> str:
        raise NotImplementedError

    def consume(self, saml_response: str) -> dict:
        raise NotImplementedError

    async def login(self, request: Request) -> Response:
        return RedirectResponse(self.login_url())

    async def acs_endpoint(self, request: Request) -> Response:
        form = await request.form()
        result = self.consume(str(form.get("SAMLResponse", "")))
        return JSONResponse(result, status_code=200 if result["ok"] else 403)

    def mount(self) -> Mount:
        return Mount(
            self.prefix,
            routes=[
                Route("/login", self.login),
                Route("/acs", self.acs_endpoint, methods=["POST"]),
            ],
        )


class Pysaml2Sp(SpApp):
    """pysaml2 as a service provider, mounted at ``/sp1``."""

    prefix = "/sp1"

    def __init__(self, base: str, folder: Path) -> None:
        self.base = base
        self.entity_id = f"{base}{self.prefix}/metadata"
        self.acs = f"{base}{self.prefix}/acs"
        self.key, self.cert = sp_keypair(folder)
        self.outstanding: dict[str, str] = {}
        self.idp_metadata = ""
        self.idp_entity_id = ""

    def _config(self, with_idp: bool, acs: str | None = None):
        from saml2 import BINDING_HTTP_POST
        from saml2.config import SPConfig

        data: dict[str, Any] = {
            "entityid": self.entity_id,
            "xmlsec_binary": shutil.which("xmlsec1"),
            "key_file": str(self.key),
            "cert_file": str(self.cert),
            "allow_unknown_attributes": True,
            "service": {
                "sp": {
                    "endpoints": {
                        "assertion_consumer_service": [(acs or self.acs, BINDING_HTTP_POST)]
                    },
                    "want_response_signed": True,
                    "want_assertions_signed": True,
                    "allow_unsolicited": False,
                    "authn_requests_signed": False,
                }
            },
        }
        if with_idp:
            data["metadata"] = {"inline": [self.idp_metadata]}
        config = SPConfig()
        config.load(data)
        return config

    def metadata(self) -> str:
        from saml2.metadata import entity_descriptor

        return str(entity_descriptor(self._config(False)))

    def client(self):
        from saml2.client import Saml2Client

        return Saml2Client(config=self._config(True))

    def login_url(self, idp_entity_id: str = "", *, acs: str | None = None) -> str:
        from saml2 import BINDING_HTTP_REDIRECT

        client = self.client()
        kwargs = {"assertion_consumer_service_urls": (acs,)} if acs else {}
        req_id, info = client.prepare_for_authenticate(
            entityid=idp_entity_id,
            relay_state="sp1-state",
            binding=BINDING_HTTP_REDIRECT,
            **kwargs,
        )
        self.outstanding[req_id] = "/"
        return dict(info["headers"])["Location"]

    def consume(self, saml_response: str) -> dict:
        from saml2 import BINDING_HTTP_POST

        try:
            response = self.client().parse_authn_request_response(
                saml_response, BINDING_HTTP_POST, outstanding=dict(self.outstanding)
            )
        except Exception as exc:  # the SP's verdict, whatever pysaml2 raises
            return {"ok": False, "error": type(exc).__name__}
        if response is None:
            return {"ok": False, "error": "no response"}
        self.outstanding.pop(response.in_response_to, None)  # each request answered once
        assertion = response.assertion
        return {
            "ok": True,
            "name_id": response.name_id.text,
            "name_id_format": response.name_id.format,
            "attributes": response.ava,
            "audience": assertion.conditions.audience_restriction[0].audience[0].text,
            "issuer": response.issuer(),
        }


class OneLoginSp(SpApp):
    """python3-saml (OneLogin's toolkit) as a second, independent service provider."""

    prefix = "/sp2"

    def __init__(self, base: str) -> None:
        self.base = base
        self.entity_id = f"{base}{self.prefix}/metadata"
        self.acs = f"{base}{self.prefix}/acs"
        self.idp: dict[str, str] = {}
        self.requests: set[str] = set()
        self.seen_assertions: set[str] = set()

    def settings(self) -> dict:
        return {
            "strict": True,
            "sp": {
                "entityId": self.entity_id,
                "assertionConsumerService": {
                    "url": self.acs,
                    "binding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
                },
                "NameIDFormat": "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
            },
            "idp": {
                "entityId": self.idp.get("entity_id", ""),
                "singleSignOnService": {
                    "url": self.idp.get("sso", ""),
                    "binding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect",
                },
                "x509cert": self.idp.get("cert", ""),
            },
            "security": {
                "wantAssertionsSigned": True,
                "wantMessagesSigned": True,
                "rejectUnsolicitedResponsesWithInResponseTo": True,
                "signatureAlgorithm": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
            },
        }

    def metadata(self) -> str:
        from onelogin.saml2.settings import OneLogin_Saml2_Settings

        return OneLogin_Saml2_Settings(self.settings(), sp_validation_only=True).get_sp_metadata()

    def _request_data(self, post: dict | None = None, query: dict | None = None) -> dict:
        parts = urllib.parse.urlsplit(self.base)
        return {
            "https": "off",
            "http_host": parts.hostname,
            "server_port": str(parts.port),
            "script_name": f"{self.prefix}/acs",
            "get_data": query or {},
            "post_data": post or {},
        }

    def login_url(self) -> str:
        from onelogin.saml2.auth import OneLogin_Saml2_Auth

        auth = OneLogin_Saml2_Auth(self._request_data(), self.settings())
        url = auth.login(return_to="sp2-state")
        self.requests.add(auth.get_last_request_id())
        return url

    def consume(self, saml_response: str, request_id: str | None = None) -> dict:
        from onelogin.saml2.auth import OneLogin_Saml2_Auth

        auth = OneLogin_Saml2_Auth(
            self._request_data(post={"SAMLResponse": saml_response}), self.settings()
        )
        ids = [request_id] if request_id else sorted(self.requests)
        errors: list[str] = ["no outstanding request"]
        for rid in ids or [None]:
            auth.process_response(request_id=rid)
            errors = auth.get_errors()
            if not errors:
                break
        if errors:
            return {"ok": False, "error": ",".join(errors), "reason": auth.get_last_error_reason()}
        assertion_id = auth.get_last_assertion_id()
        if assertion_id in self.seen_assertions:
            return {"ok": False, "error": "replayed assertion"}
        self.seen_assertions.add(assertion_id)
        return {
            "ok": True,
            "name_id": auth.get_nameid(),
            "attributes": auth.get_attributes(),
        }


def idp_settings_for_onelogin(metadata_xml: str) -> dict[str, str]:
    from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

    parsed = OneLogin_Saml2_IdPMetadataParser.parse(metadata_xml)["idp"]
    return {
        "entity_id": parsed["entityId"],
        "sso": parsed["singleSignOnService"]["url"],
        "cert": parsed.get("x509cert", ""),
    }


# -- OpenID Connect relying parties ------------------------------------------------------------


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.decode().rstrip("=")


class AuthlibRp:
    """Authlib's OAuth 2 client (requests) with PKCE; ID tokens checked with joserfc."""

    prefix = "/rp1"

    def __init__(self, base: str) -> None:
        self.base = base
        self.redirect_uri = f"{base}{self.prefix}/callback"
        self.client_id = ""
        self.client_secret = ""
        self.pending: dict[str, dict] = {}

    def session(self):
        from authlib.integrations.requests_client import OAuth2Session

        return OAuth2Session(
            self.client_id,
            self.client_secret or None,
            scope="openid profile email guardian",
            redirect_uri=self.redirect_uri,
            code_challenge_method="S256",
            token_endpoint_auth_method="client_secret_basic" if self.client_secret else "none",
        )

    def login_url(self, **extra: str) -> str:
        verifier = secrets.token_urlsafe(48)
        nonce = secrets.token_urlsafe(16)
        url, state = self.session().create_authorization_url(
            f"{self.base}/oidc/authorize", nonce=nonce, code_verifier=verifier, **extra
        )
        self.pending[state] = {"verifier": verifier, "nonce": nonce}
        return url

    def finish(self, callback_url: str) -> dict:
        from authlib.oidc.core import CodeIDToken
        from joserfc import jwt
        from joserfc.jwk import KeySet

        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(callback_url).query))
        if "error" in query:
            return {"ok": False, "error": query["error"]}
        pending = self.pending.pop(query.get("state", ""), None)
        if pending is None:
            return {"ok": False, "error": "unknown state"}
        sess = self.session()
        try:
            token = sess.fetch_token(
                f"{self.base}/oidc/token",
                authorization_response=callback_url,
                code_verifier=pending["verifier"],
            )
        except Exception as exc:  # the RP's verdict: Authlib raises OAuthError
            return {"ok": False, "error": str(exc)}
        discovery = sess.get(f"{self.base}/.well-known/openid-configuration").json()
        keyset = KeySet.import_key_set(sess.get(discovery["jwks_uri"]).json())
        decoded = jwt.decode(token["id_token"], keyset, algorithms=["RS256"])
        claims = CodeIDToken(
            decoded.claims,
            decoded.header,
            {"iss": {"values": [discovery["issuer"]]}},
            {"nonce": pending["nonce"], "client_id": self.client_id},
        )
        claims.validate()
        info = sess.get(discovery["userinfo_endpoint"]).json()  # with the fetched token
        result = {"ok": True, "id_token": dict(claims), "userinfo": info, "token": token}
        return result

    async def login(self, request: Request) -> Response:
        return RedirectResponse(self.login_url())

    def callback(self, request: Request) -> Response:
        result = self.finish(str(request.url))
        shown = {k: v for k, v in result.items() if k != "token"}
        return JSONResponse(shown, status_code=200 if result["ok"] else 403)

    def mount(self) -> Mount:
        return Mount(
            self.prefix, routes=[Route("/login", self.login), Route("/callback", self.callback)]
        )


class PyJwtRp:
    """A second relying party: plain HTTP with httpx, ID token validated by PyJWT."""

    def __init__(self, base: str, client_id: str, client_secret: str, redirect_uri: str) -> None:
        self.base, self.client_id, self.client_secret = base, client_id, client_secret
        self.redirect_uri = redirect_uri

    def authorize_params(self, nonce: str, challenge: str, **extra: str) -> dict[str, str]:
        return {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "scope": "openid profile email guardian",
            "state": secrets.token_urlsafe(8),
            "nonce": nonce,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            **extra,
        }

    def exchange(self, http, code: str, verifier: str, secret: str | None = None):
        return http.post(
            f"{self.base}/oidc/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": self.redirect_uri,
                "code_verifier": verifier,
            },
            auth=(self.client_id, self.client_secret if secret is None else secret),
        )

    def validate(self, id_token: str, nonce: str) -> dict:
        import jwt

        config = __import__("httpx").get(f"{self.base}/.well-known/openid-configuration").json()
        signing_key = jwt.PyJWKClient(config["jwks_uri"]).get_signing_key_from_jwt(id_token)
        claims = jwt.decode(
            id_token,
            signing_key.key,
            algorithms=["RS256"],
            audience=self.client_id,
            issuer=config["issuer"],
            options={"require": ["exp", "iat", "sub", "aud", "iss", "nonce", "auth_time"]},
        )
        if claims["nonce"] != nonce:
            raise ValueError("nonce mismatch")
        return claims


# -- one live server for Front Desk and its peers -----------------------------------------------


class LiveServer:
    """uvicorn in a thread on 127.0.0.1, stopped by ``stop``."""

    def __init__(self, app: Starlette, port: int) -> None:
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> None:
        self.thread.start()
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def shared_keys(folder: Path) -> dict[str, str]:
    """[federation] settings pointing at one key pair made once for a test module."""
    from kiosk.config import config_from_dict

    settings = {
        "key_file": str(folder / "federation.key"),
        "cert_file": str(folder / "federation.crt"),
        "old_cert_file": str(folder / "federation-old.crt"),
    }
    keys.ensure_keys(config_from_dict({"federation": settings}))
    return settings


# -- fixtures shared by the federation test modules ---------------------------------------------


@dataclass
class Live:
    app: Starlette
    base: str
    settings: dict[str, str]
    folder: Path
    front_desk: FrontDesk
    sp1: Pysaml2Sp
    sp2: OneLoginSp
    rp1: AuthlibRp


def start_live(folder: Path) -> tuple[Live, LiveServer]:
    if shutil.which("xmlsec1") is None:
        pytest.skip("SAML tests need Debian's xmlsec1 (apt install xmlsec1)")
    settings = shared_keys(folder)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    front_desk = FrontDesk()
    sp1, sp2, rp1 = Pysaml2Sp(base, folder), OneLoginSp(base), AuthlibRp(base)
    app = Starlette(routes=[sp1.mount(), sp2.mount(), rp1.mount(), Mount("/", app=front_desk)])
    server = LiveServer(app, port)
    server.start()
    return Live(app, base, settings, folder, front_desk, sp1, sp2, rp1), server


def register_peers(ctx: Any, live: Live, *, sp1_profile: str = "username") -> dict[str, str]:
    """Register the peers in this test's database; returns the PyJWT client's credentials."""
    from kiosk.auth import SYSTEM
    from kiosk.federation import registry, saml_idp

    live.front_desk.use(ctx)
    registry.add_sp(ctx, SYSTEM, "campus", live.sp1.metadata(), sp1_profile)
    registry.add_sp(ctx, SYSTEM, "powerschool", live.sp2.metadata(), "guardian-id")
    metadata = saml_idp.metadata_xml(ctx)
    live.sp1.idp_metadata = metadata
    live.sp1.idp_entity_id = saml_idp.endpoints(ctx.config).entity_id
    live.sp2.idp = idp_settings_for_onelogin(metadata)
    live.sp1.outstanding.clear()
    live.sp2.requests.clear()
    rp1 = registry.add_client(ctx, SYSTEM, "canvas", [live.rp1.redirect_uri], public=True)
    live.rp1.client_id, live.rp1.client_secret = rp1.client.client_id, ""
    rp2 = registry.add_client(ctx, SYSTEM, "portal", [f"{live.base}/rp2/callback"])
    return {
        "client_id": rp2.client.client_id,
        "secret": rp2.secret,
        "redirect_uri": f"{live.base}/rp2/callback",
    }


def browser(live: Live):  # type: ignore[no-untyped-def]
    """An HTTP client that behaves like a browser without following redirects by itself."""
    import httpx

    return httpx.Client(base_url=live.base, follow_redirects=False, timeout=30)

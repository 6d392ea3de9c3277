"""HTTP routes of the identity provider: SAML (metadata, SSO) and OpenID Connect.

Route handlers only translate between HTTP and the federation services (which hold the rules
and the SQL) and run those blocking calls off the event loop. The parent's Front Desk session
comes from the parent web (``kiosk.web.session``): one session serves every SP and client.
The partners' own POSTs (SAML requests, token requests) carry no CSRF token by design: they are
checked by signature, client authentication and PKCE instead.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from kiosk.errors import KioskError, NotFound, PermissionDenied, message
from kiosk.federation import saml_idp
from kiosk.federation.oidc_provider import LOGIN_AFTER, HttpAnswer, HttpIn, Refusal, provider_for
from kiosk.i18n import explain
from kiosk.web.app import call
from kiosk.web.forms import checked_form, form_post, text
from kiosk.web.language import choose
from kiosk.web.session import end_session as end_web_session
from kiosk.web.session import sign_in_redirect, signed_in
from kiosk.web.templating import render

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
#: Largest SAML or token form read here (a real AuthnRequest is a few kilobytes).
MAX_FORM_BYTES = 64_000


def _ctx(request: Request) -> Any:
    return request.app.state.ctx


def _refused(request: Request, error: KioskError, status: int = 400) -> Response:
    return render(
        request,
        "federation_message.html",
        {
            "title": "Front Desk could not sign you in there",
            "message": explain(error, choose(request)),
        },
        status_code=status,
    )


def _status(exc: KioskError) -> int:
    return 404 if isinstance(exc, NotFound) else 403 if isinstance(exc, PermissionDenied) else 400


def _auth_time(user: Any) -> int:
    value = user.auth_time
    if hasattr(value, "timestamp"):
        return int(value.timestamp())
    if isinstance(value, str):
        import datetime as dt

        return int(dt.datetime.fromisoformat(value).timestamp())
    return int(value)


# -- SAML ---------------------------------------------------------------------------------------


async def saml_metadata(request: Request) -> Response:
    xml = await call(request, saml_idp.metadata_xml)
    return Response(xml, media_type="application/samlmetadata+xml")


async def _small_form(request: Request) -> dict[str, str]:
    """A cross-site form (SP or RP posting here: no CSRF token), read within a size limit."""
    if int(request.headers.get("content-length") or 0) > MAX_FORM_BYTES:
        raise KioskError("fed_too_large")
    form = await request.form(max_files=0, max_fields=16)
    return {k: v for k, v in form.items() if isinstance(v, str)}


async def saml_sso(request: Request) -> Response:
    post = request.method == "POST"
    try:
        params = await _small_form(request) if post else dict(request.query_params)
        message, relay = params.get("SAMLRequest", ""), params.get("RelayState", "")
        sso = await call(request, saml_idp.parse_request, message, relay, post=post)
    except KioskError as exc:
        return _refused(request, exc, _status(exc))
    user = signed_in(request)
    if user is None:
        # Resume through the Redirect binding after the sign-in page (a GET it can link to).
        encoded = saml_idp.redirect_encoding(message) if post else message
        query = urllib.parse.urlencode({"SAMLRequest": encoded, "RelayState": relay})
        return sign_in_redirect(request, f"/saml/sso?{query}")
    return await _saml_answer(request, sso, user)


async def saml_start(request: Request) -> Response:
    """IdP-initiated sign-in (``/saml/start/NAME``), only for SPs that allow it."""
    relay = request.query_params.get("RelayState", "")
    try:
        sso = await call(request, saml_idp.unsolicited, request.path_params["name"], relay)
    except KioskError as exc:
        return _refused(request, exc, _status(exc))
    user = signed_in(request)
    if user is None:
        return sign_in_redirect(request, request.url.path)
    return await _saml_answer(request, sso, user)


async def _saml_answer(request: Request, sso: saml_idp.SsoRequest, user: Any) -> Response:
    try:
        answer = await call(request, saml_idp.respond, sso, user.account_id)
    except KioskError as exc:
        return _refused(request, exc, _status(exc))
    fields = [("SAMLResponse", answer.saml_response)]
    if answer.relay_state:
        fields.append(("RelayState", answer.relay_state))
    page = render(request, "federation_post.html", {"action": answer.acs_url, "fields": fields})
    origin = urllib.parse.urlsplit(answer.acs_url)
    # The one page whose form leaves this site: only to the SP's registered ACS.
    page.headers["Content-Security-Policy"] = (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        f"base-uri 'none'; frame-ancestors 'none'; form-action 'self' "
        f"{origin.scheme}://{origin.netloc}"
    )
    page.headers.update(NO_STORE)
    return page


# -- OpenID Connect -----------------------------------------------------------------------------


def _http(answer: HttpAnswer) -> Response:
    if answer.location:
        return RedirectResponse(answer.location, status_code=302, headers=NO_STORE)
    headers = {**dict(answer.headers), **NO_STORE}
    headers.setdefault("Content-Type", "application/json")
    return Response(answer.body, status_code=answer.status, headers=headers)


async def discovery(request: Request) -> Response:
    return JSONResponse(await call(request, lambda ctx: provider_for(ctx).discovery()))


async def jwks(request: Request) -> Response:
    return JSONResponse(await call(request, lambda ctx: provider_for(ctx).jwks()))


def _again_path(request: Request, login_after: int | None) -> str:
    items = [(k, v) for k, v in request.query_params.multi_items() if k != LOGIN_AFTER]
    if login_after is not None:
        items.append((LOGIN_AFTER, str(login_after)))
    return f"{request.url.path}?{urllib.parse.urlencode(items)}"


async def authorize(request: Request) -> Response:
    req = HttpIn("GET", "/oidc/authorize", list(request.query_params.multi_items()))
    try:
        answer = await call(request, lambda ctx: provider_for(ctx).check(req))
        if answer is not None:
            return _http(answer)
        user = signed_in(request)
        if user is None:
            answer = await call(request, lambda ctx: provider_for(ctx).prompt_none_answer(req))
            return (
                _http(answer) if answer else sign_in_redirect(request, _again_path(request, None))
            )
        now = int(_ctx(request).clock.now().timestamp())
        auth_time = int(user.auth_time.timestamp())
        if provider_for(_ctx(request)).login_required(req, auth_time, now):
            forced = "login" in request.query_params.get("prompt", "").split()
            return sign_in_redirect(
                request, _again_path(request, now if forced else None), force=True
            )
        lang = choose(request)
        answer = await call(
            request, lambda ctx: provider_for(ctx).authorize(req, user.account_id, auth_time, lang)
        )
    except Refusal as exc:
        return _refused(request, exc, exc.status)
    return _http(answer)


async def token(request: Request) -> Response:
    try:
        form = await _small_form(request)
    except KioskError:
        return JSONResponse({"error": "invalid_request"}, status_code=413, headers=NO_STORE)
    req = HttpIn("POST", "/oidc/token", [], list(form.items()), request.headers)
    return _http(await call(request, lambda ctx: provider_for(ctx).token(req)))


async def userinfo(request: Request) -> Response:
    header = request.headers.get("authorization", "")
    return _http(await call(request, lambda ctx: provider_for(ctx).userinfo(header)))


LOGOUT_FIELDS = ("post_logout_redirect_uri", "state", "client_id", "id_token_hint")


async def end_session(request: Request) -> Response:
    """RP-initiated logout. With a valid ``id_token_hint`` the parent is signed out at once;
    without one (any site could link here) Front Desk asks first, with a CSRF-checked form."""
    try:
        raw = await _small_form(request) if request.method == "POST" else request.query_params
    except KioskError as exc:
        return _refused(request, exc)
    params = {k: str(raw.get(k, ""))[:4000] for k in LOGOUT_FIELDS if raw.get(k)}
    hint = params.get("id_token_hint")
    trusted = await call(request, lambda ctx: provider_for(ctx).hinted_client(hint) is not None)
    if trusted or signed_in(request) is None:
        return await _sign_out(request, params)
    fields = [(k, v) for k, v in params.items() if k != "id_token_hint"]
    return render(request, "federation_sign_out.html", {"fields": fields})


async def end_session_confirmed(request: Request) -> Response:
    form = await checked_form(request)
    return await _sign_out(request, {k: text(form, k, 4000) for k in LOGOUT_FIELDS if form.get(k)})


async def _sign_out(request: Request, params: dict[str, str]) -> Response:
    try:
        target = await call(request, lambda ctx: provider_for(ctx).logout_target(params))
    except KioskError as exc:
        target, note = None, explain(exc, choose(request))
    else:
        note = explain(message("fed_signed_out"), choose(request))
    if target:
        response: Response = RedirectResponse(target, status_code=303, headers=NO_STORE)
    else:
        response = render(
            request, "federation_message.html", {"title": "Signed out", "message": note}
        )
    end_web_session(request, response)
    return response


#: Partners post here across sites (no CSRF token by design): a SAML SP's AuthnRequest, an RP's
#: token and UserInfo calls, and RP-initiated logout (which asks the parent unless hinted).
PARTNER_POSTS = ("/saml/sso", "/oidc/token", "/oidc/userinfo", "/oidc/end-session")

routes: list[BaseRoute] = [
    Route("/saml/metadata", saml_metadata, methods=["GET"]),
    Route("/saml/sso", saml_sso, methods=["GET", "POST"]),
    Route("/saml/start/{name}", saml_start, methods=["GET"]),
    Route("/.well-known/openid-configuration", discovery, methods=["GET"]),
    Route("/oidc/jwks", jwks, methods=["GET"]),
    Route("/oidc/authorize", authorize, methods=["GET"]),
    Route("/oidc/token", token, methods=["POST"]),
    Route("/oidc/userinfo", userinfo, methods=["GET", "POST"]),
    Route("/oidc/end-session", end_session, methods=["GET", "POST"]),
    form_post("/oidc/end-session/confirm", end_session_confirmed),
]

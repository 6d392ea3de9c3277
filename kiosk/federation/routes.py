"""HTTP routes of the identity provider: SAML (metadata, SSO) and OpenID Connect.

Route handlers only translate between HTTP and the federation services (which hold the rules
and the SQL) and run those blocking calls off the event loop. The parent's Front Desk session
comes from the parent web (``kiosk.web.session``): one session serves every SP and client.
"""

from __future__ import annotations

import inspect
import urllib.parse
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from kiosk.errors import KioskError, NotFound, PermissionDenied
from kiosk.federation import saml_idp
from kiosk.federation.oidc_provider import LOGIN_AFTER, HttpAnswer, HttpIn, Refusal, provider_for
from kiosk.i18n import LANGUAGES, translate

HERE = Path(__file__).parent
_templates = Environment(
    loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True)
)
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
MAX_FORM_BYTES = 64_000


def _ctx(request: Request) -> Any:
    return request.app.state.ctx


async def _maybe(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


async def _signed_in(request: Request) -> Any:
    from kiosk.web import session

    return await _maybe(session.signed_in(request))


async def _to_sign_in(request: Request, next_path: str, *, force: bool = False) -> Response:
    from kiosk.web import session

    return await _maybe(session.sign_in_redirect(request, next_path, force=force))


def _lang(request: Request) -> str:
    chosen = request.cookies.get("lang", "")
    if chosen in LANGUAGES:
        return chosen
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return "en"


def _page(request: Request, name: str, status: int = 200, **values: Any) -> HTMLResponse:
    lang = _lang(request)
    values["title"] = translate(values["title"], lang)
    html = _templates.get_template(name).render(
        lang=lang, district=_ctx(request).config.district.name, **values
    )
    return HTMLResponse(html, status_code=status, headers=NO_STORE)


def _refused(request: Request, message: str, status: int = 400) -> HTMLResponse:
    return _page(
        request,
        "federation_message.html",
        status,
        title="Front Desk could not sign you in there",
        message=translate(message, _lang(request)),
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
    xml = await run_in_threadpool(saml_idp.metadata_xml, _ctx(request))
    return Response(xml, media_type="application/samlmetadata+xml")


async def _limited_form(request: Request) -> dict[str, str]:
    if int(request.headers.get("content-length") or 0) > MAX_FORM_BYTES:
        raise KioskError("The request is too large.")
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


async def saml_sso(request: Request) -> Response:
    post = request.method == "POST"
    try:
        params = await _limited_form(request) if post else dict(request.query_params)
        message, relay = params.get("SAMLRequest", ""), params.get("RelayState", "")
        sso = await run_in_threadpool(
            saml_idp.parse_request, _ctx(request), message, relay, post=post
        )
    except KioskError as exc:
        return _refused(request, str(exc), _status(exc))
    user = await _signed_in(request)
    if user is None:
        encoded = saml_idp.redirect_encoding(message) if post else message
        query = urllib.parse.urlencode({"SAMLRequest": encoded, "RelayState": relay})
        return await _to_sign_in(request, f"/saml/sso?{query}")
    return await _saml_answer(request, sso, user)


async def saml_start(request: Request) -> Response:
    """IdP-initiated sign-in (``/saml/start/NAME``), only for SPs that allow it."""
    try:
        sso = await run_in_threadpool(
            saml_idp.unsolicited,
            _ctx(request),
            request.path_params["name"],
            request.query_params.get("RelayState", ""),
        )
    except KioskError as exc:
        return _refused(request, str(exc), _status(exc))
    user = await _signed_in(request)
    if user is None:
        return await _to_sign_in(request, request.url.path)
    return await _saml_answer(request, sso, user)


async def _saml_answer(request: Request, sso: saml_idp.SsoRequest, user: Any) -> Response:
    try:
        answer = await run_in_threadpool(saml_idp.respond, _ctx(request), sso, user.account_id)
    except KioskError as exc:
        return _refused(request, str(exc), _status(exc))
    fields = [("SAMLResponse", answer.saml_response)]
    if answer.relay_state:
        fields.append(("RelayState", answer.relay_state))
    lang = _lang(request)
    page = _page(
        request,
        "federation_post.html",
        title="Signing you in",
        explanation=translate("Front Desk is sending your sign-in to the portal.", lang),
        button=translate("Continue to the portal", lang),
        action=answer.acs_url,
        fields=fields,
    )
    origin = urllib.parse.urlsplit(answer.acs_url)
    page.headers["Content-Security-Policy"] = (
        "default-src 'none'; script-src 'self'; style-src 'self'; base-uri 'none'; "
        f"frame-ancestors 'none'; form-action {origin.scheme}://{origin.netloc}"
    )
    return page


# -- OpenID Connect -----------------------------------------------------------------------------


def _http(answer: HttpAnswer) -> Response:
    headers = dict(answer.headers)
    headers.update(NO_STORE)
    if answer.location:
        return RedirectResponse(answer.location, status_code=302, headers=NO_STORE)
    headers.setdefault("Content-Type", "application/json")
    return Response(answer.body, status_code=answer.status, headers=headers)


async def discovery(request: Request) -> Response:
    provider = await run_in_threadpool(provider_for, _ctx(request))
    return JSONResponse(provider.discovery())


async def jwks(request: Request) -> Response:
    provider = await run_in_threadpool(provider_for, _ctx(request))
    return JSONResponse(provider.jwks())


def _again_path(request: Request, login_after: int | None) -> str:
    items = [(k, v) for k, v in request.query_params.multi_items() if k != LOGIN_AFTER]
    if login_after is not None:
        items.append((LOGIN_AFTER, str(login_after)))
    return f"{request.url.path}?{urllib.parse.urlencode(items)}"


async def authorize(request: Request) -> Response:
    provider = await run_in_threadpool(provider_for, _ctx(request))
    req = HttpIn("GET", "/oidc/authorize", list(request.query_params.multi_items()))
    try:
        answer = await run_in_threadpool(provider.check, req)
        if answer is not None:
            return _http(answer)
        user = await _signed_in(request)
        if user is None:
            answer = await run_in_threadpool(provider.prompt_none_answer, req)
            return (
                _http(answer) if answer else await _to_sign_in(request, _again_path(request, None))
            )
        now, auth_time = int(_ctx(request).clock.now().timestamp()), _auth_time(user)
        if provider.login_required(req, auth_time, now):
            again = _again_path(
                request, now if "login" in request.query_params.get("prompt", "") else None
            )
            return await _to_sign_in(request, again, force=True)
        answer = await run_in_threadpool(
            provider.authorize, req, user.account_id, auth_time, _lang(request)
        )
    except Refusal as exc:
        return _refused(request, str(exc))
    return _http(answer)


async def token(request: Request) -> Response:
    provider = await run_in_threadpool(provider_for, _ctx(request))
    try:
        form = await _limited_form(request)
    except KioskError:
        return JSONResponse({"error": "invalid_request"}, status_code=413, headers=NO_STORE)
    req = HttpIn("POST", "/oidc/token", [], list(form.items()), request.headers)
    return _http(await run_in_threadpool(provider.token, req))


async def userinfo(request: Request) -> Response:
    provider = await run_in_threadpool(provider_for, _ctx(request))
    answer = await run_in_threadpool(provider.userinfo, request.headers.get("authorization", ""))
    return _http(answer)


async def end_session(request: Request) -> Response:
    """RP-initiated logout: ends the Front Desk session (every SP and client with it)."""
    from kiosk.web import session

    provider = await run_in_threadpool(provider_for, _ctx(request))
    params = (
        await _limited_form(request) if request.method == "POST" else dict(request.query_params)
    )
    try:
        target = await run_in_threadpool(provider.logout_target, params)
    except KioskError as exc:
        target, note = None, str(exc)
    else:
        note = "You are signed out of Front Desk."
    if target:
        response: Response = RedirectResponse(target, status_code=303, headers=NO_STORE)
    else:
        response = _page(
            request,
            "federation_message.html",
            title="Signed out",
            message=translate(note, _lang(request)),
        )
    await _maybe(session.end_session(request, response))
    return response


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
    Mount("/federation/static", StaticFiles(directory=HERE / "static"), name="federation-static"),
]

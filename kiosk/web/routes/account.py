"""Account settings: password, recovery email (the old address is told), security pictures."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from kiosk.services import accounts
from kiosk.services.web_sessions import WebSessionState
from kiosk.web.app import call
from kiosk.web.forms import checked_form, form_post
from kiosk.web.guard import require_user
from kiosk.web.routes.setup import (
    confirm_email_code,
    email_values,
    liked_step,
    save_password,
    send_email_code,
    submit_pictures,
)
from kiosk.web.session import session_state
from kiosk.web.templating import render

DONE = {"password", "email", "pictures"}


def _signed_in(request: Request) -> WebSessionState | Response:
    user = require_user(request)
    if isinstance(user, Response):
        return user
    state = session_state(request)
    assert state is not None  # require_user found a usable session
    return state


def _done(what: str) -> Response:
    return RedirectResponse(f"/account?done={what}", status_code=303)


async def account_page(request: Request) -> Response:
    state = _signed_in(request)
    if isinstance(state, Response):
        return state
    profile = await call(request, accounts.profile, state.account)
    done = request.query_params.get("done", "")
    return render(
        request, "account.html", {"profile": profile, "done": done if done in DONE else ""}
    )


async def password_page(request: Request) -> Response:
    state = _signed_in(request)
    if isinstance(state, Response):
        return state
    return render(request, "account_password.html", {})


async def password_submit(request: Request) -> Response:
    form = await checked_form(request)
    state = _signed_in(request)
    if isinstance(state, Response):
        return state
    return await save_password(
        request, form, state, "account_password.html", {}, lambda: _done("password")
    )


async def email_page(request: Request) -> Response:
    state = _signed_in(request)
    if isinstance(state, Response):
        return state
    values = {**email_values(request, state, "/account/email"), "may_skip": False}
    return render(request, "email.html", values)


async def email_submit(request: Request) -> Response:
    state = _signed_in(request)
    if isinstance(state, Response):
        return state
    return await send_email_code(request, state, "/account/email")


async def email_confirm(request: Request) -> Response:
    state = _signed_in(request)
    if isinstance(state, Response):
        return state
    refused = await confirm_email_code(request, state, "/account/email")
    return refused or _done("email")


async def pictures_page(request: Request) -> Response:
    state = _signed_in(request)
    if isinstance(state, Response):
        return state
    return liked_step(request, state, "/account/pictures")


async def pictures_submit(request: Request) -> Response:
    state = _signed_in(request)
    if isinstance(state, Response):
        return state
    shown = await submit_pictures(request, state, "/account/pictures", with_password=True)
    return shown or _done("pictures")


routes: list[BaseRoute] = [
    Route("/account", account_page, methods=["GET"]),
    Route("/account/password", password_page, methods=["GET"]),
    form_post("/account/password", password_submit),
    Route("/account/email", email_page, methods=["GET"]),
    form_post("/account/email", email_submit),
    form_post("/account/email/confirm", email_confirm),
    Route("/account/pictures", pictures_page, methods=["GET"]),
    form_post("/account/pictures", pictures_submit),
]

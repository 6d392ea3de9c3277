"""Sign in (a fresh session every time) and sign out."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from kiosk.errors import KioskError
from kiosk.services import web_sessions
from kiosk.web.app import call
from kiosk.web.forms import checked_form, form_post, text
from kiosk.web.guard import next_step
from kiosk.web.language import choose, explain
from kiosk.web.limits import limited
from kiosk.web.session import (
    end_session,
    safe_next,
    session_id,
    session_state,
    set_session_cookie,
)
from kiosk.web.templating import render


def _page(request: Request, error: str = "", username: str = "", status: int = 200) -> Response:
    return render(
        request,
        "sign_in.html",
        {
            "error": error,
            "username": username,
            "next": safe_next(request.query_params.get("next"), "/students"),
            "reauth": request.query_params.get("reauth") == "1",
        },
        status_code=status,
    )


async def sign_in_page(request: Request) -> Response:
    reauth = request.query_params.get("reauth") == "1"
    if session_state(request) is not None and not reauth:
        return next_step(request, request.query_params.get("next", "/students"))
    return _page(request)


async def sign_in(request: Request) -> Response:
    form = await checked_form(request)
    username, password = text(form, "username", 256), text(form, "password", 4096)
    refused = await limited(request, "sign-in")
    if refused is not None:
        return refused
    try:
        new_id, state = await call(
            request, web_sessions.sign_in, username, password, session_id(request)
        )
    except KioskError as error:
        return _page(request, explain(error, choose(request)), username, status=400)
    request.state.session = state
    response = next_step(request, request.query_params.get("next", "/students"))
    set_session_cookie(request, response, new_id)
    return response


async def sign_out(request: Request) -> Response:
    await checked_form(request)
    response = RedirectResponse("/sign-in?signed_out=1", status_code=303)
    end_session(request, response)
    return response


routes: list[BaseRoute] = [
    Route("/sign-in", sign_in_page, methods=["GET"]),
    form_post("/sign-in", sign_in),
    form_post("/sign-out", sign_out),
]

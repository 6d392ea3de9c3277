"""Activation: the key (from the link's ``#key=`` fragment, filled by /static/activate.js, or
typed), then a username and password; the new account goes straight to its set-up steps.

A key that arrives in a query string (an old letter, a hand-edited link) is moved into the
fragment at once with a redirect; the access log never keeps query strings (``server.py``).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from kiosk import keys
from kiosk.errors import KeyProblem, KioskError
from kiosk.services import activation, web_sessions
from kiosk.web.app import call
from kiosk.web.forms import checked_form, form_post, text
from kiosk.web.limits import limited
from kiosk.web.pages import continue_to, refusal
from kiosk.web.session import session_id, set_session_cookie
from kiosk.web.templating import render


def _field(error: KioskError) -> str:
    """The account form's field a refusal is about (the first, when there are several)."""
    if error.code == "username_taken":
        return "username"
    reasons = getattr(error, "reasons", [])
    return "username" if reasons and reasons[0].code == "username_problem" else "password"


async def activate_page(request: Request) -> Response:
    if "key" in request.query_params:
        try:
            bare = keys.normalize_key(request.query_params["key"])
        except KeyProblem:
            return RedirectResponse("/activate", status_code=303)
        return RedirectResponse(f"/activate#key={bare}", status_code=303)
    return render(request, "activate.html", {"step": "key"})


async def activate_submit(request: Request) -> Response:
    form = await checked_form(request)
    refused = await limited(request, "activate")
    if refused is not None:
        return refused
    key = text(form, "key", 200)
    if form.get("step") != "account":
        try:
            found = await call(request, activation.check_key, key)
        except KioskError as error:
            return refusal(request, "activate.html", error, "key", {"step": "key", "key": key})
        return render(
            request,
            "activate.html",
            {"step": "account", "key": keys.format_key(key), "guardian": found.guardian_name},
        )
    username = text(form, "username", 256)
    try:
        account = await call(
            request,
            activation.redeem_key,
            key,
            username,
            text(form, "password", 4096),
            text(form, "again", 4096),
        )
    except KioskError as error:
        step = "key" if isinstance(error, KeyProblem) else "account"
        field = "key" if step == "key" else _field(error)
        values = {"step": step, "key": key, "username": username}
        return refusal(request, "activate.html", error, field, values)
    new_id = await call(
        request, web_sessions.start_for_new_account, account.account_id, session_id(request)
    )
    response = continue_to("/students?welcome=1")
    set_session_cookie(request, response, new_id)
    return response


routes: list[BaseRoute] = [
    Route("/activate", activate_page, methods=["GET"]),
    form_post("/activate", activate_submit),
]

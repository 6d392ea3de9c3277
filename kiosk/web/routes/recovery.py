"""Forgot password (a code by email, then the picture challenge) and forgot username.

Both answer the same whether or not anything matched (the services make sure of it); every
step is limited per client address. The identifier and code travel in the form between steps
(POST bodies, never a URL) and nothing is kept in a session.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from kiosk.errors import KioskError
from kiosk.pictures import BY_ID
from kiosk.services import recovery
from kiosk.web.app import call
from kiosk.web.forms import checked_form, form_post, text
from kiosk.web.language import choose, translator
from kiosk.web.limits import limited
from kiosk.web.pages import refusal
from kiosk.web.templating import render


def _named(request: Request, ids: list[str] | tuple[str, ...]) -> list[dict]:
    lang = choose(request)
    return [
        {"id": i, "name": BY_ID[i].es if lang == "es" else BY_ID[i].en} for i in ids if i in BY_ID
    ]


async def forgot_password_page(request: Request) -> Response:
    return render(request, "forgot_password.html", {"step": "identify"})


async def forgot_password(request: Request) -> Response:
    form = await checked_form(request)
    refused = await limited(request, "forgot-password")
    if refused is not None:
        return refused
    step = form.get("step")
    identifier, code = text(form, "identifier", 300), text(form, "code", 64)
    values = {"identifier": identifier, "code": code}
    if step == "identify":
        await call(request, recovery.request_password_reset, identifier)
        minutes = request.app.state.ctx.config.security.email_code_minutes
        _ = translator(choose(request))
        sent = _(
            "If an account matches, we have sent a code to its recovery email. Check your "
            "email; the code expires in %(minutes)s minutes."
        ) % {"minutes": minutes}
        return render(request, "forgot_password.html", {**values, "step": "code", "sent": sent})
    if step == "code":
        try:
            challenge = await call(request, recovery.check_reset_code, identifier, code)
        except KioskError as error:
            return refusal(
                request, "forgot_password.html", error, "code", {**values, "step": "code"}
            )
        shown = _named(request, challenge.pictures)
        return render(request, "forgot_password.html", {**values, "step": "reset", "shown": shown})
    liked = [p for p in form.getlist("liked") if isinstance(p, str)]
    try:
        username = await call(
            request,
            recovery.finish_password_reset,
            identifier,
            code,
            liked,
            text(form, "new", 4096),
            text(form, "again", 4096),
        )
    except KioskError as error:
        code_step = {**values, "step": "code"}
        if error.code == "code":
            return refusal(request, "forgot_password.html", error, "code", code_step)
        try:  # the same code again: the pictures and password form, with the reason
            challenge = await call(request, recovery.check_reset_code, identifier, code)
        except KioskError as spent:  # too many wrong tries used the code up
            return refusal(request, "forgot_password.html", spent, "code", code_step)
        values.update(step="reset", shown=_named(request, challenge.pictures), chosen=liked)
        field = "pictures" if error.code == "pictures" else "new"
        return refusal(request, "forgot_password.html", error, field, values)
    return render(request, "forgot_password.html", {"step": "done", "username": username})


async def forgot_username_page(request: Request) -> Response:
    return render(request, "forgot_username.html", {})


async def forgot_username(request: Request) -> Response:
    form = await checked_form(request)
    refused = await limited(request, "forgot-username")
    if refused is not None:
        return refused
    await call(request, recovery.forgot_username, text(form, "email", 300))
    return render(request, "forgot_username.html", {"sent": True})


routes: list[BaseRoute] = [
    Route("/forgot-password", forgot_password_page, methods=["GET"]),
    form_post("/forgot-password", forgot_password),
    Route("/forgot-username", forgot_username_page, methods=["GET"]),
    form_post("/forgot-username", forgot_username),
]

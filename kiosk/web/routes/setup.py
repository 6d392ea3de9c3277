"""First sign-in: what the account must do before anything else, as at the kiosk.

A temporary password allows only choosing a new one; then the recovery email (confirmed by a
code) and the 8 liked + 8 disliked pictures, which may be put off ``setup_skips_allowed`` times.
The email and picture steps are shared with account settings (``kiosk.web.routes.account``).
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from kiosk.errors import AuthenticationFailed, KioskError
from kiosk.pictures import DISLIKED_COUNT, LIKED_COUNT, PICTURE_IDS
from kiosk.services import accounts, web_sessions
from kiosk.services.web_sessions import WebSessionState
from kiosk.web.app import call
from kiosk.web.forms import checked_form, form_post, text
from kiosk.web.language import choose, translator
from kiosk.web.pages import continue_to, next_param, picture_choices, refusal
from kiosk.web.session import session_id, session_state, set_session_cookie, sign_in_redirect
from kiosk.web.templating import render


def _state(request: Request) -> WebSessionState | Response:
    state = session_state(request)
    if state is None:
        return sign_in_redirect(request, request.url.path)
    return state


async def password_page(request: Request) -> Response:
    state = _state(request)
    if isinstance(state, Response):
        return state
    return render(request, "setup_password.html", {"next": next_param(request)})


async def save_password(
    request: Request,
    form: FormData,
    state: WebSessionState,
    template: str,
    context: dict[str, object],
    done: Callable[[], Response],
) -> Response:
    """Change the password (shared with account settings); the session gets a fresh id."""
    try:
        fresh = await call(
            request,
            accounts.change_password,
            state.account,
            text(form, "current", 4096),
            text(form, "new", 4096),
            text(form, "again", 4096),
        )
    except KioskError as error:
        field = "current" if isinstance(error, AuthenticationFailed) else "new"
        return refusal(request, template, error, field, context)
    new_id = await call(request, web_sessions.renew, session_id(request), fresh)
    response = done()
    set_session_cookie(request, response, new_id)
    return response


async def password_submit(request: Request) -> Response:
    form = await checked_form(request)
    state = _state(request)
    if isinstance(state, Response):
        return state
    after = next_param(request)
    return await save_password(
        request, form, state, "setup_password.html", {"next": after}, lambda: continue_to(after)
    )


# -- recovery email ------------------------------------------------------------------------


def email_values(request: Request, state: WebSessionState, action: str) -> dict:
    return {"next": next_param(request), "may_skip": state.account.may_skip, "action": action}


async def email_page(request: Request) -> Response:
    state = _state(request)
    if isinstance(state, Response):
        return state
    return render(request, "email.html", email_values(request, state, "/setup/email"))


async def send_email_code(request: Request, state: WebSessionState, action: str) -> Response:
    """Shared with account settings: check the password, mail a code, show the code form."""
    form = await checked_form(request)
    email, again = text(form, "email", 300), text(form, "email_again", 300)
    values = {**email_values(request, state, action), "email": email, "email_again": again}
    try:
        sent_to = await call(
            request,
            accounts.change_recovery_email,
            state.account,
            text(form, "password", 4096),
            email,
            again,
        )
    except KioskError as error:
        field = "password" if isinstance(error, AuthenticationFailed) else "email"
        return refusal(request, "email.html", error, field, values)
    return render(request, "email_code.html", {**values, "sent_to": sent_to})


async def confirm_email_code(
    request: Request, state: WebSessionState, action: str
) -> Response | None:
    form = await checked_form(request)
    values = {**email_values(request, state, action), "sent_to": text(form, "sent_to", 300)}
    try:
        await call(request, accounts.confirm_recovery_email, state.account, text(form, "code", 64))
    except KioskError as error:
        return refusal(request, "email_code.html", error, "code", values)
    return None  # confirmed: the caller decides where to go next


async def email_submit(request: Request) -> Response:
    state = _state(request)
    if isinstance(state, Response):
        return state
    return await send_email_code(request, state, "/setup/email")


async def email_confirm(request: Request) -> Response:
    state = _state(request)
    if isinstance(state, Response):
        return state
    refused = await confirm_email_code(request, state, "/setup/email")
    return refused or continue_to(next_param(request))


# -- pictures ------------------------------------------------------------------------------


def picture_values(request: Request, state: WebSessionState, action: str, **more: object) -> dict:
    return {
        "next": next_param(request),
        "may_skip": state.account.may_skip,
        "action": action,
        "liked_count": LIKED_COUNT,
        "disliked_count": DISLIKED_COUNT,
        **more,
    }


def liked_step(request: Request, state: WebSessionState, action: str, **more: object) -> Response:
    values = picture_values(
        request, state, action, step="liked", choices=picture_choices(request), **more
    )
    status = 400 if more.get("error") else 200
    return render(request, "pictures.html", values, status_code=status)


async def pictures_page(request: Request) -> Response:
    state = _state(request)
    if isinstance(state, Response):
        return state
    return liked_step(request, state, "/setup/pictures")


async def submit_pictures(
    request: Request, state: WebSessionState, action: str, *, with_password: bool
) -> Response | None:
    """Step one keeps the liked pictures (in the form, nothing stored); step two saves both.
    Shared with account settings, where changing them needs the password."""
    form = await checked_form(request)
    _ = translator(choose(request))
    liked = [p for p in form.getlist("liked") if isinstance(p, str) and p in PICTURE_IDS]
    if form.get("step") != "disliked":
        if len(set(liked)) != LIKED_COUNT:
            message = _("Pick exactly %(count)s pictures you like.") % {"count": LIKED_COUNT}
            return liked_step(request, state, action, error=message, chosen=liked)
        return render(
            request,
            "pictures.html",
            picture_values(
                request,
                state,
                action,
                step="disliked",
                liked=sorted(set(liked)),
                choices=picture_choices(request, frozenset(liked)),
                with_password=with_password,
            ),
        )
    disliked = [p for p in form.getlist("disliked") if isinstance(p, str)]
    password = text(form, "password", 4096) if with_password else None
    try:
        await call(
            request, accounts.set_pictures, state.account, liked, disliked, password=password
        )
    except KioskError as error:
        values = picture_values(
            request,
            state,
            action,
            step="disliked",
            liked=sorted(set(liked)),
            chosen=disliked,
            choices=picture_choices(request, frozenset(liked)),
            with_password=with_password,
        )
        field = "password" if isinstance(error, AuthenticationFailed) else "pictures"
        return refusal(request, "pictures.html", error, field, values)
    return None


async def pictures_submit(request: Request) -> Response:
    state = _state(request)
    if isinstance(state, Response):
        return state
    shown = await submit_pictures(request, state, "/setup/pictures", with_password=False)
    return shown or continue_to(next_param(request))


async def skip(request: Request) -> Response:
    await checked_form(request)
    state = _state(request)
    if isinstance(state, Response):
        return state
    try:
        await call(request, web_sessions.defer_setup, session_id(request))
    except KioskError as error:
        return refusal(
            request, "email.html", error, "", email_values(request, state, "/setup/email")
        )
    return continue_to(next_param(request))


routes: list[BaseRoute] = [
    Route("/setup/password", password_page, methods=["GET"]),
    form_post("/setup/password", password_submit),
    Route("/setup/email", email_page, methods=["GET"]),
    form_post("/setup/email", email_submit),
    form_post("/setup/email/confirm", email_confirm),
    Route("/setup/pictures", pictures_page, methods=["GET"]),
    form_post("/setup/pictures", pictures_submit),
    form_post("/setup/skip", skip),
]

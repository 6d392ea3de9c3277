"""Reading a submitted form: ``form_post`` routes check the CSRF token before their handler
runs (the one place it is checked); handlers then read the form with ``checked_form``.

The token is a signed double-submit value: the browser holds a random nonce in an HttpOnly
cookie, and forms carry HMAC(key, nonce and session). A page on another site can neither read
the cookie nor compute the token, and a new session (sign-in) makes old tokens stop working.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kiosk.web.session import session_id

NONCE_COOKIE = "fd_csrf"
FIELD = "csrf"
#: Most fields any form on the site has; more is refused before anything reads them.
MAX_FIELDS = 64


class CsrfRefused(HTTPException):
    def __init__(self) -> None:
        super().__init__(status_code=403, detail="csrf")


def _nonce_cookie(request: Request) -> str:
    name = request.app.state.web.csrf_cookie
    return request.cookies.get(name, "")


def _token(request: Request, nonce: str) -> str:
    key = request.app.state.web.csrf_key
    bound = f"{nonce}|{session_id(request) or '-'}".encode()
    return hmac.new(key, bound, hashlib.sha256).hexdigest()


def csrf_token(request: Request) -> str:
    """The token for forms on this page (makes the nonce when the browser has none yet)."""
    nonce = getattr(request.state, "csrf_nonce", None) or _nonce_cookie(request)
    if len(nonce) < 32:
        nonce = secrets.token_urlsafe(32)
        request.state.csrf_nonce = nonce
        request.state.csrf_new = True
    return _token(request, nonce)


def keep_nonce(request: Request, response: Response) -> None:
    """Give the browser the nonce made while rendering this page."""
    if getattr(request.state, "csrf_new", False):
        settings = request.app.state.web
        response.set_cookie(
            settings.csrf_cookie,
            request.state.csrf_nonce,
            path="/",
            secure=settings.secure,
            httponly=True,
            samesite="lax",
        )


async def checked_form(request: Request) -> FormData:
    """The form, once its CSRF token matches; raises ``CsrfRefused`` (403) otherwise."""
    form = await request.form(max_files=0, max_fields=MAX_FIELDS)
    nonce = _nonce_cookie(request)
    sent = form.get(FIELD)
    if (
        not nonce
        or not isinstance(sent, str)
        or not hmac.compare_digest(sent.encode(), _token(request, nonce).encode())
    ):
        raise CsrfRefused
    return form


def text(form: FormData, name: str, limit: int = 1024) -> str:
    """One text field ("" when absent); longer than ``limit`` is cut, services check the rest."""
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""


def form_post(path: str, endpoint: Callable[[Request], Awaitable[Response]]) -> Route:
    """A POST route whose form must carry a valid CSRF token before ``endpoint`` runs."""

    async def guarded(request: Request) -> Response:
        await checked_form(request)
        return await endpoint(request)

    guarded.__name__ = getattr(endpoint, "__name__", "form")
    return Route(path, guarded, methods=["POST"])

"""Who is signed in on this request; the seam the federation routes build on.

``SessionLoader`` (middleware) reads the session cookie once per request, off the event loop,
and keeps the result on ``request.state``; the functions below only read that.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from kiosk.services import web_sessions
from kiosk.services.web_sessions import WebSessionState
from kiosk.web.threads import run_blocking


@dataclass(frozen=True)
class WebUser:
    """A signed-in parent with nothing left to do first. ``session_id`` is a secret: never log
    it; it is only for ending the session."""

    account_id: int
    username: str
    guardian_id: str
    auth_time: dt.datetime
    session_id: str


def cookie_name(secure: bool) -> str:
    # The __Host- prefix makes browsers refuse the cookie unless Secure, path=/ and no domain.
    return "__Host-fd_session" if secure else "fd_session"


SESSIONLESS = ("/static/", "/healthz")


class SessionLoader:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Static files and the health check never need to know who is asking.
        if scope["type"] == "http" and not scope["path"].startswith(SESSIONLESS):
            request = Request(scope)
            settings = request.app.state.web
            session_id = request.cookies.get(settings.cookie)
            state = None
            if session_id:
                ctx = request.app.state.ctx
                state = await run_blocking(scope, web_sessions.load, ctx, session_id)
            scope.setdefault("state", {})
            scope["state"]["session_id"] = session_id if state else None
            scope["state"]["session"] = state
        await self.app(scope, receive, send)


def session_state(request: Request) -> WebSessionState | None:
    """The live session, including one that still has first-sign-in steps to do."""
    return getattr(request.state, "session", None)


def session_id(request: Request) -> str | None:
    return getattr(request.state, "session_id", None)


def signed_in(request: Request) -> WebUser | None:
    """The signed-in parent only when fully usable: set-up done (or put off for this session),
    not limited to changing a temporary password, enabled, not locked, epoch current."""
    state = session_state(request)
    sid = session_id(request)
    if state is None or sid is None or state.pending:
        return None
    account = state.account
    return WebUser(account.account_id, account.username, account.guardian_id, state.auth_time, sid)


def safe_next(value: str | None, default: str = "/students") -> str:
    """Only a path on this site: one leading '/', not '//' or '/\\', no scheme or controls."""
    if (
        not value
        or len(value) > 2000
        or not value.startswith("/")
        or value.startswith(("//", "/\\"))
        or any(ord(ch) < 0x21 or ch == "\\" for ch in value)
    ):
        return default
    return value


def sign_in_redirect(request: Request, next_path: str, *, force: bool = False) -> Response:
    """Send the browser to sign in (``force``: ask for the password even if signed in), then on
    to ``next_path`` once any first-sign-in steps are done."""
    target = "/sign-in?next=" + quote(safe_next(next_path, "/"), safe="/")
    if force:
        target += "&reauth=1"
    return RedirectResponse(target, status_code=303)


def set_session_cookie(request: Request, response: Response, new_id: str) -> None:
    settings = request.app.state.web
    response.set_cookie(
        settings.cookie,
        new_id,
        max_age=settings.absolute_seconds,
        path="/",
        secure=settings.secure,
        httponly=True,
        samesite="lax",
    )


def end_session(request: Request, response: Response) -> None:
    """End the server-side session (every process sees it gone) and clear the cookie."""
    web_sessions.end(request.app.state.ctx, session_id(request))
    settings = request.app.state.web
    response.delete_cookie(
        settings.cookie, path="/", secure=settings.secure, httponly=True, samesite="lax"
    )

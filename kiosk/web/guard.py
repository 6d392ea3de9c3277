"""Where a request must go first: sign-in, or the next first-sign-in step."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from kiosk.services.accounts import CHANGE_PASSWORD, PICTURES, RECOVERY_EMAIL
from kiosk.web.session import WebUser, safe_next, session_state, sign_in_redirect, signed_in

STEP_PATHS = {
    CHANGE_PASSWORD: "/setup/password",
    RECOVERY_EMAIL: "/setup/email",
    PICTURES: "/setup/pictures",
}


def next_step(request: Request, next_path: str) -> Response:
    """After sign-in or a set-up step: the next pending step, else ``next_path``."""
    state = session_state(request)
    target = safe_next(next_path)
    if state is not None and state.pending:
        target = STEP_PATHS[state.pending[0]] + "?next=" + quote(target, safe="/")
    return RedirectResponse(target, status_code=303)


def require_user(request: Request) -> WebUser | Response:
    """The fully signed-in parent, or the redirect that gets them there (then back here)."""
    user = signed_in(request)
    if user is not None:
        return user
    here = request.url.path
    if session_state(request) is not None:
        return next_step(request, here)
    return sign_in_redirect(request, here)

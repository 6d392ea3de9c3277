"""The parent web application: ``create_app(ctx)`` builds it; ``kiosk serve`` runs it.

Route groups are modules listed in ``ROUTE_GROUPS``, each exposing ``routes``. The Context is
at ``request.app.state.ctx``; routes call services (in worker threads, see ``call``), never SQL.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from kiosk.context import Context, secret_key
from kiosk.web.forms import CsrfRefused
from kiosk.web.security import BodyLimit, SecurityHeaders, add_headers
from kiosk.web.session import SessionLoader, cookie_name
from kiosk.web.templating import render
from kiosk.web.threads import run_blocking

ROUTE_GROUPS: tuple[str, ...] = (
    "kiosk.web.routes.home",
    "kiosk.web.routes.sign_in",
    "kiosk.web.routes.setup",
    "kiosk.web.routes.activate",
    "kiosk.web.routes.account",
    "kiosk.web.routes.recovery",
    "kiosk.web.routes.students",
    "kiosk.web.routes.request_key",
    "kiosk.federation.routes",
)

STATIC = Path(__file__).parent / "static"
T = TypeVar("T")


@dataclass(frozen=True)
class WebSettings:
    """What the web layer derives once from ``[web]`` and the district secret."""

    secure: bool
    cookie: str
    csrf_cookie: str
    csrf_key: bytes
    absolute_seconds: int


def settings_for(ctx: Context) -> WebSettings:
    web = ctx.config.web
    secure = web.base_url.startswith("https://")
    key = hmac.new(secret_key(ctx.config), b"front-desk web csrf", hashlib.sha256).digest()
    return WebSettings(
        secure=secure,
        cookie=cookie_name(secure),
        csrf_cookie="__Host-fd_csrf" if secure else "fd_csrf",
        csrf_key=key,
        absolute_seconds=web.session_absolute_hours * 3600,
    )


async def call(request: Request, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a service with the app's Context in a worker thread: hashing and database work
    never block the event loop."""
    ctx = request.app.state.ctx
    return await run_blocking(request.scope, lambda: fn(ctx, *args, **kwargs))


async def _refused(request: Request, exc: Exception) -> Response:
    return render(request, "refused.html", {}, status_code=403)


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    return render(request, "error.html", {"status": status}, status_code=status)


async def _crashed(request: Request, exc: Exception) -> Response:
    """A plain page for an unexpected error (logged by the server, never shown), with the
    same headers as every other page: Starlette answers it outside the middleware."""
    response = render(request, "error.html", {"status": 500}, status_code=500)
    add_headers(response.headers, https=request.app.state.web.secure)
    return response


def create_app(ctx: Context) -> Starlette:
    routes: list[BaseRoute] = []
    for name in ROUTE_GROUPS:
        routes.extend(importlib.import_module(name).routes)
    routes.append(Mount("/static", StaticFiles(directory=STATIC), name="static"))
    web = ctx.config.web
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(ProxyHeadersMiddleware, trusted_hosts=list(web.trusted_proxies)),
            Middleware(SecurityHeaders, https=web.base_url.startswith("https://")),
            Middleware(BodyLimit, limit=web.max_request_bytes),
            Middleware(SessionLoader),
        ],
        exception_handlers={
            CsrfRefused: _refused,
            HTTPException: _http_error,
            Exception: _crashed,
        },
    )
    app.state.ctx = ctx
    app.state.web = settings_for(ctx)
    return app

"""The front page, the language switch and the health check."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from kiosk.web.app import call
from kiosk.web.language import COOKIE
from kiosk.web.session import safe_next
from kiosk.web.templating import render


async def home(request: Request) -> Response:
    return render(
        request, "home.html", {"request_key": request.app.state.ctx.config.web.request_key}
    )


async def language(request: Request) -> Response:
    """A plain link switches the language (works without JavaScript) and is remembered."""
    lang = request.query_params.get("lang", "")
    response = RedirectResponse(safe_next(request.query_params.get("next"), "/"), status_code=303)
    if lang in request.app.state.ctx.config.ui.languages:
        settings = request.app.state.web
        response.set_cookie(
            COOKIE, lang, max_age=365 * 86400, path="/", secure=settings.secure, samesite="lax"
        )
    return response


def _database_answers(ctx: object) -> bool:
    ctx.store.ping()  # type: ignore[attr-defined]
    return True


async def healthz(request: Request) -> Response:
    """200 when the database answers, 503 otherwise (for the load balancer)."""
    try:
        await call(request, _database_answers)
    except Exception:  # any failure to answer is "not healthy"; the reason is in the logs
        return PlainTextResponse("database unavailable", status_code=503)
    return PlainTextResponse("ok")


routes: list[BaseRoute] = [
    Route("/", home),
    Route("/language", language),
    Route("/healthz", healthz),
]

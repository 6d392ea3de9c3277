"""Small helpers the route groups share: the parent's session, service errors on a page."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from kiosk.errors import KioskError
from kiosk.pictures import PICTURES
from kiosk.web.language import choose, explain
from kiosk.web.session import safe_next
from kiosk.web.templating import render


def continue_to(next_path: str) -> Response:
    """On to ``next_path`` through the sign-in page, which sends the parent to any step still
    pending first (so every step ends the same way)."""
    return RedirectResponse(
        "/sign-in?next=" + quote(safe_next(next_path), safe="/"), status_code=303
    )


def next_param(request: Request) -> str:
    return safe_next(request.query_params.get("next"), "/students")


def refusal(
    request: Request, template: str, error: KioskError, field: str, values: dict[str, Any]
) -> Response:
    """The same page again with the service's reason, linked to ``field``, status 400."""
    context = {"error": explain(error, choose(request)), "error_field": field, **values}
    return render(request, template, context, status_code=400)


def picture_choices(request: Request, exclude: frozenset[str] = frozenset()) -> list[dict]:
    """The bank's pictures with their names in the reader's language."""
    lang = choose(request)
    return [
        {"id": p.id, "name": p.es if lang == "es" else p.en}
        for p in PICTURES
        if p.id not in exclude
    ]

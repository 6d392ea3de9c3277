"""Jinja2 pages: autoescaped, with the reader's language, ``_`` and the CSRF token added."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from kiosk.i18n import LANGUAGES
from kiosk.text import display
from kiosk.web.forms import csrf_token, keep_nonce
from kiosk.web.language import choose, translator

TEMPLATES = Path(__file__).parent / "templates"

environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
    # Templates ship inside the package: no file check on every page (restart to change one).
    auto_reload=False,
)
# Untrusted text (names from the roster) loses control characters before it is shown.
environment.filters["clean"] = display


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    lang = choose(request)
    ctx = request.app.state.ctx
    values: dict[str, Any] = {
        "request": request,
        "lang": lang,
        "_": translator(lang),
        "csrf": csrf_token(request),
        "district": ctx.config.district.name,
        "config": ctx.config,
        "languages": [(code, LANGUAGES[code]) for code in ctx.config.ui.languages],
        "path": request.url.path,
        "user": getattr(request.state, "session", None),
    }
    values.update(context or {})
    html = environment.get_template(name).render(values)
    response = HTMLResponse(html, status_code=status_code)
    keep_nonce(request, response)
    return response

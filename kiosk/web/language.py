"""The reader's language on the web: a remembered choice, else Accept-Language, else English.

Pages and errors come from the same gettext catalog as the kiosk; each request translates with
its own catalog (the kiosk's ``kiosk.i18n._`` follows one global language and is not used here).
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request

from kiosk.errors import KioskError
from kiosk.i18n import LANGUAGES, catalog
from kiosk.i18n import explain as explain_code

COOKIE = "fd_lang"


def choose(request: Request) -> str:
    offered = request.app.state.ctx.config.ui.languages
    chosen = request.cookies.get(COOKIE, "")
    if chosen in offered:
        return chosen
    for part in request.headers.get("accept-language", "").split(",")[:20]:
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in offered:
            return tag
    return offered[0] if offered else "en"


def translator(lang: str) -> Callable[[str], str]:
    if lang == "en" or lang not in LANGUAGES:
        return lambda message: message
    return catalog(lang).gettext


def explain(error: KioskError, lang: str) -> str:
    """What a service's refusal says to the reader (the one place that words errors)."""
    return explain_code(error, lang)

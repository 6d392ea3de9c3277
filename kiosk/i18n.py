"""Parent-facing text in English and Spanish through gettext catalogs.

``_()`` translates into the language the parent picked on the Welcome screen. Catalogs live in
``kiosk/locale/<lang>/LC_MESSAGES/kiosk.po`` (source) and ``.mo`` (compiled, shipped). Staff-only
text stays English. This module never imports Textual: services may use ``N_`` markers too.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported with the first catalog: English, at Welcome, needs none
    import gettext

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "kiosk"
LANGUAGES = {"en": "English", "es": "Español"}

_current = "en"
_catalogs: dict[str, gettext.NullTranslations] = {}


def _catalog(lang: str) -> gettext.NullTranslations:
    if lang not in _catalogs:
        import gettext

        _catalogs[lang] = gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)
    return _catalogs[lang]


def catalog(lang: str) -> gettext.NullTranslations:
    """The catalog of one language, for callers that translate per request (the web)."""
    return _catalog(lang)


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    _current = lang


def language() -> str:
    return _current


def _(message: str) -> str:
    """Translate ``message`` into the current language (English passes through)."""
    if _current == "en":
        return message
    return _catalog(_current).gettext(message)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet."""
    return message

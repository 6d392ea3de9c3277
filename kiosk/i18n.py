"""Parent-facing text in English and Spanish through gettext catalogs.

``_()`` translates into the language the parent picked on the Welcome screen. Catalogs live in
``kiosk/locale/<lang>/LC_MESSAGES/kiosk.po`` (source) and ``.mo`` (compiled, shipped). Staff-only
text stays English. ``explain(error, language)`` renders an error code (or a service's answer)
from the message catalog, ``kiosk.messages``. This module never imports Textual.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported with the first catalog: English, at Welcome, needs none
    import gettext

    from kiosk.errors import KioskError, Message

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


def translate(message: str, language: str) -> str:
    """``message`` (an English msgid) in ``language``; English and unknown text pass through."""
    if language == "en":
        return message
    return _catalog(language).gettext(message)


def _value(value: object, language: str) -> str:
    from kiosk.errors import Label, Message

    if isinstance(value, Message):
        return explain(value, language)
    if isinstance(value, Label):
        return translate(value, language)
    if isinstance(value, list | tuple):
        return "\n".join(_value(item, language) for item in value)
    return str(value)


def explain(error: KioskError | Message, language: str | None = None) -> str:
    """The error (or service answer) as a sentence in ``language`` (default: the current one).

    The one place a code becomes text: the kiosk's screens, the command line (English) and the
    web pages all call it. A code missing from the catalog shows the generic "something went
    wrong" sentence rather than its raw id.
    """
    from kiosk.messages import CATALOG

    language = language or _current
    code, params = error.code, error.params
    template = CATALOG.get(code) or CATALOG["unexpected"]
    values = {name: _value(value, language) for name, value in params.items()}
    try:
        return translate(template, language).format(**values)
    except (KeyError, IndexError, ValueError):  # a translation naming a parameter not given
        return template.format_map(_Blank(values))


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""

"""The parent web in English and Spanish, from the kiosk's own gettext catalog."""

from __future__ import annotations

import re
from pathlib import Path

from kiosk.i18n import catalog
from tests.web_helpers import error_text, post_form, web_client

WEB = Path(__file__).resolve().parent.parent / "kiosk" / "web"
_CALL = re.compile(r'_\(\s*((?:"[^"]*"\s*)+)\)|_\(\s*((?:\'[^\']*\'\s*)+)\)')


def web_messages() -> set[str]:
    """Every ``_("...")`` of the web's templates and routes (adjacent literals joined)."""
    found = set()
    for path in [*WEB.rglob("*.html"), *WEB.rglob("*.py")]:
        for match in _CALL.finditer(path.read_text()):
            if match.group(1):
                found.add("".join(re.findall(r'"([^"]*)"', match.group(1))))
            else:
                found.add("".join(re.findall(r"'([^']*)'", match.group(2))))
    return found


def test_every_web_text_has_a_spanish_translation():
    spanish = catalog("es")
    messages = web_messages()
    assert len(messages) > 80
    untranslated = sorted(m for m in messages if spanish.gettext(m) == m and m.strip(" :"))
    assert untranslated == []


def test_accept_language_chooses_spanish_and_the_switch_is_remembered(ctx):
    client = web_client(ctx)
    page = client.get("/", headers={"accept-language": "es-MX,es;q=0.9,en;q=0.5"})
    assert '<html lang="es">' in page.text and "Tengo una clave de activación" in page.text
    english = web_client(ctx)
    assert '<html lang="en">' in english.get("/").text
    switched = english.get("/language?lang=es&next=/sign-in")
    assert switched.status_code == 303 and switched.headers["location"] == "/sign-in"
    assert "Iniciar sesión" in english.get("/sign-in").text  # the cookie remembers it
    back = english.get("/language?lang=en&next=//evil.example")
    assert back.headers["location"] == "/"  # never leaves the site


def test_errors_are_in_spanish_too(ctx):
    client = web_client(ctx)
    client.get("/language?lang=es&next=/")
    wrong_key = post_form(client, "/activate", key="0" * 32, step="key")
    assert "No encontramos esa clave de activación" in error_text(wrong_key.text)
    assert "Hay un problema" in wrong_key.text
    wrong = post_form(client, "/sign-in", username="alopez", password="nope")
    assert wrong.status_code == 400 and error_text(wrong.text) != ""
    assert "did not work" not in error_text(wrong.text)
    missing = client.get("/no-such-page")
    assert missing.status_code == 404 and "Página no encontrada" in missing.text

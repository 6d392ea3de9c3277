"""The Spanish catalog covers every parent-facing string, and the shipped .mo matches the .po.

To update the catalog after changing parent screens:
    pybabel extract --no-location -o /tmp/kiosk.pot kiosk/screens/welcome.py \\
        kiosk/screens/hand_off.py kiosk/screens/parent_*.py kiosk/screens/linked_students.py \\
        kiosk/widgets/pictures.py
    pybabel update -i /tmp/kiosk.pot -d kiosk/locale -D kiosk -l es --no-location
    (translate the new entries)
    pybabel compile -d kiosk/locale -D kiosk -l es
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import kiosk
from kiosk import i18n
from kiosk.i18n import _, set_language
from kiosk.screens import base
from kiosk.screens.parent_messages import SERVICE_MESSAGES, TEMPLATES, translate
from kiosk.services import accounts, activation, recovery

PACKAGE = Path(kiosk.__file__).parent
PO = PACKAGE / "locale" / "es" / "LC_MESSAGES" / "kiosk.po"
MO = PACKAGE / "locale" / "es" / "LC_MESSAGES" / "kiosk.mo"


def parent_modules() -> list[Path]:
    screens = PACKAGE / "screens"
    found = [
        screens / "welcome.py",
        screens / "hand_off.py",
        screens / "linked_students.py",
        *sorted(screens.glob("parent_*.py")),
        PACKAGE / "widgets" / "pictures.py",
    ]
    assert all(path.exists() for path in found)
    return found


def extracted() -> dict[str, list[str]]:
    """msgid -> the modules using it, for every _() / N_() in parent-facing modules."""
    found: dict[str, list[str]] = {}
    for path in parent_modules():
        for _line, message, _comments, _context in extract_from_file(
            "python", str(path), keywords=DEFAULT_KEYWORDS
        ):
            found.setdefault(message, []).append(path.name)
    return found


@pytest.fixture
def spanish():
    set_language("es")
    yield
    set_language("en")


def catalog() -> dict[str, str]:
    with PO.open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id}


def test_every_parent_string_has_a_spanish_translation():
    translations = catalog()
    strings = extracted()
    assert len(strings) > 150
    missing = [f"{msg!r} in {where}" for msg, where in strings.items() if not translations.get(msg)]
    assert not missing, "No Spanish for:\n" + "\n".join(missing)


def test_placeholders_survive_translation():
    for msgid, msgstr in catalog().items():
        assert set(re.findall(r"\{\w+\}", msgid)) == set(re.findall(r"\{\w+\}", msgstr)), msgid


def test_the_committed_mo_matches_the_po():
    with MO.open("rb") as handle:
        compiled = {m.id: m.string for m in read_mo(handle) if m.id}
    assert compiled == catalog()


def test_service_messages_in_the_catalog_are_the_services_own_words():
    fixed = [
        *activation._KEY_MESSAGES.values(),
        accounts.GENERIC_FAILURE,
        recovery.USERNAME_SENT,
        recovery.BAD_CODE,
        base.UNEXPECTED,
    ]
    for text in fixed:
        assert text in SERVICE_MESSAGES, text
    assert recovery.SENT in TEMPLATES


def test_service_messages_are_shown_in_spanish(spanish):
    assert translate(accounts.GENERIC_FAILURE).startswith("Ese nombre de usuario y contraseña")
    assert translate("Use at least 15 characters (this has 5).") == (
        "Use al menos 15 caracteres (esta tiene 5)."
    )
    assert translate("Username: That username is taken; choose another one.") == (
        "Nombre de usuario: Ese nombre de usuario ya está en uso; elija otro."
    )
    assert translate("Recovery email is required.") == "Correo de recuperación es obligatorio."
    assert translate(recovery.SENT.format(minutes=15)).endswith("vence en 15 minutos.")
    # Unknown text is shown as it is rather than lost.
    assert translate("Something only English knows.") == "Something only English knows."


def test_english_passes_through_and_unknown_languages_are_refused():
    assert _("Sign in") == "Sign in"
    set_language("es")
    try:
        assert _("Sign in") == "Iniciar sesión"
    finally:
        set_language("en")
    with pytest.raises(ValueError):
        set_language("fr")
    assert i18n.language() == "en"

"""The Spanish catalog covers every parent-facing string, and the shipped .mo matches the .po.

To update the catalog after changing parent screens:
    pybabel extract --no-location -o /tmp/kiosk.pot kiosk/screens/welcome.py \\
        kiosk/screens/hand_off.py kiosk/screens/parent_*.py kiosk/screens/linked_students.py \\
        kiosk/widgets/pictures.py kiosk/messages.py kiosk/mail_catalog.py
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
from kiosk.errors import KioskError, Label, ValidationError, message, please_fix
from kiosk.i18n import _, explain, set_language

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
        for _line, msgid, _comments, _context in extract_from_file(
            "python", str(path), keywords=DEFAULT_KEYWORDS
        ):
            found.setdefault(msgid, []).append(path.name)
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
    assert len(strings) > 100  # service messages are walked by test_error_catalog.py
    missing = [f"{msg!r} in {where}" for msg, where in strings.items() if not translations.get(msg)]
    assert not missing, "No Spanish for:\n" + "\n".join(missing)


def test_placeholders_survive_translation():
    for msgid, msgstr in catalog().items():
        assert set(re.findall(r"\{\w+\}", msgid)) == set(re.findall(r"\{\w+\}", msgstr)), msgid


def test_the_committed_mo_matches_the_po():
    with MO.open("rb") as handle:
        compiled = {m.id: m.string for m in read_mo(handle) if m.id}
    assert compiled == catalog()


def test_service_answers_are_shown_in_spanish():
    assert explain(KioskError("signin_failed"), "es").startswith(
        "Ese nombre de usuario y contraseña"
    )
    assert explain(message("pw_too_short", n=15, m=5), "es") == (
        "Use al menos 15 caracteres (esta tiene 5)."
    )
    taken = message("username_problem", problem=message("username_taken_short"))
    assert explain(taken, "es") == (
        "Nombre de usuario: Ese nombre de usuario ya está en uso; elija otro."
    )
    required = ValidationError("text_required", field=Label("Recovery email"))
    assert explain(required, "es") == "Correo de recuperación es obligatorio."
    # A value the person typed is never translated, even when it is a catalog word.
    assert explain(ValidationError("username_taken", username="Email"), "es").count("'Email'") == 1


def test_every_reason_of_a_refusal_is_one_line():
    problems = please_fix([message("pw_letter"), message("pw_digit")])
    assert explain(problems, "es").splitlines() == [
        "Incluya al menos una letra.",
        "Incluya al menos un número.",
    ]
    assert str(problems).splitlines() == [
        "Include at least one letter.",
        "Include at least one number.",
    ]


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

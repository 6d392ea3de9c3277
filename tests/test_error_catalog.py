"""Errors are codes with parameters: every code renders, in English and (for parents) Spanish.

Walks the whole catalog in both languages, and scans ``kiosk/`` so that every error raised with
a literal code names a catalog entry (a typo would show the generic sentence instead).
"""

from __future__ import annotations

import ast
import pickle
import re
from pathlib import Path

import pytest

import kiosk
from kiosk.errors import KioskError, Label, NotFound, ValidationError, message, please_fix
from kiosk.i18n import explain, translate
from kiosk.mail_catalog import EMAIL, MONTHS
from kiosk.messages import CATALOG, LABELS, PARENT, STAFF

PACKAGE = Path(kiosk.__file__).parent
PLACEHOLDER = re.compile(r"\{(\w+)\}")
GENERIC = CATALOG["unexpected"]

#: Constructors whose first argument is a code.
CODE_TAKERS = {
    "KioskError",
    "ConfigError",
    "DatabaseError",
    "ValidationError",
    "NotFound",
    "PermissionDenied",
    "AuthenticationFailed",
    "KeyProblem",
    "MailError",
    "message",
    "Message",
}


def sample(template: str) -> dict[str, str]:
    return {name: f"<{name}-value>" for name in PLACEHOLDER.findall(template)}


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("code", sorted(CATALOG))
def test_every_code_renders_with_its_parameters_filled(code, language):
    params = sample(CATALOG[code])
    shown = explain(KioskError(code, **params), language)
    assert shown.strip() and shown != code
    assert code == "unexpected" or shown != explain(KioskError("unexpected"), language)
    for value in params.values():
        assert value in shown, f"{code}: parameter not shown in {shown!r}"
    assert not PLACEHOLDER.search(shown.replace("<", "").replace(">", "")), shown


@pytest.mark.parametrize("code", sorted({**PARENT, **EMAIL}))
def test_every_code_a_parent_can_meet_has_spanish(code):
    """Every refusal and answer a parent can see, and every sentence of their emails."""
    template = CATALOG[code]
    params = sample(template)
    english = explain(message(code, **params), "en")
    spanish = explain(message(code, **params), "es")
    if PLACEHOLDER.sub("", template).strip():  # not a bare "{problems}" list
        assert spanish != english, f"{code} has no Spanish"


def test_every_month_of_an_emailed_date_has_spanish():
    assert all(translate(month, "es") != month for month in MONTHS)


def test_labels_inside_messages_are_translated_and_typed_values_are_not():
    for label in LABELS:
        assert explain(ValidationError("text_required", field=Label(label)), "es") != (
            explain(ValidationError("text_required", field=Label(label)), "en")
        )
    assert "'Password'" in explain(ValidationError("username_taken", username="Password"), "es")


def test_a_code_missing_from_the_catalog_shows_the_generic_sentence_not_its_id():
    assert explain(KioskError("no_such_code_anywhere"), "en") == GENERIC
    assert "no_such_code_anywhere" not in explain(KioskError("no_such_code_anywhere"), "es")


def test_the_catalogs_do_not_overlap():
    assert not set(PARENT) & set(STAFF)
    assert not set(EMAIL) & (set(PARENT) | set(STAFF))


def test_errors_cross_processes_with_their_code_and_parameters():
    error = pickle.loads(pickle.dumps(NotFound("staff_unknown", username="desk")))  # noqa: S301
    assert isinstance(error, NotFound) and error.code == "staff_unknown"
    assert str(error) == explain(NotFound("staff_unknown", username="desk"), "en")
    fix = pickle.loads(pickle.dumps(please_fix([message("pw_letter")])))  # noqa: S301
    assert [r.code for r in fix.reasons] == ["pw_letter"]


def literal_codes() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            first = node.args[0]
            if name not in CODE_TAKERS:
                continue
            if isinstance(first, ast.Constant):
                found.append((path.name, node.lineno, first.value))
            elif isinstance(first, ast.JoinedStr | ast.BinOp):  # a sentence built in place
                found.append((path.name, node.lineno, ast.unparse(first)))
    return found


def test_every_error_raised_in_kiosk_names_a_catalog_code():
    codes = literal_codes()
    assert len(codes) > 100
    unknown = [f"{name}:{line}: {code!r}" for name, line, code in codes if code not in CATALOG]
    assert not unknown, "Codes missing from kiosk/messages.py:\n" + "\n".join(unknown)

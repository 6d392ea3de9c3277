"""The NIST default policy: length, blocklists with reasons, no composition rules."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk import passwords
from kiosk.config import PasswordPolicy
from kiosk.passwords import common_passwords, password_checklist, strength

NIST = PasswordPolicy()


def password_problems(*args, **kwargs) -> list[str]:
    """The problems as the English sentences a person reads."""
    return [str(p) for p in passwords.password_problems(*args, **kwargs)]


CONTEXT = ["mgarcia", "maria.garcia@example.org", "Henderson County Schools", "Lincoln Elementary"]


def test_the_common_list_has_thousands_of_entries():
    assert len(common_passwords()) >= 3000


def test_common_passwords_are_refused_even_when_long():
    assert password_problems("passwordpassword", NIST) == [
        "It repeats a short pattern; use more different words."
    ]
    assert password_problems("aaaaaaaaaaaaaaaa", NIST) == [
        "It repeats a short pattern; use more different words."
    ]
    assert "It is a commonly used password that attackers try first." in password_problems(
        "Password1234567!", NIST
    )


def test_passwords_built_from_context_are_refused_with_the_reason():
    for built in ("mgarcia-is-my-password", "henderson forever 2026", "lincolnelementary!!"):
        problems = password_problems(built, NIST, context=CONTEXT)
        assert any("do not build it from" in p for p in problems), built
    assert password_problems("quiet lanterns drift north", NIST, context=CONTEXT) == []


def test_short_passwords_say_how_long():
    assert password_problems("tulip7x", NIST) == ["Use at least 15 characters (this has 7)."]


@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet=st.characters(categories=["L", "N", "Zs", "P", "S"]), min_size=15, max_size=64)
)
def test_no_composition_rules_any_long_unicode_passes_length_rules(text):
    problems = password_problems(text, NIST)
    assert not any("Include" in p or "characters (" in p for p in problems)


def test_checklist_and_strength_for_live_feedback():
    rules = password_checklist("short", NIST)
    assert str(rules[0].rule) == "At least 15 characters" and not rules[0].ok
    assert all(r.ok for r in password_checklist("quiet lanterns drift north", NIST))
    assert strength("password") < strength("quiet lanterns drift north") == 4

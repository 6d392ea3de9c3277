"""Activation key format: generated, shown, parsed and hashed."""

from __future__ import annotations

import re

import pytest

from kiosk import keys
from kiosk.errors import KeyProblem

GUID = re.compile(r"^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$")


def test_new_keys_are_128_random_bits_in_guid_form():
    made = {keys.new_key() for _ in range(200)}
    assert len(made) == 200
    for key in made:
        assert re.fullmatch(r"[0-9A-F]{32}", key)
        assert GUID.match(keys.format_key(key))


@pytest.mark.parametrize(
    "typed",
    [
        "{E69293F4-1CB5-4E29-8F1E-EEF6FF3BB7F7}",
        "E69293F4-1CB5-4E29-8F1E-EEF6FF3BB7F7",
        "e69293f41cb54e298f1eeef6ff3bb7f7",
        "{ E69293F4 - 1CB5 - 4E29 - 8F1E - EEF6FF3BB7F7 }",
        "  e692 93f4 1cb5 4e29 8f1e eef6 ff3b b7f7 ",
    ],
)
def test_keys_are_accepted_with_or_without_braces_dashes_spaces_any_case(typed):
    assert keys.normalize_key(typed) == "E69293F41CB54E298F1EEEF6FF3BB7F7"
    assert keys.format_key(typed) == "{E69293F4-1CB5-4E29-8F1E-EEF6FF3BB7F7}"


def test_wrong_characters_are_named():
    with pytest.raises(KeyProblem) as err:
        keys.normalize_key("{E69293F4-1CB5-4E29-8F1E-EEF6FF3BB7FO}")
    assert "'O'" in str(err.value) and "number 0" in str(err.value)
    with pytest.raises(KeyProblem, match=r"'G', '#'"):
        keys.normalize_key("G#69293F41CB54E298F1EEEF6FF3BB7F7")


def test_wrong_length_says_how_many_were_typed():
    with pytest.raises(KeyProblem, match="this has 31"):
        keys.normalize_key("E69293F41CB54E298F1EEEF6FF3BB7F")
    with pytest.raises(KeyProblem, match="Type the activation key"):
        keys.normalize_key("   ")


def test_control_characters_are_refused_by_codepoint():
    with pytest.raises(KeyProblem, match="U\\+001B"):
        keys.normalize_key("\x1b[31mE69293F41CB54E298F1EEEF6FF3BB7F7")


def test_the_hash_does_not_contain_the_key():
    key = keys.new_key()
    digest = keys.hash_key(key)
    assert key.lower() not in digest and key not in digest
    assert digest == keys.hash_key(keys.format_key(key).lower())


def test_partial_formatting_groups_as_typed():
    assert keys.format_partial("e692") == "E692"
    assert keys.format_partial("e69293f41c") == "E69293F4-1C"
    assert keys.format_partial("{E69293F4-1CB5-4E29-8F1E-EEF6FF3BB7F7}") == (
        "E69293F4-1CB5-4E29-8F1E-EEF6FF3BB7F7"
    )


def test_activation_link_uses_the_district_url_or_the_bare_key():
    key = "E69293F41CB54E298F1EEEF6FF3BB7F7"
    assert keys.activation_link("", key) == "{E69293F4-1CB5-4E29-8F1E-EEF6FF3BB7F7}"
    assert keys.activation_link("https://p.example/a#key={key}", key) == (
        f"https://p.example/a#key={key}"
    )
    # Without a {key} placeholder the key still goes in the fragment, never the query.
    assert keys.activation_link("https://p.example/a", key) == f"https://p.example/a#key={key}"

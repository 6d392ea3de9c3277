"""kiosk.toml: found, read once, validated; every seed district expressible."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk import passwords
from kiosk.cli import main
from kiosk.config import config_from_dict, find_config_path, load_config
from kiosk.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


def password_problems(*args, **kwargs) -> list[str]:
    """The problems as the English sentences a person reads."""
    return [str(p) for p in passwords.password_problems(*args, **kwargs)]


def username_problems(*args, **kwargs) -> list[str]:
    return [str(p) for p in passwords.username_problems(*args, **kwargs)]


def test_the_shipped_kiosk_toml_is_valid():
    config = load_config(ROOT / "kiosk.toml")
    assert config.district.name == "Front Desk Demo District"
    assert [s.code for s in config.schools] == ["ES", "MS", "HS"]
    assert config.passwords.min_length == 15


def test_search_order_flag_then_env_then_cwd(tmp_path, monkeypatch):
    (tmp_path / "kiosk.toml").write_text("")
    assert find_config_path() == tmp_path / "kiosk.toml"
    monkeypatch.setenv("KIOSK_CONFIG", str(tmp_path / "env.toml"))
    assert find_config_path() == tmp_path / "env.toml"
    assert find_config_path(tmp_path / "flag.toml") == tmp_path / "flag.toml"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[passwords]\nmin_lenght = 9\n", "unknown key 'min_lenght'. Allowed keys: min_length"),
        ('[passwords]\nmin_length = "9"\n', "'min_length' must be a whole number"),
        ("[passwords]\nmin_length = 2\n", "'min_length' must be from 4 to 64"),
        ("[passwords]\nmax_length = 20\n", "'max_length' must be from 64"),
        ('[usernames]\nallowed = "emoji"\n', '\'allowed\' must be "any" or "alphanumeric"'),
        ('[mail]\nmode = "pigeon"\n', '\'mode\' must be "outbox" or "smtp"'),
        ('[portal]\nshows = ["lunch"]\n', "unknown sections ['lunch']"),
        ("[colours]\nx = 1\n", "unknown key 'colours'"),
        ("[keys]\nlifetime_days = true\n", "'lifetime_days' must be a whole number"),
        ("[district\nname = 1\n", "not valid TOML"),
    ],
)
def test_bad_config_exits_2_naming_file_key_and_what_is_allowed(tmp_path, text, expected):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(path) in str(err.value) and expected in str(err.value)
    result = CliRunner().invoke(main, ["--config", str(path), "find", "x"])
    assert result.exit_code == 2
    assert expected in result.output and "Traceback" not in result.output


def test_a_missing_config_file_is_explained(tmp_path):
    result = CliRunner().invoke(main, ["--config", str(tmp_path / "nope.toml"), "doctor"])
    assert "configuration file not found" in result.output and result.exit_code == 1


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_district_loads(path):
    assert load_config(path).district.name


def test_there_are_examples_for_the_seed_districts():
    assert {p.stem for p in EXAMPLES} >= {
        "henderson-ky",
        "clayton-ga",
        "jefferson-city-mo",
        "hardin-county",
        "henry-ga",
    }


def test_henderson_rules_9_characters_letters_and_numbers_or_symbols():
    policy = load_config(ROOT / "examples/henderson-ky.toml").passwords
    assert password_problems("abcdefgh", policy) == [
        "Use at least 9 characters (this has 8).",
        "Include at least one number or symbol.",
    ]
    assert password_problems("tulip7garden", policy) == []
    assert "Include at least one letter." in password_problems("123456789!", policy)


def test_jefferson_city_rules_8_with_letters_numbers_and_specials():
    policy = load_config(ROOT / "examples/jefferson-city-mo.toml").passwords
    assert "Include at least one special character such as @ # $ %." in password_problems(
        "tulip7garden", policy
    )
    assert password_problems("tulip7#garden", policy) == []


def test_clayton_usernames_alphanumeric_and_not_all_numeric():
    policy = load_config(ROOT / "examples/clayton-ga.toml").usernames
    assert username_problems("12345678", policy) == [
        "Include at least one letter: all-number usernames are kept for students."
    ]
    assert username_problems("m.garcia", policy) == ["Use only letters A-Z and numbers 0-9."]
    assert username_problems("mgarcia2", policy) == []


def test_hardin_turns_attendance_off_and_lets_schools_create_accounts():
    config = load_config(ROOT / "examples/hardin-county.toml")
    assert "attendance" not in config.portal.shows
    assert config.portal.staff_may_create_accounts


def test_mobile_codes_and_support_from_the_seeds():
    assert load_config(ROOT / "examples/henderson-ky.toml").district.mobile_app_code == (
        "Henderson"
    )
    assert load_config(ROOT / "examples/clayton-ga.toml").district.mobile_app_code == "JPRQQH"
    jcps = load_config(ROOT / "examples/jefferson-city-mo.toml").support
    assert "two (2) school days" in jcps.response_time


def test_default_policy_is_nist():
    policy = config_from_dict({}).passwords
    assert policy.min_length == 15 and policy.max_length >= 64
    assert not (policy.require_digit or policy.require_symbol or policy.require_letter)
    long_unicode = "ñandú " * 10 + "çafé"
    assert len(long_unicode) == 64
    assert password_problems(long_unicode, policy) == []

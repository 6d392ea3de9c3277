"""The command line: every verb, its --help, clear one-line errors, never a traceback."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from kiosk.cli import main
from kiosk.demo import PARENT_PASSWORD
from tests.conftest import TEST_SECRET

COMMANDS = [
    [],
    ["init"],
    ["demo"],
    ["find"],
    ["keys", "issue"],
    ["keys", "revoke"],
    ["accounts", "show"],
    ["accounts", "reset"],
    ["accounts", "enable"],
    ["accounts", "disable"],
    ["accounts", "unlock"],
    ["staff", "add"],
    ["staff", "list"],
    ["audit", "verify"],
    ["doctor"],
]


@pytest.fixture
def cli(tmp_path, demo_template):
    """Run ``kiosk`` against a copy of the demo database with a kiosk.toml in the cwd."""
    shutil.copy(demo_template, tmp_path / "kiosk.db")
    (tmp_path / "kiosk.secret").write_text(TEST_SECRET)  # the demo's audit chain is keyed with it
    (tmp_path / "kiosk.toml").write_text(
        '[district]\nname = "CLI District"\n[database]\nurl = "kiosk.db"\n'
        '[mail]\noutbox_dir = "outbox"\n'
    )
    runner = CliRunner()

    def run(*args: str, input: str | None = None):
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)

    return run


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "kiosk")
def test_every_command_has_help(command):
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_init_is_idempotent_and_demo_loads_once(tmp_path):
    (tmp_path / "kiosk.toml").write_text('[database]\nurl = "data/k.db"\n')
    runner = CliRunner()
    first = runner.invoke(main, ["init", "--demo"])
    assert first.exit_code == 0, first.output
    assert "(created)" in first.output and "Loaded the demo district" in first.output
    second = runner.invoke(main, ["init", "--demo"])
    assert "already up to date" in second.output and "not loaded" in second.output


def test_find_json_lists_guardians_and_students(cli):
    result = cli("find", "garcia", "--json")
    hits = json.loads(result.output)
    assert {"kind", "id", "name", "school"} <= set(hits[0])
    assert {(h["kind"], h["id"]) for h in hits} >= {("guardian", "G-1001"), ("student", "S-2001")}
    assert "No guardians or students match." in cli("find", "zzzz").output


def test_find_by_student_number_and_phone(cli):
    assert "Sofia Garcia" in cli("find", "100201").output
    assert "Maria Garcia" in cli("find", "555-0101").output


def test_keys_issue_prints_the_key_and_a_qr_code_and_revoke(cli):
    result = cli("keys", "issue", "G-1001")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[1].strip().startswith("{") and lines[1].strip().endswith("}")
    assert any("█" in line for line in lines)
    assert "Key revoked." in cli("keys", "revoke", "G-1001").output
    assert "no live key" in cli("keys", "revoke", "G-1001").output


def test_errors_are_one_line_without_a_traceback(cli):
    for args in (
        ["keys", "issue", "G-9999"],
        ["keys", "issue", "G-1003"],
        ["accounts", "show", "nobody"],
    ):
        result = cli(*args)
        assert result.exit_code == 1
        assert result.output.startswith("Error: ") and result.output.count("\n") == 1
        assert "Traceback" not in result.output


def test_accounts_verbs(cli):
    assert "status:          disabled" in cli("accounts", "show", "rchen").output
    assert cli("accounts", "enable", "rchen").output == "rchen: active\n"
    assert cli("accounts", "disable", "rchen").output == "rchen: disabled\n"
    assert cli("accounts", "unlock", "ppatel").output == "ppatel: active\n"
    reset = cli("accounts", "reset", "alopez", "--proof", "photo_id")
    assert "Temporary password for alopez:" in reset.output
    assert PARENT_PASSWORD not in reset.output


def test_staff_add_reads_the_password_from_stdin(cli):
    result = cli(
        "staff",
        "add",
        "newdesk",
        "--role",
        "front_desk",
        "--school",
        "ES",
        "--password-stdin",
        input="a long staff passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "Added newdesk (front_desk; schools ES)" in result.output
    assert "newdesk" in cli("staff", "list").output
    weak = cli(
        "staff", "add", "weak", "--role", "district_admin", "--password-stdin", input="short\n"
    )
    assert weak.exit_code == 1 and "at least 15 characters" in weak.output


def test_doctor_reports_each_part(cli):
    result = cli("doctor")
    assert "[ok  ] configuration" in result.output
    assert "[ok  ] database: schema version" in result.output
    assert "[ok  ] mail: outbox folder" in result.output
    assert result.exit_code == 0


def test_doctor_says_when_the_database_is_not_set_up(tmp_path):
    (tmp_path / "kiosk.toml").write_text('[database]\nurl = "empty.db"\n')
    result = CliRunner().invoke(main, ["doctor"])
    assert "[FAIL] database" in result.output and "kiosk init" in result.output
    assert result.exit_code == 1


def test_a_missing_database_folder_is_explained(tmp_path):
    (tmp_path / "kiosk.toml").write_text('[database]\nurl = "nowhere/k.db"\n')
    result = CliRunner().invoke(main, ["find", "x"])
    assert result.exit_code == 1 and "does not exist" in result.output


def test_demo_in_a_fresh_folder_sets_up_everything_init_would(tmp_path, monkeypatch):
    """The README's first command: ``kiosk demo`` on a fresh checkout starts the app on a
    database with the demo district, the district secret and the federation keys."""
    import kiosk.cli.start as start

    started = []
    monkeypatch.setattr(start, "run_app", lambda st, **kw: started.append(kw))
    (tmp_path / "kiosk.toml").write_text(
        '[database]\nurl = "var/kiosk.db"\n[security]\nsecret_file = "var/kiosk.secret"\n'
    )
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    assert started == [{"demo": True}]
    assert (tmp_path / "var" / "kiosk.secret").exists()
    found = CliRunner().invoke(main, ["find", "garcia"])
    assert found.exit_code == 0 and "Maria Garcia" in found.output, found.output


def test_every_listed_command_loads_under_its_own_name():
    """Subcommands load on demand (``kiosk.cli.LazyGroup``): each name in ``kiosk --help``
    must lead to the command of that name."""
    import click

    group_ctx = click.Context(main)
    names = main.list_commands(group_ctx)
    assert {"import", "report", "serve", "admin", "federation"} <= set(names)
    for name in names:
        assert main.get_command(group_ctx, name).name == name


def test_a_mistyped_command_suggests_the_right_one():
    result = CliRunner().invoke(main, ["repot"])
    assert result.exit_code == 2
    assert "No such command 'repot'. Did you mean 'report'?" in result.output

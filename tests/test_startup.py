"""The ``kiosk`` command's plain start-up: it paints Welcome, a database that cannot be used is
refused in one line before any screen, and PostgreSQL's driver is an optional extra."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk.context import Context
from tests.test_cli_admin import cli_config


def test_the_kiosk_command_paints_welcome_and_exits_cleanly(ctx: Context, tmp_path: Path):
    """The real command, start to first screen, under the benchmark's stand-in terminal: it
    draws Welcome and exits 0 when asked, with nothing on stderr."""
    from bench.startup import ROOT, paint_env

    out = subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", str(cli_config(ctx, tmp_path))],
        capture_output=True,
        text=True,
        env=paint_env(),
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert '"ready_at"' in out.stdout and out.stderr == ""


def uninitialised_config(tmp_path: Path, url: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f'[district]\nname = "Test Valley Schools"\n[database]\nurl = "{url}"\n'
        f'[mail]\nmode = "outbox"\noutbox_dir = "{tmp_path}/outbox"\n'
        f'[security]\nsecret_file = "{tmp_path}/secret"\n'
    )
    return path


@pytest.mark.parametrize("command", [[], ["admin"]])
def test_a_database_never_set_up_is_refused_in_one_line_before_any_screen(tmp_path, command):
    from kiosk.cli import main

    config = uninitialised_config(tmp_path, f"sqlite:///{tmp_path}/never-initialised.db")
    result = CliRunner().invoke(main, ["--config", str(config), *command])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "kiosk init" in lines[0], result.output
    assert "Traceback" not in result.output


def test_a_postgresql_url_without_the_driver_names_the_install_command(tmp_path: Path):
    """psycopg is the ``postgres`` extra: without it, one line says how to install it."""
    config = uninitialised_config(tmp_path, "postgresql://nobody@127.0.0.1:1/none")
    code = (
        "import sys; sys.modules['psycopg'] = None; sys.modules['psycopg2'] = None; "
        "from kiosk.cli import main; main()"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, "--config", str(config), "find", "x"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert "pip install 'front-desk-kiosk[postgres]'" in lines[0]


def test_the_postgres_extra_carries_the_driver_and_the_test_extra_pulls_it_in() -> None:
    import tomllib

    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    project = tomllib.loads(pyproject.read_text())["project"]
    assert not any(d.startswith("psycopg") for d in project["dependencies"])
    assert any(d.startswith("psycopg") for d in project["optional-dependencies"]["postgres"])
    assert "front-desk-kiosk[postgres]" in project["optional-dependencies"]["test"]
    assert project["scripts"]["kiosk"] == "kiosk.cli:main"


def loaded_in_a_fresh_process(setup: str, modules: tuple[str, ...]) -> list[str]:
    """Which of ``modules`` a new interpreter has loaded once it has run ``setup``."""
    code = f"import sys; {setup}; print(sorted(m for m in {modules!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return ast.literal_eval(out.stdout.strip())


def test_a_kiosk_loads_argon2_and_smtplib_only_when_first_needed() -> None:
    setup = (
        "import kiosk.services.people; from kiosk.app import make_app; "
        "import kiosk.screens.welcome; from kiosk.store import open_store; "
        "s = open_store('sqlite:///:memory:'); s.db.execute_sql('select 1')"
    )
    assert loaded_in_a_fresh_process(setup, ("argon2", "smtplib")) == []


def test_starting_the_kiosk_loads_neither_the_admin_console_nor_the_other_commands() -> None:
    """Cold start is budgeted at 2x a bare Textual app (docs/PERFORMANCE.md): the admin
    console's screens and the district-IT verbs load when first asked for (their tests use them)."""
    later = (
        "kiosk.screens.admin_home",
        "kiosk.screens.admin_import",
        "kiosk.cli.accounts",
        "kiosk.cli.reports",
        "kiosk.web.cli",
        "kiosk.federation.cli",
    )
    start = "import kiosk.cli; from kiosk.app import make_app; import kiosk.supervise"
    assert loaded_in_a_fresh_process(start, later) == []
    asked = (
        f"{start}; from click.testing import CliRunner as R; R().invoke(kiosk.cli.main, 'report')"
    )
    assert loaded_in_a_fresh_process(asked, later) == ["kiosk.cli.reports"]


def test_the_app_import_runs_in_a_child_process_with_the_same_answers(ctx, tmp_path: Path):
    """The admin console's import cannot freeze the screen: it runs in its own process, and
    what comes back (a summary, or a refusal with every problem) is what import_roster says."""
    from bench.generate import generate
    from kiosk.auth import SYSTEM
    from kiosk.services.roster import RosterRejected
    from kiosk.services.roster_process import import_roster_isolated
    from kiosk.store.models import Student

    generate(tmp_path / "roster", 60, seed=2)
    summary = import_roster_isolated(ctx, SYSTEM, tmp_path / "roster")
    assert summary.students == 60 and not summary.dry_run
    with ctx.store.read():  # written by the child, seen here
        assert Student.select().count() == 10 + 60  # the demo district and the roster
    (tmp_path / "roster" / "users.csv").write_text("sourcedId,givenName,familyName\n")
    with pytest.raises(RosterRejected) as refused:
        import_roster_isolated(ctx, SYSTEM, tmp_path / "roster")
    assert refused.value.problems and "nothing was changed" in str(refused.value)

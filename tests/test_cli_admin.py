"""The district-IT command line: shared helper and end-to-end checks of the admin verbs."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from kiosk.cli import main
from kiosk.context import Context
from kiosk.store import models


def cli_config(ctx: Context, tmp_path: Path) -> Path:
    """A kiosk.toml pointing at the test's database (the CLI opens its own connection)."""
    path = tmp_path / "cli.toml"
    if not path.exists():
        path.write_text(
            f'[district]\nname = "Test Valley Schools"\nmobile_app_code = "TVS"\n'
            f'[database]\nurl = "{ctx.store.url}"\n'
            f'[mail]\nmode = "outbox"\noutbox_dir = "{tmp_path}/cli-outbox"\n'
            f'[security]\nsecret_file = "{tmp_path}/kiosk.secret"\n'
        )
    return path


def invoke(ctx: Context, tmp_path: Path, *args: str, input: str | None = None) -> Result:
    """Run ``kiosk --config ... ARGS``, then give the models back to the test's connection."""
    try:
        return CliRunner().invoke(
            main, ["--config", str(cli_config(ctx, tmp_path)), *args], input=input
        )
    finally:
        models.database_proxy.initialize(ctx.store.db)


def test_district_it_session_end_to_end(ctx: Context, tmp_path: Path) -> None:
    """Import a roster, fix a duplicate, mail letters, then check reports and the audit log."""
    import csv
    import json

    from bench.generate import generate

    generate(tmp_path / "roster", 300, seed=5)
    imported = invoke(ctx, tmp_path, "import", "oneroster", str(tmp_path / "roster"), "--json")
    assert imported.exit_code == 0, imported.output
    summary = json.loads(imported.output)
    assert summary["students"] == 300 and summary["households"] > 50
    duplicates = json.loads(invoke(ctx, tmp_path, "households", "duplicates", "--json").output)
    assert duplicates, "the generated district has same-named neighbours"
    first = duplicates[0]
    merged = invoke(ctx, tmp_path, "households", "merge", first["first_id"], first["second_id"])
    assert merged.exit_code == 0, merged.output
    letters = invoke(ctx, tmp_path, "letters", str(tmp_path / "l.pdf"), "--csv",
                     str(tmp_path / "l.csv"), "--only", "no-key")  # fmt: skip
    assert letters.exit_code == 0, letters.output
    with open(tmp_path / "l.csv", encoding="utf-8-sig", newline="") as fh:
        mailed = list(csv.DictReader(fh))
    assert first["second_id"] not in {row["guardian_id"] for row in mailed}  # merged away
    pending = json.loads(invoke(ctx, tmp_path, "report", "unredeemed-keys", "--json").output)
    assert {r["guardian_id"] for r in pending} == {row["guardian_id"] for row in mailed}
    none_left = json.loads(invoke(ctx, tmp_path, "report", "no-account", "--json").output)
    assert all(r["has_live_key"] for r in none_left)
    events = invoke(ctx, tmp_path, "audit", "export", "--format", "jsonl", "--action", "roster.")
    assert [json.loads(line)["action"] for line in events.output.splitlines()] == ["roster.import"]
    verified = invoke(ctx, tmp_path, "audit", "verify")
    assert verified.exit_code == 0 and "Audit log intact" in verified.output


def test_init_upgrades_an_old_database_from_the_command_line(tmp_path: Path) -> None:
    from kiosk.store.db import MIGRATIONS, open_store
    from kiosk.store.models import Guardian, SchemaVersion

    store = open_store(f"sqlite:///{tmp_path / 'old.db'}")
    field = Guardian._meta.fields["merged_into"]
    Guardian._meta.remove_field("merged_into")  # the tables as release 1 made them
    try:
        MIGRATIONS[1](store.db)
    finally:
        Guardian._meta.add_field("merged_into", field)
    SchemaVersion.create(version=1, applied_at="2026-01-01T00:00:00+00:00")
    store.close()
    config = tmp_path / "old.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "old.db"}"\n')
    run = CliRunner().invoke
    refused = run(main, ["--config", str(config), "report", "locked-disabled"])
    assert refused.exit_code == 1 and "run 'kiosk init' to upgrade it" in refused.output
    upgraded = run(main, ["--config", str(config), "init"])
    assert upgraded.exit_code == 0, upgraded.output
    assert f"schema version {max(MIGRATIONS)} (upgraded from 1)" in upgraded.output
    again = run(main, ["--config", str(config), "init"])
    assert "(already up to date)" in again.output
    assert run(main, ["--config", str(config), "report", "locked-disabled"]).exit_code == 0

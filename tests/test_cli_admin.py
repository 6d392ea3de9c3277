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
            f'[security]\nsecret_file = "{tmp_path}/cli.secret"\n'
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

"""The ``kiosk`` command: the app, the demo, and the verbs district IT script against.

Every command answers a refusal with one clear line on stderr and a non-zero exit code, never a
traceback: exit 2 for configuration problems, 1 for everything else. One module per command
group; this one only assembles them, loading a group's module when that command is asked for
(click's documented lazy subcommands), so starting the app does not import the other verbs.
"""

from __future__ import annotations

import importlib

import click

from kiosk.cli import start
from kiosk.cli.common import State

#: Command name -> "module:attribute" (``kiosk --help`` lists them sorted, as click does).
COMMANDS: dict[str, str] = {
    "admin": "kiosk.cli.start:admin",
    "init": "kiosk.cli.start:init",
    "demo": "kiosk.cli.start:demo",
    "find": "kiosk.cli.accounts:find",
    "keys": "kiosk.cli.accounts:keys",
    "accounts": "kiosk.cli.accounts:accounts",
    "staff": "kiosk.cli.staff:staff",
    "audit": "kiosk.cli.audit:audit",
    "doctor": "kiosk.cli.start:doctor",
    "import": "kiosk.cli.district:import_group",
    "households": "kiosk.cli.district:households",
    "letters": "kiosk.cli.district:letters",
    "report": "kiosk.cli.reports:report",
    "serve": "kiosk.web.cli:serve",
    "sps": "kiosk.federation.cli:sps",
    "clients": "kiosk.federation.cli:clients",
    "federation": "kiosk.federation.cli:federation",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported when one is asked for (click's documented
    pattern for lazily loading subcommands)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attribute = target.split(":")
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """As click's, with "Did you mean ...?" drawn from the names above: click draws it
        from the commands already loaded, which here are none."""
        name = args[0]
        if not ctx.resilient_parsing and not name.startswith("-") and name not in COMMANDS:
            raise click.NoSuchCommand(name, possibilities=self.list_commands(ctx), ctx=ctx)
        return super().resolve_command(ctx, args)


@click.group(cls=LazyGroup, invoke_without_command=True)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="kiosk.toml to use (default: $KIOSK_CONFIG, then ./kiosk.toml).",
)
@click.version_option(package_name="front-desk-kiosk", prog_name="kiosk")
@click.pass_context
def main(click_ctx: click.Context, config_path: str | None) -> None:
    """Front Desk: parent-portal accounts in one visit.

    Run with no command to start the front-desk app.
    """
    click_ctx.obj = State(config_path)
    click_ctx.call_on_close(click_ctx.obj.close)
    if click_ctx.invoked_subcommand is None:
        start.run_app(click_ctx.obj, demo=False)

"""The ``kiosk`` command: the app, the demo, and the verbs district IT script against.

Every command answers a refusal with one clear line on stderr and a non-zero exit code, never a
traceback: exit 2 for configuration problems, 1 for everything else. One module per command
group; this one only assembles them.
"""

from __future__ import annotations

import click

from kiosk.cli import accounts, audit, district, reports, staff, start
from kiosk.cli.common import State
from kiosk.federation import cli as federation_cli
from kiosk.web.cli import serve


@click.group(invoke_without_command=True)
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


for command in (
    start.admin,
    start.init,
    start.demo,
    accounts.find,
    accounts.keys,
    accounts.accounts,
    staff.staff,
    audit.audit,
    start.doctor,
    district.import_group,
    district.households,
    district.letters,
    reports.report,
):
    main.add_command(command)
main.add_command(serve)
main.add_command(federation_cli.sps)
main.add_command(federation_cli.clients)
main.add_command(federation_cli.federation)

"""Staff users: ``kiosk staff add|list|disable|enable|reset``."""

from __future__ import annotations

import sys

import click

from kiosk.auth import ROLES, SYSTEM
from kiosk.cli.common import friendly, state


@click.group()
def staff() -> None:
    """Manage staff users."""


@staff.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--school", "schools", multiple=True, help="School code served (repeatable).")
@click.option("--name", "display_name", default="", help="Full name shown in the app.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@friendly
def staff_add(
    username: str, role: str, schools: tuple[str, ...], display_name: str, password_stdin: bool
) -> None:
    """Add a staff user (password prompted, or read with --password-stdin)."""
    from kiosk.services.staff import add_staff

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    info = add_staff(
        state().context(), SYSTEM, username, password, role, list(schools), display_name
    )
    click.echo(
        f"Added {info.username} ({info.role}"
        + (f"; schools {', '.join(info.schools)})" if info.schools else ")")
    )


@staff.command("list")
@friendly
def staff_list() -> None:
    """List staff users."""
    from kiosk.services.staff import list_staff

    for s in list_staff(state().context(), SYSTEM):
        flag = "" if s.enabled else "  (disabled)"
        click.echo(f"{s.username:16} {s.role:15} {','.join(s.schools) or 'all'}{flag}")


@staff.command("disable")
@click.argument("username")
@friendly
def staff_disable(username: str) -> None:
    """Disable a staff user (they can no longer sign in)."""
    from kiosk.services.staff import set_staff_enabled

    info = set_staff_enabled(state().context(), SYSTEM, username, False)
    click.echo(f"{info.username}: disabled")


@staff.command("enable")
@click.argument("username")
@friendly
def staff_enable(username: str) -> None:
    """Enable a disabled staff user again."""
    from kiosk.services.staff import set_staff_enabled

    info = set_staff_enabled(state().context(), SYSTEM, username, True)
    click.echo(f"{info.username}: enabled")


@staff.command("reset")
@click.argument("username")
@click.option("--prompt", "prompt", is_flag=True, help="Type the new password instead.")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input.")
@friendly
def staff_reset(username: str, prompt: bool, password_stdin: bool) -> None:
    """Reset a staff password: a temporary one (printed once, must be changed at the next
    sign-in), or one you type with --prompt/--password-stdin."""
    from kiosk.services.staff import reset_staff_password

    password = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif prompt:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    result = reset_staff_password(state().context(), SYSTEM, username, password)
    if result.temporary_password:
        click.echo(f"Temporary password for {result.username}: {result.temporary_password}")
        click.echo("It must be changed at the next sign-in. It is not shown again.")
    else:
        click.echo(f"Password for {result.username} changed.")

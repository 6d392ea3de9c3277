"""Guardians and their keys and accounts: ``find``, ``keys``, ``accounts``."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from typing import Any

import click

from kiosk.auth import SYSTEM
from kiosk.cli.common import friendly, state


@click.command()
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.option("--limit", default=25, show_default=True, help="Most results of each kind.")
@friendly
def find(text: str, as_json: bool, limit: int) -> None:
    """Search guardians and students by name, student number, phone or email."""
    from kiosk.services.people import search

    hits = search(state().context(), SYSTEM, text, limit=limit)
    if as_json:
        click.echo(json.dumps([asdict(h) for h in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo("No guardians or students match.")
    for h in hits:
        click.echo(f"{h.kind:8}  {h.id:12}  {h.name}  ({h.school})  {h.detail}")


@click.group()
def keys() -> None:
    """Issue and revoke activation keys."""


@keys.command("issue")
@click.argument("guardian_id")
@click.option("--email", "send_email", is_flag=True, help="Also email it to the guardian.")
@friendly
def keys_issue(guardian_id: str, send_email: bool) -> None:
    """Issue GUARDIAN_ID's key (revoking any older one) and show it with its QR code."""
    from kiosk.qr import terminal_text
    from kiosk.services.activation import email_key, issue_key

    ctx = state().context()
    issued = issue_key(ctx, SYSTEM, guardian_id)
    click.echo(f"Activation key for {issued.guardian_name} ({issued.guardian_id}):")
    click.echo(f"  {issued.key}")
    click.echo(f"  expires {issued.expires_at:%Y-%m-%d %H:%M} UTC")
    click.echo(terminal_text(issued.link, color=sys.stdout.isatty()))
    if send_email:
        click.echo(f"Emailed to {email_key(ctx, SYSTEM, issued)}.")


@keys.command("revoke")
@click.argument("guardian_id")
@friendly
def keys_revoke(guardian_id: str) -> None:
    """Revoke GUARDIAN_ID's live key."""
    from kiosk.services.activation import revoke_key

    count = revoke_key(state().context(), SYSTEM, guardian_id)
    click.echo("Key revoked." if count else "This guardian had no live key.")


@click.group()
def accounts() -> None:
    """Look up and fix parents' portal accounts."""


def _print_status(status: Any) -> None:
    click.echo(f"username:        {status.username}")
    click.echo(f"guardian:        {status.guardian_name} ({status.guardian_id})")
    click.echo(f"status:          {status.state}")
    click.echo(f"failed attempts: {status.failed_attempts}")
    last = status.last_sign_in_at
    click.echo(f"last sign-in:    {last:%Y-%m-%d %H:%M} UTC" if last else "last sign-in:    never")
    email = status.recovery_email or "none"
    click.echo(
        f"recovery email:  {email}"
        + (" (verified)" if status.recovery_email_verified else " (not verified)")
    )


@accounts.command("show")
@click.argument("username")
@friendly
def accounts_show(username: str) -> None:
    """Show an account's status."""
    from kiosk.services.staff import account_status

    _print_status(account_status(state().context(), SYSTEM, username))


@accounts.command("reset")
@click.argument("username")
@click.option(
    "--proof",
    type=click.Choice(["photo_id", "guardianship_questions"]),
    required=True,
    help="How the parent re-proved who they are.",
)
@click.option(
    "--answered",
    default="",
    help="With guardianship_questions: the question ids "
    "answered correctly, comma-separated (parent_name,student_name,mailing_address,"
    "home_phone,ssn_or_student_id).",
)
@friendly
def accounts_reset(username: str, proof: str, answered: str) -> None:
    """Reset to a temporary password that must be changed at the next sign-in."""
    from kiosk.services.staff import reset_password

    temp = reset_password(
        state().context(),
        SYSTEM,
        username,
        proof,
        [a.strip() for a in answered.split(",") if a.strip()],
    )
    click.echo(f"Temporary password for {temp.username}: {temp.password}")
    click.echo(
        f"It works until {temp.expires_at:%Y-%m-%d %H:%M} UTC and only allows choosing "
        "a new password."
    )


def _simple_action(name: str, doc: str) -> None:
    @accounts.command(name, help=doc)
    @click.argument("username")
    @friendly
    def command(username: str) -> None:
        from kiosk.services import staff

        status = getattr(staff, f"{name}_account")(state().context(), SYSTEM, username)
        click.echo(f"{status.username}: {status.state}")


_simple_action("enable", "Enable a disabled account.")
_simple_action("disable", "Disable an account (ends its sessions).")
_simple_action("unlock", "Unlock an account locked after failed sign-ins.")

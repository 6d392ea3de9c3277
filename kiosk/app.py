"""The front-desk app entry point (the screens arrive with the UI work)."""

from __future__ import annotations

from kiosk.context import Context


def run(ctx: Context, *, demo: bool = False) -> None:
    import click

    click.echo(
        "Front Desk is set up: the database is ready"
        + (" with the demo district" if demo else "")
        + ".\nThe full-screen front-desk app is not part of this build yet; use the command-line "
        "verbs meanwhile (kiosk --help)."
    )

"""The audit log: ``kiosk audit verify|checkpoint|export``."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, NoReturn

import click

from kiosk.auth import SYSTEM
from kiosk.cli.common import friendly, state

if TYPE_CHECKING:
    from kiosk.audit import VerifyResult


@click.group()
def audit() -> None:
    """The tamper-evident audit log."""


@audit.command("verify")
@friendly
def audit_verify() -> None:
    """Check the keyed chain against the last checkpoint, then write a new checkpoint.

    Exits 1 if any event was edited, inserted or deleted, or the log is shorter than the
    checkpoint says.
    """
    from kiosk.audit_checkpoint import verify_and_checkpoint

    outcome = verify_and_checkpoint(state().context())
    result = outcome.result
    if not result.ok:
        _report_tampering(result)
    legacy = f" ({result.legacy} from before the chain was keyed)" if result.legacy else ""
    click.echo(f"Audit log intact: {result.count} events{legacy}. Head hash {result.head}.")
    click.echo(f"Checkpoint written to {outcome.written}.")


@audit.command("checkpoint")
@friendly
def audit_checkpoint() -> None:
    """Verify the log and record its length and head outside the database (for cron).

    Silent when the log is intact; exits 1 and says why when it is not.
    """
    from kiosk.audit_checkpoint import verify_and_checkpoint

    outcome = verify_and_checkpoint(state().context())
    if not outcome.result.ok:
        _report_tampering(outcome.result)


def _report_tampering(result: VerifyResult) -> NoReturn:
    for problem in result.problems:
        click.echo(problem, err=True)
    click.echo(
        f"Audit log TAMPERED: {len(result.problems)} problem(s) in {result.count} events.", err=True
    )
    sys.exit(1)


@audit.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv",
              show_default=True)  # fmt: skip
@click.option("--actor", help="Only events whose actor contains this (e.g. staff:desk).")
@click.option("--action", help="Only actions starting with this (e.g. key. or signin).")
@click.option(
    "--target",
    help="Only events whose target contains this (e.g. G-1001), or of this parent username.",
)
@click.option("--since", help="From this UTC date or date-time (inclusive).")
@click.option("--until", help="Before this UTC date or date-time.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to a file.")
@friendly
def audit_export(
    fmt: str,
    actor: str | None,
    action: str | None,
    target: str | None,
    since: str | None,
    until: str | None,
    output: str | None,
) -> None:
    """Export audit events as CSV or JSON Lines (to standard output by default)."""
    from kiosk.services.audit_export import Filters, export

    filters = Filters(actor, action, target, since, until)
    ctx = state().context()
    if output:
        with open(output, "w", encoding="utf-8", newline="") as handle:
            count = export(ctx, SYSTEM, handle, fmt, filters)
        click.echo(f"Exported {count} event(s) to {output}.", err=True)
    else:
        export(ctx, SYSTEM, sys.stdout, fmt, filters)

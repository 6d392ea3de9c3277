"""District data: ``kiosk import``, ``households`` (duplicates, merges, flags) and ``letters``."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from kiosk.auth import SYSTEM
from kiosk.cli.common import friendly, progress, state
from kiosk.text import display


@click.group("import")
def import_group() -> None:
    """Import district data (OneRoster exports)."""


@import_group.command("oneroster")
@click.argument("path", type=click.Path(exists=False))
@click.option("--dry-run", is_flag=True, help="Check the files and count, change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@friendly
def import_oneroster(path: str, dry_run: bool, as_json: bool) -> None:
    """Import a OneRoster 1.1/1.2 CSV export (a folder or a .zip), all or nothing."""
    from kiosk.services.roster import RosterRejected, import_roster

    ctx = state().context()
    try:
        with progress("Roster") as on_step:
            summary = import_roster(ctx, SYSTEM, Path(path), dry_run=dry_run, progress=on_step)
    except RosterRejected as exc:
        if as_json:
            click.echo(json.dumps({"error": "rejected", "problems": exc.problems}))
        raise
    if as_json:
        click.echo(json.dumps(summary.counts()))
        return
    verb = "Would import" if dry_run else "Imported"
    click.echo(
        f"{verb} {summary.schools} schools, {summary.students} students and "
        f"{summary.guardians} guardians."
    )
    if dry_run:
        click.echo(f"{summary.links} guardian-student links. Nothing was changed (dry run).")
    else:
        click.echo(f"{summary.links} links, {summary.households} households.")
        click.echo(
            f"Added {summary.added}, updated {summary.updated}, deactivated {summary.deactivated}."
        )


# -- households and duplicates ---------------------------------------------------------------


@click.group()
def households() -> None:
    """Duplicate person records, merges and relationship flags (registrar work)."""


@households.command("duplicates")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@friendly
def households_duplicates(as_json: bool) -> None:
    """List likely duplicate guardian records and why each pair was flagged."""
    from kiosk.services.duplicates import find_duplicates

    pairs = find_duplicates(state().context(), SYSTEM)
    if as_json:
        click.echo(json.dumps([asdict(p) for p in pairs], ensure_ascii=False, indent=2))
        return
    if not pairs:
        click.echo("No likely duplicates.")
    for p in pairs:
        accounts = [i for i, has in ((p.first_id, p.first_has_account),
                                     (p.second_id, p.second_has_account)) if has]  # fmt: skip
        click.echo(
            f"{display(p.name)}: {p.first_id} and {p.second_id} ({'; '.join(p.reasons)})"
            + (f"  accounts on: {', '.join(accounts)}" if accounts else "")
        )


@households.command("merge")
@click.argument("keep_id")
@click.argument("drop_id")
@click.option(
    "--keep-account",
    type=click.Choice(["KEEP", "DROP"], case_sensitive=False),
    help="When both records have a portal account: which one stays (the other is disabled).",
)
@click.option("--dry-run", is_flag=True, help="Only show what would move.")
@friendly
def households_merge(keep_id: str, drop_id: str, keep_account: str | None, dry_run: bool) -> None:
    """Merge guardian DROP_ID into KEEP_ID: links, households, keys, requests, account."""
    from kiosk.services.duplicates import merge_guardians, preview_merge

    ctx = state().context()
    if dry_run:
        p = preview_merge(ctx, SYSTEM, keep_id, drop_id)
        click.echo(f"Would merge {p.drop_id} ({display(p.drop_name)}) into {p.keep_id} "
                   f"({display(p.keep_name)}).")  # fmt: skip
        click.echo(f"  students moving: {display(', '.join(p.students_moving)) or 'none'}")
        click.echo(f"  already linked to both: {display(', '.join(p.students_shared)) or 'none'}")
        click.echo(f"  households {p.households_moving}, keys {p.keys_moving}, "
                   f"requests {p.requests_moving}")  # fmt: skip
        click.echo(f"  accounts: keep {p.keep_account or 'none'}, drop {p.drop_account or 'none'}")
        return
    result = merge_guardians(
        ctx, SYSTEM, keep_id, drop_id, keep_account=keep_account.lower() if keep_account else None
    )
    p = result.preview
    click.echo(
        f"Merged {p.drop_id} into {p.keep_id}: {len(p.students_moving)} link(s) moved, "
        f"{len(p.students_shared)} folded, {p.households_moving} household(s), "
        f"{p.keys_moving} key(s), {p.requests_moving} request(s)."
    )
    if result.account:
        click.echo(f"Portal account on {p.keep_id}: {result.account}.")
    if result.disabled_account:
        click.echo(f"Disabled (kept, findable) account: {result.disabled_account}.")


@households.command("flags")
@click.argument("guardian_id")
@click.argument("student_id")
@click.option("--portal/--no-portal", default=None, help="Portal access for this link.")
@click.option("--custody/--no-custody", default=None, help="Custody restriction on this link.")
@click.option("--guardian/--not-guardian", "is_guardian", default=None)
@click.option("--create", is_flag=True, help="Add the relationship if it does not exist.")
@friendly
def households_flags(
    guardian_id: str,
    student_id: str,
    portal: bool | None,
    custody: bool | None,
    is_guardian: bool | None,
    create: bool,
) -> None:
    """Set a guardian-student relationship's portal, custody and guardian flags."""
    from kiosk.services.households import set_relationship_flags

    set_relationship_flags(
        state().context(),
        SYSTEM,
        guardian_id,
        student_id,
        portal_access=portal,
        custody_restriction=custody,
        is_guardian=is_guardian,
        create=create,
    )
    click.echo(f"Updated the relationship {guardian_id} -> {student_id}.")


# -- letters ---------------------------------------------------------------------------------


@click.command()
@click.argument("out_pdf", type=click.Path(dir_okay=False))
@click.option("--school", help="Only guardians of students in this school (code).")
@click.option("--grade", help="Only guardians of students in this grade.")
@click.option(
    "--only",
    type=click.Choice(["no-key", "expired"]),
    help="no-key: skip guardians who still have a live key; expired: only those whose key "
    "expired unused.",
)
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False), help="Also a mail-merge CSV.")
@friendly
def letters(
    out_pdf: str, school: str | None, grade: str | None, only: str | None, csv_path: str | None
) -> None:
    """Issue keys to guardians without an account and write their letters as a PDF.

    Each matching guardian gets a NEW key (older live keys are revoked). The keys are printed
    only in OUT_PDF (and the CSV): keep those files safe and delete them after mailing.
    """
    from kiosk.services.letters import make_letters

    ctx = state().context()
    with progress("Letters") as on_step:
        result = make_letters(
            ctx,
            SYSTEM,
            Path(out_pdf),
            school=school,
            grade=grade,
            only=only,
            csv_path=Path(csv_path) if csv_path else None,
            progress=(lambda n, total: on_step("writing", n, total)) if on_step else None,
        )
    click.echo(
        f"Wrote {result.letters} letter(s) to {result.pdf}"
        + (f" and {result.csv}" if result.csv else "")
        + f"; revoked {result.revoked} older key(s)."
    )

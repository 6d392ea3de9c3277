"""The ``kiosk`` command: the app, the demo, and the verbs district IT script against.

Every command answers a refusal with one clear line on stderr and a non-zero exit code, never a
traceback: exit 2 for configuration problems, 1 for everything else.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import asdict
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from kiosk.config import Config, load_config
from kiosk.context import ROLES, SYSTEM, Context, make_context
from kiosk.errors import ConfigError, KioskError
from kiosk.text import display

F = TypeVar("F", bound=Callable[..., Any])


class State:
    def __init__(self, config_path: str | None) -> None:
        self.config_path = config_path
        self._config: Config | None = None
        self._ctx: Context | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_path)
        return self._config

    def context(self, *, check_schema: bool = True, defer_store: bool = False) -> Context:
        if self._ctx is None:
            self._ctx = make_context(
                self.config, check_schema=check_schema, defer_store=defer_store
            )
        return self._ctx

    def close(self) -> None:
        if self._ctx is not None:
            self._ctx.close()
            self._ctx = None


def friendly(func: F) -> F:
    """Print a ``KioskError`` as one line and exit non-zero."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ConfigError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(2)
        except KioskError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # one line, never a traceback with locals
            if os.environ.get("KIOSK_DEBUG"):
                raise
            click.echo(
                f"Error: unexpected {type(exc).__name__}. Run 'kiosk doctor'; set "
                "KIOSK_DEBUG=1 to see details.",
                err=True,
            )
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


#: The commands that start the app (None: ``kiosk`` alone); see ``kiosk.launch``.
APP_COMMANDS = (None, "admin", "demo")


def state() -> State:
    return click.get_current_context().find_object(State)


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
    if click_ctx.invoked_subcommand not in APP_COMMANDS:
        from kiosk.launch import resume_collection

        resume_collection()  # only the app's start-up runs with collection paused
    if click_ctx.invoked_subcommand is None:
        run_app(click_ctx.obj, demo=False)


def run_app(st: State, *, demo: bool, admin: bool = False) -> None:
    @friendly
    def _run() -> None:
        from kiosk.app import run

        # The database opens right after the first screen is painted (a faster start); a
        # missing or outdated database is reported by the app then.
        ctx = st.context(defer_store=True)
        if admin:
            run(ctx, kiosk_mode=False, admin=True)
        else:
            run(ctx, demo=demo)

    _run()


@main.command()
def admin() -> None:
    """The admin console for district IT (reports, imports, merges, audit, staff).

    Starts at the staff sign-in; meant for SSH sessions (see docs/SSH.md). Unlike the kiosk it
    may be quit with ctrl+q.
    """
    run_app(state(), demo=False, admin=True)


@main.command()
@click.option("--demo", is_flag=True, help="Also load the demo district (only into an empty db).")
@friendly
def init(demo: bool) -> None:
    """Create or upgrade the database (safe to run again)."""
    st = state()
    _ensure_sqlite_folder(st.config)
    ctx = st.context(check_schema=False)
    before, after = ctx.store.migrate()
    click.echo(
        f"Database ready at schema version {after}"
        + (
            f" (upgraded from {before})."
            if before and before != after
            else " (created)."
            if not before
            else " (already up to date)."
        )
    )
    from kiosk.context import secret_key
    from kiosk.services.schools import sync_config_schools

    secret_key(st.config)  # created once, owner-only, beside the database

    added = sync_config_schools(ctx)
    if added:
        click.echo(f"Added {added} school(s) from kiosk.toml.")
    if demo:
        from kiosk.demo import load_demo

        if load_demo(ctx):
            click.echo("Loaded the demo district (see README for sign-ins).")
        else:
            click.echo("The database already has data; demo district not loaded.")


def _ensure_sqlite_folder(config: Config) -> None:
    url = config.database_url
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)


@main.command()
@friendly
def demo() -> None:
    """Create the demo database if missing, then run the app on it."""
    st = state()
    _ensure_sqlite_folder(st.config)
    ctx = st.context(check_schema=False)
    ctx.store.migrate()
    from kiosk.demo import load_demo

    load_demo(ctx)
    run_app(st, demo=True)


@main.command()
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


@main.group()
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


@main.group()
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


@main.group()
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


@main.group()
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
    if result.ok:
        legacy = f" ({result.legacy} from before the chain was keyed)" if result.legacy else ""
        click.echo(f"Audit log intact: {result.count} events{legacy}. Head hash {result.head}.")
        click.echo(f"Checkpoint written to {outcome.written}.")
        return
    _report_tampering(result)


def _report_tampering(result: Any) -> None:
    for problem in result.problems:
        click.echo(problem, err=True)
    click.echo(
        f"Audit log TAMPERED: {len(result.problems)} problem(s) in {result.count} events.", err=True
    )
    sys.exit(1)


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


@audit.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv",
              show_default=True)  # fmt: skip
@click.option("--actor", help="Only events whose actor contains this (e.g. staff:desk).")
@click.option("--action", help="Only actions starting with this (e.g. key. or signin).")
@click.option("--target", help="Only events whose target contains this (e.g. G-1001).")
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


@main.command()
@click.option("--fix", is_flag=True, help="Make files owner-only; remove expired outbox mail.")
@friendly
def doctor(fix: bool) -> None:
    """Check the configuration, database and mail set-up, and say what is wrong."""
    from kiosk.doctor import run_checks

    failures = 0
    for check in run_checks(state().config_path, fix=fix):
        mark = "ok  " if check.ok else "FAIL"
        click.echo(f"[{mark}] {check.name}: {check.message}")
        failures += not check.ok
    sys.exit(1 if failures else 0)


# -- district data: imports ----------------------------------------------------------------


@contextlib.contextmanager
def _progress(label: str) -> Iterator[Callable[[str, int, int], None] | None]:
    """A click progress bar on stderr when it is a terminal; nothing otherwise.

    The callback is ``(stage, step, total)``; a stage with no known total (the first pass
    over a roster) is announced once instead.
    """
    if not sys.stderr.isatty():
        yield None
        return
    current: dict[str, Any] = {"stage": None, "bar": None}

    def finish() -> None:
        if current["bar"] is not None:
            current["bar"].render_finish()
            current["bar"] = None

    def update(stage: str, step: int, total: int) -> None:
        if stage != current["stage"]:
            finish()
            current["stage"] = stage
            if not total:
                click.echo(f"{label}: {stage}...", err=True)
            else:
                current["bar"] = click.progressbar(
                    length=total, label=f"{label}: {stage}", file=sys.stderr
                )
                current["bar"].render_progress()
        if current["bar"] is not None:
            current["bar"].update(step)

    try:
        yield update
    finally:
        finish()


@main.group("import")
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
        with _progress("Roster") as progress:
            summary = import_roster(ctx, SYSTEM, Path(path), dry_run=dry_run, progress=progress)
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


@main.group()
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


@main.command()
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
    with _progress("Letters") as progress:
        result = make_letters(
            ctx,
            SYSTEM,
            Path(out_pdf),
            school=school,
            grade=grade,
            only=only,
            csv_path=Path(csv_path) if csv_path else None,
            progress=(lambda n, total: progress("writing", n, total)) if progress else None,
        )
    click.echo(
        f"Wrote {result.letters} letter(s) to {result.pdf}"
        + (f" and {result.csv}" if result.csv else "")
        + f"; revoked {result.revoked} older key(s)."
    )


# -- reports ---------------------------------------------------------------------------------


class ReportGroup(click.Group):
    """``kiosk report NAME``: one subcommand per report, built when a report is asked for.

    The reports module brings the database layer with it; building these commands when the
    ``kiosk`` module loads would put peewee on the way to the kiosk's first screen.
    """

    def _reports(self) -> dict[str, Any]:
        from kiosk.services.reports import REPORTS

        return REPORTS

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self._reports())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = self._reports().get(cmd_name)
        return None if entry is None else _report_command(cmd_name, entry)


@main.group("report", cls=ReportGroup)
def report() -> None:
    """Reports as a table, --json or --csv."""


def _report_command(name: str, entry: Any) -> click.Command:
    @click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
    @click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
    @friendly
    def command(as_json: bool, as_csv: bool, **options: Any) -> None:
        from kiosk.services.reports import columns

        rows = entry.run(state().context(), SYSTEM, **options)
        _print_rows(rows, columns(entry), as_json=as_json, as_csv=as_csv)

    if name == "unredeemed-keys":
        command = click.option(
            "--expiring-within",
            type=click.IntRange(min=0),
            default=None,
            help="Only keys expiring within this many days.",
        )(command)
    return click.command(name, help=entry.description)(command)


def _print_rows(rows: list, names: list[str], *, as_json: bool, as_csv: bool) -> None:
    data = [asdict(r) for r in rows]
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if as_csv:
        import csv
        import io

        from kiosk.text import csv_safe

        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(names)
        for row in data:
            writer.writerow([csv_safe(display(row[n])) for n in names])
        click.echo(buffer.getvalue(), nl=False)
        return
    if not rows:
        click.echo("Nothing to report.")
        return
    cells = [[display(row[n]) for n in names] for row in data]
    widths = [max(len(n), *(len(c[i]) for c in cells)) for i, n in enumerate(names)]
    click.echo("  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip())
    for c in cells:
        click.echo("  ".join(v.ljust(w) for v, w in zip(c, widths, strict=True)).rstrip())
    click.echo(f"({len(rows)} row(s))")

"""``kiosk doctor``: check each part of the set-up and say plainly what to fix.

``--fix`` repairs what is safe to repair unattended: owner-only modes on the database and
outbox, and outbox messages older than the email-code lifetime removed.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.errors import KioskError

if TYPE_CHECKING:
    from kiosk.config import Config
    from kiosk.mail import OutboxMailer
    from kiosk.store.db import Store

#: How far back ``kiosk doctor`` looks for mail that could not be sent.
MAIL_FAILURE_DAYS = 7


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    message: str


def run_checks(config_path: str | None, *, fix: bool = False) -> list[Check]:
    from kiosk.config import find_config_path, load_config
    from kiosk.store.db import open_store

    checks: list[Check] = []
    path = find_config_path(config_path)
    try:
        config = load_config(config_path)
    except KioskError as exc:
        return [Check("configuration", False, str(exc))]
    checks.append(
        Check(
            "configuration",
            True,
            f"{path} is valid" if path else "no kiosk.toml found; using defaults",
        )
    )
    try:
        store = open_store(config.database_url, busy_timeout_ms=config.database.busy_timeout_ms)
    except KioskError as exc:
        return [*checks, Check("database", False, str(exc)), *_mail_checks(config, None, fix)]
    try:
        store.check_schema()
        checks.append(Check("database", True, f"schema version {store.schema_version()}"))
        schema_ok = True
    except KioskError as exc:
        checks.append(Check("database", False, str(exc)))
        schema_ok = False
    if store.is_sqlite and store.db.database != ":memory:":
        checks.append(_owner_only("database file", _sqlite_files(store.db.database), fix))
    checks.extend(_mail_checks(config, store if schema_ok else None, fix))
    store.close()
    return checks


def _sqlite_files(database: str) -> list[Path]:
    main = Path(database)
    return [p for p in (main, Path(f"{main}-wal"), Path(f"{main}-shm")) if p.exists()]


def _owner_only(name: str, paths: list[Path], fix: bool) -> Check:
    """Whether ``paths`` are closed to other users (and, with ``fix``, close them)."""
    open_ = [p for p in paths if p.stat().st_mode & 0o077]
    if not open_:
        return Check(f"{name} permissions", True, "owner-only")
    if fix:
        for p in open_:
            p.chmod(0o700 if p.is_dir() else 0o600)
        return Check(f"{name} permissions", True, f"made owner-only: {', '.join(map(str, open_))}")
    modes = ", ".join(f"{p} is {stat.filemode(p.stat().st_mode)}" for p in open_)
    return Check(
        f"{name} permissions", False, f"other users can read it ({modes}); run 'kiosk doctor --fix'"
    )


def _mail_checks(config: Config, store: Store | None, fix: bool) -> list[Check]:
    from kiosk.mail import OutboxMailer, SmtpMailer, make_mailer

    checks: list[Check] = []
    mailer = make_mailer(config, sweep=False)
    try:
        if isinstance(mailer, SmtpMailer):
            mailer.check()
            checks.append(Check("mail", True, f"SMTP server {mailer.host}:{mailer.port} answers"))
        elif isinstance(mailer, OutboxMailer):
            mailer.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            probe = mailer.folder / ".doctor"
            probe.write_text("ok")
            probe.unlink()
            checks.append(Check("mail", True, f"outbox folder {mailer.folder} is writable"))
            checks.append(_owner_only("outbox", [mailer.folder], fix))
            checks.append(_stale_outbox(config, mailer, fix))
    except KioskError as exc:
        checks.append(Check("mail", False, str(exc)))
    except OSError as exc:
        checks.append(Check("mail", False, f"outbox folder not writable ({exc.strerror})"))
    if store is not None:
        checks.append(_mail_failures(config, store))
    return checks


def _stale_outbox(config: Config, outbox: OutboxMailer, fix: bool) -> Check:
    minutes = config.security.email_code_minutes
    stale = outbox.stale(minutes * 60)
    if not stale:
        return Check("outbox age", True, f"no message older than {minutes} minutes")
    if fix:
        removed = outbox.sweep(minutes * 60)
        return Check("outbox age", True, f"removed {removed} message(s) older than {minutes} min")
    return Check(
        "outbox age",
        False,
        f"{len(stale)} message(s) older than the {minutes}-minute code lifetime (their codes "
        "have expired); run 'kiosk doctor --fix' to remove them",
    )


def _mail_failures(config: Config, store: Store) -> Check:
    from kiosk.context import Context
    from kiosk.mail import make_mailer
    from kiosk.services.outgoing import recent_failures

    ctx = Context(config=config, store=store, mailer=make_mailer(config, sweep=False))
    failures = recent_failures(ctx, days=MAIL_FAILURE_DAYS)
    if not failures:
        return Check("mail failures", True, f"none in the last {MAIL_FAILURE_DAYS} days")
    lines = "; ".join(f"{f.at[:16]} {f.action} {f.target}".rstrip() for f in failures[:5])
    return Check(
        "mail failures",
        False,
        f"{len(failures)} email(s) could not be sent in the last {MAIL_FAILURE_DAYS} days "
        f"(newest first: {lines}). Check [mail] in kiosk.toml and the mail server.",
    )

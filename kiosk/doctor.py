"""``kiosk doctor``: check each part of the set-up and say plainly what to fix."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.errors import KioskError


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    message: str


def run_checks(config_path: str | None) -> list[Check]:
    from kiosk.config import find_config_path, load_config
    from kiosk.mail import OutboxMailer, SmtpMailer, make_mailer
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
        store.check_schema()
        checks.append(Check("database", True, f"schema version {store.schema_version()}"))
        store.close()
    except KioskError as exc:
        checks.append(Check("database", False, str(exc)))
    mailer = make_mailer(config)
    try:
        if isinstance(mailer, SmtpMailer):
            mailer.check()
            checks.append(Check("mail", True, f"SMTP server {mailer.host}:{mailer.port} answers"))
        elif isinstance(mailer, OutboxMailer):
            mailer.folder.mkdir(parents=True, exist_ok=True)
            probe = mailer.folder / ".doctor"
            probe.write_text("ok")
            probe.unlink()
            checks.append(Check("mail", True, f"outbox folder {mailer.folder} is writable"))
    except KioskError as exc:
        checks.append(Check("mail", False, str(exc)))
    except OSError as exc:
        checks.append(Check("mail", False, f"outbox folder not writable ({exc.strerror})"))
    return checks

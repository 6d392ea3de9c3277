"""After every flow that handles a secret, none is left in clear in the database or logs."""

from __future__ import annotations

import logging

from kiosk import keys
from kiosk.auth import SYSTEM
from kiosk.demo import DISLIKED, LIKED, PARENT_PASSWORD
from kiosk.services import accounts, activation, recovery, staff
from kiosk.store.models import AuditEvent
from tests.conftest import latest_code


def test_database_files_and_logs_hold_no_secret(ctx, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    secrets: list[str] = [PARENT_PASSWORD]

    issued = activation.issue_key(ctx, SYSTEM, "G-1001")
    secrets += [keys.normalize_key(issued.key), issued.key]
    password = "maple syrup on pancakes"
    secrets.append(password)
    activation.redeem_key(ctx, issued.key, "mgarcia", password, password)
    session = accounts.sign_in(ctx, "mgarcia", password)
    accounts.start_recovery_email(ctx, session, "m@example.org", "m@example.org", password)
    code = latest_code(ctx)
    secrets.append(code)
    session = accounts.confirm_recovery_email(ctx, session, code)
    accounts.set_pictures(ctx, session, LIKED, DISLIKED)
    secrets.append(",".join(sorted(LIKED)))

    recovery.request_password_reset(ctx, "mgarcia")
    reset_code = latest_code(ctx)
    secrets.append(reset_code)
    new_password = "another long passphrase here"
    secrets.append(new_password)
    recovery.finish_password_reset(ctx, "mgarcia", reset_code, LIKED, new_password, new_password)

    temp = staff.reset_password(ctx, SYSTEM, "alopez", "photo_id")
    secrets += [temp.password, temp.password.replace("-", "")]
    staff_password = "a long staff passphrase"
    secrets.append(staff_password)
    staff.add_staff(ctx, SYSTEM, "newdesk", staff_password, "front_desk", ["ES"])

    ctx.store.db.execute_sql("PRAGMA wal_checkpoint(PASSIVE)")
    blobs = {p.name: p.read_bytes() for p in tmp_path.glob("kiosk.db*")}
    assert "kiosk.db" in blobs
    audit_text = " ".join(f"{e.actor} {e.target} {e.detail}" for e in AuditEvent.select())
    log_text = caplog.text
    for secret in secrets:
        for variant in {secret, secret.lower(), secret.upper()}:
            raw = variant.encode()
            for name, blob in blobs.items():
                assert raw not in blob, f"secret found in {name}"
            assert variant not in audit_text
            assert variant not in log_text

"""Exporting the audit log as CSV or JSON Lines, filtered like ``kiosk.audit.events``.

Events never hold secrets, so an export is safe to hand to an auditor. Each line carries the
event's hash and the previous one, so an export can be checked against ``kiosk audit verify``'s
head hash. CSV cells are guarded against spreadsheet formula injection.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass
from typing import TextIO

from kiosk import audit
from kiosk.auth import Actor
from kiosk.context import Context
from kiosk.errors import ValidationError
from kiosk.passwords import normalize_username
from kiosk.services.access import require_staff
from kiosk.store.models import PortalAccount
from kiosk.text import csv_safe

FORMATS = ("csv", "jsonl")
COLUMNS = ["id", "at", "kiosk_id", "actor", "action", "target", "outcome", "detail", "prev_hash",
           "hash"]  # fmt: skip


@dataclass(frozen=True)
class Filters:
    actor: str | None = None
    action: str | None = None
    target: str | None = None
    since: str | None = None
    until: str | None = None


def _moment(value: str | None, name: str) -> str | None:
    """A date or date-time as the sortable UTC text the log stores."""
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError("bad_moment", name=name, value=value) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC).isoformat()


def _targets(ctx: Context, target: str | None) -> list[str]:
    """The target text, and the guardian ID of the portal account it names: account events are
    recorded against the guardian (``--target alopez`` finds alopez's resets and unlocks)."""
    if not target:
        return []
    with ctx.store.read():
        account = PortalAccount.get_or_none(
            PortalAccount.username_norm == normalize_username(target.strip())
        )
        owner = account.guardian.sourced_id if account else ""
    return [target, owner] if owner else [target]


def export(ctx: Context, actor: Actor, out: TextIO, fmt: str, filters: Filters) -> int:
    """Write the matching events to ``out``; returns how many. District admins only."""
    require_staff(actor, "district_admin")
    if fmt not in FORMATS:
        raise ValidationError("bad_choice", option="format", choices=", ".join(FORMATS))
    since, until = _moment(filters.since, "since"), _moment(filters.until, "until")
    writer = csv.writer(out) if fmt == "csv" else None
    if writer:
        writer.writerow(COLUMNS)
    count = 0
    for event in audit.events(
        ctx,
        actor=filters.actor,
        action=filters.action,
        target=_targets(ctx, filters.target),
        since=since,
        until=until,
    ):
        values = [getattr(event, c) for c in COLUMNS]
        if writer:
            writer.writerow([csv_safe(str(v)) for v in values])
        else:
            row = dict(zip(COLUMNS, values, strict=True))
            row["detail"] = json.loads(event.detail or "{}")
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count

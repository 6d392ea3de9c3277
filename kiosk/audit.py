"""The audit log: append-only, UTC, hash-chained so an edit or a deletion shows.

Each event's hash covers its own fields and the previous event's hash. ``verify`` walks the
chain; ``kiosk audit verify`` prints the head hash so a district can anchor it elsewhere (the
only way to notice the newest events being cut off).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

from kiosk.auth import Actor
from kiosk.context import Context
from kiosk.store.models import AuditEvent

GENESIS = "0" * 64


def _digest(
    prev_hash: str,
    at: str,
    kiosk_id: str,
    actor: str,
    action: str,
    target: str,
    outcome: str,
    detail: str,
) -> str:
    payload = json.dumps(
        [prev_hash, at, kiosk_id, actor, action, target, outcome, detail],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    ctx: Context,
    actor: Actor | str,
    action: str,
    *,
    target: str = "",
    outcome: str = "ok",
    detail: dict[str, object] | None = None,
) -> AuditEvent:
    """Append one event. Call inside ``ctx.store.write()`` so it commits with the change."""
    if not ctx.store.is_sqlite:
        # Serialise appenders so two kiosks cannot both chain onto the same previous event.
        ctx.store.db.execute_sql(
            f'LOCK TABLE "{AuditEvent._meta.table_name}" IN SHARE ROW EXCLUSIVE MODE'
        )
    last = AuditEvent.select(AuditEvent.hash).order_by(AuditEvent.id.desc()).first()
    prev = last.hash if last else GENESIS
    at = ctx.clock.now_iso()
    who = actor.label if isinstance(actor, Actor) else actor
    text = json.dumps(detail or {}, ensure_ascii=False, sort_keys=True)
    digest = _digest(prev, at, ctx.kiosk_id, who, action, target, outcome, text)
    return AuditEvent.create(
        at=at,
        kiosk_id=ctx.kiosk_id,
        actor=who,
        action=action,
        target=target,
        outcome=outcome,
        detail=text,
        prev_hash=prev,
        hash=digest,
    )


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    head: str
    problems: list[str]


def verify(ctx: Context) -> VerifyResult:
    problems: list[str] = []
    prev = GENESIS
    count = 0
    with ctx.store.read():
        for event in AuditEvent.select().order_by(AuditEvent.id).iterator():
            count += 1
            if event.prev_hash != prev:
                problems.append(f"event {event.id}: the event before it was deleted or changed")
            expected = _digest(
                event.prev_hash,
                event.at,
                event.kiosk_id,
                event.actor,
                event.action,
                event.target,
                event.outcome,
                event.detail,
            )
            if expected != event.hash:
                problems.append(f"event {event.id}: its contents were edited after it was written")
            prev = event.hash
    return VerifyResult(ok=not problems, count=count, head=prev, problems=problems)


def events(
    ctx: Context,
    *,
    actor: str | None = None,
    action: str | None = None,
    target: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
) -> Iterator[AuditEvent]:
    query = AuditEvent.select().order_by(AuditEvent.id)
    if actor:
        query = query.where(AuditEvent.actor.contains(actor))
    if action:
        query = query.where(AuditEvent.action.startswith(action))
    if target:
        query = query.where(AuditEvent.target.contains(target))
    if since:
        query = query.where(AuditEvent.at >= since)
    if until:
        query = query.where(AuditEvent.at < until)
    if limit:
        query = query.limit(limit)
    with ctx.store.read():
        yield from query.iterator()

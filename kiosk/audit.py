"""The audit log: append-only, UTC, and chained with a key that never enters the database.

Each event's hash is an HMAC-SHA256 (keyed from the district secret, read like the SSN key)
over its own fields and the previous event's hash, so whoever can write the database but not
read the secret cannot edit, insert or recompute events unnoticed. Deleting the newest events
leaves a valid shorter chain: ``kiosk.audit_checkpoint`` records the count and head outside
the database, and ``verify`` compares the log with it. Events written before the chain was
keyed (schema 5 and older) keep their plain SHA-256 hashes; the first keyed event after them
("audit.keyed_segment") records their count and head under the key, so they cannot be
rewritten either. See docs/SECURITY.md for what this does and does not prove.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import operator
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import reduce

from kiosk.auth import Actor
from kiosk.context import Context, secret_key
from kiosk.store.models import AuditEvent
from kiosk.text import escape_unsafe

GENESIS = "0" * 64
SEGMENT_ACTION = "audit.keyed_segment"
#: Problems listed by ``verify`` before it only counts the rest.
MAX_LISTED_PROBLEMS = 100
_CHAIN_LABEL = b"front-desk audit chain v1"


def chain_key(ctx: Context) -> bytes:
    """The chain's HMAC key, derived from the district secret (never stored anywhere)."""
    return hmac.new(secret_key(ctx.config), _CHAIN_LABEL, hashlib.sha256).digest()


def _digest(key: bytes | None, prev_hash: str, *fields: str) -> str:
    """HMAC-SHA256 of the event (plain SHA-256 for events written before the key)."""
    payload = json.dumps([prev_hash, *fields], ensure_ascii=False, separators=(",", ":"))
    data = payload.encode("utf-8")
    if key is None:
        return hashlib.sha256(data).hexdigest()
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def _os_identity() -> tuple[str, str]:
    """(operating-system user, SSH_CONNECTION or ""): who is behind a command-line action.

    The user comes from the process's real uid, not $USER, which anyone can set.
    """
    import pwd

    try:
        user = pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        user = f"uid{os.getuid()}"
    return user, os.environ.get("SSH_CONNECTION", "")


def _who(actor: Actor | str, detail: dict[str, object]) -> str:
    if not isinstance(actor, Actor):
        return actor
    if actor.kind != "system":
        return actor.label
    # The command line (and the app's own system work) acts for whoever runs the process.
    user, ssh = _os_identity()
    if ssh:
        detail.setdefault("ssh_connection", ssh)
    return f"{actor.label}:{user}"


def _append(
    ctx: Context, key: bytes, prev: str, who: str, action: str, target: str, outcome: str,
    detail: dict[str, object],
) -> AuditEvent:  # fmt: skip
    at = ctx.clock.now_iso()
    text = escape_unsafe(json.dumps(detail, ensure_ascii=False, sort_keys=True))
    who, action, target, outcome = (escape_unsafe(v) for v in (who, action, target, outcome))
    digest = _digest(key, prev, at, ctx.kiosk_id, who, action, target, outcome, text)
    return AuditEvent.create(
        at=at, kiosk_id=ctx.kiosk_id, actor=who, action=action, target=target, outcome=outcome,
        detail=text, prev_hash=prev, hash=digest, keyed=True,
    )  # fmt: skip


def record(
    ctx: Context,
    actor: Actor | str,
    action: str,
    *,
    target: str = "",
    outcome: str = "ok",
    detail: dict[str, object] | None = None,
) -> AuditEvent:
    """Append one event. Call inside ``ctx.store.write()`` so it commits with the change.

    Untrusted text (a typed username, a roster value) is kept with its control and direction
    characters written as ``\\uXXXX``, so the log can be read safely in a terminal.
    """
    key = chain_key(ctx)
    if not ctx.store.is_sqlite:
        # Serialise appenders so two kiosks cannot both chain onto the same previous event.
        ctx.store.db.execute_sql(
            f'LOCK TABLE "{AuditEvent._meta.table_name}" IN SHARE ROW EXCLUSIVE MODE'
        )
    last = AuditEvent.select(AuditEvent.hash, AuditEvent.keyed).order_by(AuditEvent.id.desc())
    last = last.first()
    prev = last.hash if last else GENESIS
    if last is not None and not last.keyed:
        # The first event under the key after an upgrade anchors the older, unkeyed chain.
        count = AuditEvent.select().count()
        anchor = {"legacy_events": count, "legacy_head": prev}
        prev = _append(ctx, key, prev, "system:audit", SEGMENT_ACTION, "", "ok", anchor).hash
    extra = dict(detail or {})
    who = _who(actor, extra)
    return _append(ctx, key, prev, who, action, target, outcome, extra)


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    head: str
    problems: list[str]
    #: Events written before the chain was keyed (plain SHA-256, anchored by the first keyed).
    legacy: int = 0


class _Walk:
    """The state of one pass over the chain, oldest event first."""

    def __init__(self, key: bytes, expect: dict[int, str]) -> None:
        self.key, self.expect = key, expect
        self.prev, self.count, self.legacy = GENESIS, 0, 0
        self.keyed_seen = False
        self.problems: list[str] = []
        self.hidden = 0

    def problem(self, text: str) -> None:
        if len(self.problems) < MAX_LISTED_PROBLEMS:
            self.problems.append(text)
        else:
            self.hidden += 1

    def step(self, event: AuditEvent) -> None:
        self.count += 1
        if event.prev_hash != self.prev:
            self.problem(f"event {event.id}: the event before it was deleted or changed")
        fields = (event.at, event.kiosk_id, event.actor, event.action, event.target,
                  event.outcome, event.detail)  # fmt: skip
        if event.keyed:
            self.keyed_seen = True
            if _digest(self.key, event.prev_hash, *fields) != event.hash:
                self.problem(
                    f"event {event.id}: its contents were edited after it was written (or it "
                    "was written without this district's secret)"
                )
            elif event.action == SEGMENT_ACTION:
                self._check_anchor(event)
        else:
            self.legacy += 1
            if self.keyed_seen:
                self.problem(f"event {event.id}: an unkeyed event after keyed ones (rewritten)")
            elif _digest(None, event.prev_hash, *fields) != event.hash:
                self.problem(f"event {event.id}: its contents were edited after it was written")
        expected_head = self.expect.get(self.count)
        if expected_head is not None and expected_head != event.hash:
            self.problem(
                f"event {event.id}: the log up to here differs from the signed checkpoint "
                "(events were rewritten, removed or inserted)"
            )
        self.prev = event.hash

    def _check_anchor(self, event: AuditEvent) -> None:
        try:
            anchor = json.loads(event.detail)
        except ValueError:
            anchor = {}
        if anchor.get("legacy_events") != self.count - 1 or anchor.get("legacy_head") != (
            event.prev_hash
        ):
            self.problem(f"event {event.id}: the events before the keyed segment were changed")


def verify(ctx: Context, expect: dict[int, str] | None = None) -> VerifyResult:
    """Walk the chain; ``expect`` maps an event count to the head hash it must have there
    (from a checkpoint), so a shortened or rewritten log is caught."""
    walk = _Walk(chain_key(ctx), dict(expect or {}))
    with ctx.store.read():
        for event in AuditEvent.select().order_by(AuditEvent.id).iterator():
            walk.step(event)
    for count in sorted(c for c in walk.expect if c > walk.count):
        walk.problem(
            f"the log has {walk.count} events but a signed checkpoint saw {count}: "
            "events were deleted from the end"
        )
    if walk.hidden:
        walk.problems.append(f"... and {walk.hidden} more problem(s)")
    return VerifyResult(
        ok=not walk.problems, count=walk.count, head=walk.prev, problems=walk.problems,
        legacy=walk.legacy,
    )  # fmt: skip


def events(
    ctx: Context,
    *,
    actor: str | None = None,
    action: str | None = None,
    target: str | Sequence[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
) -> Iterator[AuditEvent]:
    """Events in chain order; ``target`` may list several texts (any one contained)."""
    query = AuditEvent.select().order_by(AuditEvent.id)
    if actor:
        query = query.where(AuditEvent.actor.contains(actor))
    if action:
        query = query.where(AuditEvent.action.startswith(action))
    targets = [target] if isinstance(target, str) else [t for t in target or () if t]
    if targets:
        query = query.where(reduce(operator.or_, (AuditEvent.target.contains(t) for t in targets)))
    if since:
        query = query.where(AuditEvent.at >= since)
    if until:
        query = query.where(AuditEvent.at < until)
    if limit:
        query = query.limit(limit)
    with ctx.store.read():
        yield from query.iterator()

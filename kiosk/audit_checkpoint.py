"""Signed audit checkpoints: the chain's length and head, kept outside the database.

A keyed chain shows edits, but a log cut at the end (or emptied) is still a valid, shorter
chain. A checkpoint written on every ``kiosk audit verify`` and by ``kiosk audit checkpoint``
(from cron) records how many events there were and the hash of the last; the next
verification insists the log still holds exactly those events at its start. The file is
signed with a key derived from the district secret, so it cannot be edited to match a cut log,
and written owner-only next to the configuration ([security] audit_checkpoint_file).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from kiosk import audit
from kiosk.context import Context, secret_key
from kiosk.errors import KioskError

_LABEL = b"front-desk audit checkpoint v1"


@dataclass(frozen=True)
class Checkpoint:
    count: int
    head: str
    at: str
    database: str


@dataclass(frozen=True)
class Outcome:
    """A verification against the checkpoint, and whether a new checkpoint was written."""

    result: audit.VerifyResult
    previous: Checkpoint | None
    written: Path | None


def _key(ctx: Context) -> bytes:
    return hmac.new(secret_key(ctx.config), _LABEL, hashlib.sha256).digest()


def _sign(ctx: Context, body: dict[str, object]) -> str:
    payload = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(_key(ctx), payload, hashlib.sha256).hexdigest()


def _database(ctx: Context) -> str:
    """Which database a checkpoint is about (no password: the file is not a secret store)."""
    url = ctx.store.url
    if "://" in url and not url.startswith("sqlite"):
        parsed = urlparse(url)
        return f"{parsed.scheme}://{parsed.hostname}:{parsed.port or 5432}{parsed.path}"
    return url


def path(ctx: Context) -> Path:
    return ctx.config.resolve(ctx.config.security.audit_checkpoint_file)


def read(ctx: Context) -> Checkpoint | None:
    """The last checkpoint, or None if there is none; a forged or damaged one is refused."""
    where = path(ctx)
    try:
        data = json.loads(where.read_text(encoding="utf-8"))
        signature = data.pop("signature")
        checkpoint = Checkpoint(
            int(data["count"]), str(data["head"]), str(data["at"]), str(data["database"])
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise KioskError("audit_checkpoint_damaged", path=where) from None
    if not hmac.compare_digest(str(signature), _sign(ctx, data)):
        raise KioskError("audit_checkpoint_forged", path=where)
    return checkpoint


def write(ctx: Context, result: audit.VerifyResult) -> Path:
    """Record ``result``'s count and head, atomically and owner-only."""
    where = path(ctx)
    body: dict[str, object] = {
        "count": result.count,
        "head": result.head,
        "at": ctx.clock.now_iso(),
        "database": _database(ctx),
    }
    body["signature"] = _sign(ctx, body)
    temporary = where.with_name(f".{where.name}.{os.getpid()}.tmp")
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(body, handle, indent=1, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, where)
    except OSError as exc:
        raise KioskError("audit_checkpoint_write", path=where, reason=exc.strerror) from None
    return where


def verify_and_checkpoint(ctx: Context) -> Outcome:
    """Verify the chain against the last checkpoint; if intact, write a new checkpoint.

    A log that fails keeps the old checkpoint, which is the evidence of what was there.
    """
    previous = read(ctx)
    expect: dict[int, str] = {}
    problems: list[str] = []
    if previous is not None:
        if previous.database != _database(ctx):
            problems.append(
                f"the checkpoint {path(ctx)} is about another database ({previous.database}); "
                "if the database really moved, move the old checkpoint aside and verify again"
            )
        elif previous.count:
            expect[previous.count] = previous.head
    result = audit.verify(ctx, expect)
    if problems:
        result = audit.VerifyResult(
            False, result.count, result.head, problems + result.problems, result.legacy
        )
    written = write(ctx, result) if result.ok else None
    return Outcome(result, previous, written)

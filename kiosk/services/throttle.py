"""The sign-in throttle's arithmetic, shared by parents' and staff accounts.

Failures are counted per name typed (see ``kiosk.services.credentials``). After
``delay_after`` failures each attempt first waits a delay that doubles with every failure
(capped); at ``lockout_threshold`` the name locks for ``lockout_minutes``. Failures are forgotten
once ``lockout_minutes`` have passed since the last one (so also when a lock ends), and a right
password forgets them at once. Forgot-password requests never come here.
"""

from __future__ import annotations

import datetime as dt

from kiosk.clock import parse
from kiosk.config import Config, SecurityConfig


def delay_for(failures: int, policy: SecurityConfig) -> float:
    over = failures - policy.delay_after
    if over <= 0:
        return 0.0
    return min(policy.delay_base_seconds * (2 ** (over - 1)), policy.delay_max_seconds)


def is_locked(locked_until: str | None, now: dt.datetime) -> bool:
    moment = parse(locked_until)
    return bool(moment and moment > now)


def forget_before(config: Config, now: dt.datetime) -> dt.datetime:
    """Failures older than this are forgotten."""
    return now - dt.timedelta(minutes=config.security.lockout_minutes)


def forgotten(last_failure_at: str | None, policy: SecurityConfig, now: dt.datetime) -> bool:
    """True when the failures counted before ``now`` no longer count."""
    last = parse(last_failure_at)
    return last is None or last <= now - dt.timedelta(minutes=policy.lockout_minutes)

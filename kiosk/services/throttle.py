"""Failed sign-in counting shared by parent and staff accounts.

Failures are counted per account. After ``delay_after`` failures each attempt first waits a
delay that doubles with every failure (capped), and at ``lockout_threshold`` the account locks
for ``lockout_minutes``. Success resets the count. Forgot-password requests never come here.
"""

from __future__ import annotations

import datetime as dt

from kiosk.clock import iso, parse
from kiosk.config import SecurityConfig


def delay_for(failures: int, policy: SecurityConfig) -> float:
    over = failures - policy.delay_after
    if over <= 0:
        return 0.0
    return min(policy.delay_base_seconds * (2 ** (over - 1)), policy.delay_max_seconds)


def is_locked(locked_until: str | None, now: dt.datetime) -> bool:
    moment = parse(locked_until)
    return bool(moment and moment > now)


def after_failure(
    failures: int, policy: SecurityConfig, now: dt.datetime
) -> tuple[int, str | None]:
    """The new failure count and the lock time (if this failure locks the account)."""
    failures += 1
    if failures >= policy.lockout_threshold:
        return failures, iso(now + dt.timedelta(minutes=policy.lockout_minutes))
    return failures, None

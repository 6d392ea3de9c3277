"""Adding staff from the admin console: ``kiosk staff add``'s rules, plus a first password
that is only a start (the new staff member must choose their own at first sign-in).

Apart from ``kiosk.services.staff`` so that module stays under the size limit.
"""

from __future__ import annotations

from kiosk.auth import Actor
from kiosk.context import Context
from kiosk.passwords import normalize_username
from kiosk.services.access import require_staff
from kiosk.services.staff import StaffInfo, add_staff
from kiosk.store.models import School, StaffUser


def add_staff_member(
    ctx: Context,
    actor: Actor,
    username: str,
    display_name: str,
    role: str,
    schools: list[str],
    initial_password: str,
) -> StaffInfo:
    """Add a staff user whose ``initial_password`` must be changed at their first sign-in.

    One transaction: a user is never left behind with a password that does not expire.
    """
    with ctx.store.write():
        info = add_staff(ctx, actor, username, initial_password, role, schools, display_name)
        StaffUser.update(must_change_password=True).where(
            StaffUser.username_norm == normalize_username(info.username)
        ).execute()
    return info


def school_choices(ctx: Context, actor: Actor) -> list[tuple[str, str]]:
    """(code, name) of every school, for choosing the schools a staff member serves."""
    require_staff(actor, "district_admin")
    with ctx.store.read():
        schools = School.select().where(School.active).order_by(School.code)
        return [(s.code, s.name) for s in schools]

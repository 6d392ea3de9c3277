"""The seeds' common issues, named on the guardian card before anyone opens a sub-screen.

Each problem says what is wrong, what fixes it and which role may fix it; ``may_fix`` is that
rule applied to the staff member looking, so a front desk sees who can fix a registrar's
problem instead of a button that would refuse. Runs inside ``people.guardian_card``'s read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kiosk.auth import Actor
from kiosk.clock import local_text, parse
from kiosk.context import Context
from kiosk.errors import Message, message
from kiosk.services.duplicates import likely_duplicates_of
from kiosk.services.households import MissingStudent, hidden_students
from kiosk.store.models import Guardian, PortalAccount

#: Each kind of problem: the role that may fix it ("" for any staff), the card's button that
#: fixes it, and the catalog code of the fix as said to those who may and to those who may not.
FIXES = {
    "key_used": ("", "reset", "card_fix_reset", ""),
    "disabled": ("", "enable", "card_fix_enable", ""),
    "locked": ("", "unlock", "card_fix_unlock", ""),
    "temporary": ("", "", "card_fix_temporary", ""),
    "duplicate": ("registrar", "linked", "card_fix_merge", "card_fix_merge_other"),
    "duplicate_record": ("registrar", "", "card_fix_merge_record", "card_fix_merge_other"),
    "portal_off": ("registrar", "flags", "card_fix_portal", "card_fix_portal_other"),
    "custody": ("registrar", "flags", "card_fix_custody", "card_fix_custody_other"),
    "no_relationship": ("registrar", "linked", "card_fix_link", "card_fix_link_other"),
    "inactive": ("", "", "card_fix_inactive", ""),
}


@dataclass(frozen=True)
class Problem:
    kind: str  # a key of FIXES
    text: Message  # what is wrong, with names and times
    fix: Message  # what fixes it, or who may
    action: str  # the card's button that fixes it (reset, enable, ...) or ""
    may_fix: bool  # this staff member may do that fix
    student_id: str = ""


def _problem(actor: Actor, kind: str, text: Message, student_id: str = "") -> Problem:
    role, action, fix, fix_by_other = FIXES[kind]
    may = not role or actor.is_admin or actor.role == role
    return Problem(
        kind, text, message(fix if may else fix_by_other), action if may else "", may, student_id
    )


def account_problems(
    ctx: Context, actor: Actor, account: PortalAccount, now: dt.datetime
) -> list[Problem]:
    """Key already used (the account exists), disabled, locked, temporary password."""
    zone = ctx.config.district.time_zone
    name = account.username
    since = local_text(account.created_at, zone)[:10]
    found = [_problem(actor, "key_used", message("card_key_used", username=name, since=since))]
    locked = parse(account.locked_until)
    if not account.enabled:
        found.append(_problem(actor, "disabled", message("card_disabled", username=name)))
    elif locked and locked > now:
        until = local_text(locked, zone)
        text = message("card_locked", username=name, until=until, failures=account.failed_attempts)
        found.append(_problem(actor, "locked", text))
    if account.must_change_password:
        until = local_text(account.temporary_password_expires_at, zone) or "-"
        text = message("card_temporary", username=name, until=until)
        found.append(_problem(actor, "temporary", text))
    return found


def _student_problem(actor: Actor, item: MissingStudent) -> Problem:
    if item.reason == "duplicate":
        text = message("card_duplicate", student=item.name, other=item.duplicate_guardian_id)
    elif item.reason == "portal_off":
        text = message("card_portal_off", student=item.name)
    elif item.reason == "custody":
        text = message("card_custody", student=item.name)
    elif item.reason == "inactive":
        text = message("card_inactive", student=item.name)
    else:
        text = message("card_no_relationship", student=item.name)
    return _problem(actor, item.reason, text, item.student_id)


def card_problems(
    ctx: Context, actor: Actor, guardian: Guardian, account: PortalAccount | None
) -> list[Problem]:
    """Every problem the card names, account ones first."""
    found = account_problems(ctx, actor, account, ctx.clock.now()) if account else []
    hidden = hidden_students(guardian)
    found += [_student_problem(actor, item) for item in hidden]
    named = {item.duplicate_guardian_id for item in hidden}
    for twin in likely_duplicates_of(guardian):
        if twin.other_id not in named:  # a record in no household has no hidden student
            why = ", ".join(twin.reasons)
            text = message(
                "card_duplicate_record", other=twin.other_id, name=twin.other_name, why=why
            )
            found.append(_problem(actor, "duplicate_record", text))
    return found

"""Duplicate person records and merging them (registrar work).

The seeds' "I can't see all my children" often means the student information system holds the
same parent twice, each record linked to some of the children. Likely duplicates are found by
grouping on a normalised name (never comparing every pair in the district) and then checking
what else the records share. A merge moves everything to the kept record (links, household
memberships, keys, portal requests, the account) and marks the other one merged, so no account
or history is lost and a re-import does not bring the duplicate back.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from kiosk import audit
from kiosk.auth import Actor
from kiosk.clock import iso
from kiosk.context import Context
from kiosk.errors import ValidationError
from kiosk.services import credentials
from kiosk.services.access import (
    guardian_by_id,
    live_key_condition,
    require_guardian_access,
    require_staff,
)
from kiosk.store import search_index
from kiosk.store.models import (
    ActivationKey,
    Guardian,
    HouseholdGuardian,
    PortalAccount,
    PortalRequest,
    Relationship,
    SearchTerm,
    Student,
)
from kiosk.text import fold, name_key


@dataclass(frozen=True)
class DuplicatePair:
    """Two guardian records that look like one person, and why."""

    name: str
    first_id: str
    second_id: str
    reasons: list[str]  # e.g. ["same name and phone", "same name and address"]
    first_has_account: bool
    second_has_account: bool


_Row = tuple[int, str, str, str, str, str, str, str | None]


#: The columns of a ``_Row``, in its order.
_ROW_FIELDS = (
    Guardian.id,
    Guardian.sourced_id,
    Guardian.given_name,
    Guardian.family_name,
    Guardian.phone_digits,
    Guardian.email,
    Guardian.address,
    Guardian.birth_date,
)

#: What two same-named records may share, in the order reasons are listed.
_DETAILS: list[tuple[str, Callable[[_Row], str]]] = [
    ("same name and phone", lambda r: r[4] or ""),
    ("same name and email", lambda r: fold(r[5]) if r[5] else ""),
    ("same name and address", lambda r: fold(" ".join(r[6].split())) if r[6] else ""),
    ("same name and birth date", lambda r: r[7] or ""),
]


def find_duplicates(ctx: Context, actor: Actor) -> list[DuplicatePair]:
    """Likely duplicate guardians; registrars see pairs touching a school they serve."""
    require_staff(actor, "registrar")
    groups: dict[str, list[_Row]] = {}
    with ctx.store.read():
        query = (
            Guardian.select(*_ROW_FIELDS)
            .where(Guardian.active, Guardian.merged_into.is_null())
            .tuples()
        )
        for row in query.iterator():
            groups.setdefault(name_key(f"{row[2]} {row[3]}"), []).append(row)
        candidates = [g for g in groups.values() if len(g) > 1]
        ids = [row[0] for group in candidates for row in group]
        with_account = set()
        schools: dict[int, set[int]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            with_account.update(
                a
                for (a,) in PortalAccount.select(PortalAccount.guardian)
                .where(PortalAccount.guardian.in_(chunk))
                .tuples()
            )
            for gid, school in (
                Relationship.select(Relationship.guardian, Student.school)
                .join(Student)
                .where(Relationship.guardian.in_(chunk))
                .tuples()
            ):
                schools.setdefault(gid, set()).add(school)
    pairs: list[DuplicatePair] = []
    for group in candidates:
        group.sort(key=lambda r: r[1])
        # Within a name, bucket by each shared detail: only real matches are paired, so a
        # common name held by hundreds of different people costs O(n), not O(n^2).
        found: dict[tuple[int, int], list[str]] = {}
        for reason, value in _DETAILS:
            buckets: dict[str, list[int]] = {}
            for index, row in enumerate(group):
                key = value(row)
                if key:
                    buckets.setdefault(key, []).append(index)
            for members in buckets.values():
                for i, a in enumerate(members):
                    for b in members[i + 1 :]:
                        found.setdefault((a, b), []).append(reason)
        for (i, j), reasons in sorted(found.items()):
            a, b = group[i], group[j]
            if not actor.is_admin and not (
                (schools.get(a[0], set()) | schools.get(b[0], set())) & actor.school_ids
            ):
                continue
            pairs.append(
                DuplicatePair(
                    f"{a[2]} {a[3]}".strip(),
                    a[1],
                    b[1],
                    reasons,
                    a[0] in with_account,
                    b[0] in with_account,
                )
            )
    pairs.sort(key=lambda p: (name_key(p.name), p.first_id, p.second_id))
    return pairs


@dataclass(frozen=True)
class LikelyDuplicate:
    """Another live record that looks like the same person as the one staff are looking at."""

    other_id: str
    other_name: str
    reasons: list[str]


def _row(guardian: Guardian) -> _Row:
    g = guardian
    return (g.id, g.sourced_id, g.given_name, g.family_name, g.phone_digits, g.email,
            g.address, g.birth_date)  # fmt: skip


def _shared(a: _Row, b: _Row) -> list[str]:
    """What two same-named records share, by the rules ``find_duplicates`` buckets on."""
    return [reason for reason, value in _DETAILS if value(a) and value(a) == value(b)]


def likely_duplicates_of(guardian: Guardian) -> list[LikelyDuplicate]:
    """The records ``find_duplicates`` would pair with ``guardian`` (the same normalised name
    and a shared detail), found through the search index by its name words (a record with the
    same normalised name has every one of them) instead of a scan of the district. Runs inside
    the caller's read; the caller checked access."""
    own = _row(guardian)
    key = name_key(f"{own[2]} {own[3]}")
    name_words = sorted(set(search_index.words(f"{own[2]} {own[3]}")), key=len, reverse=True)
    if not key or not name_words:
        return []
    query = Guardian.select(*_ROW_FIELDS).where(
        Guardian.id != own[0], Guardian.active, Guardian.merged_into.is_null()
    )
    for word in name_words[:3]:
        query = query.where(
            Guardian.id.in_(
                SearchTerm.select(SearchTerm.ref).where(
                    SearchTerm.kind == search_index.GUARDIAN, SearchTerm.term == word
                )
            )
        )
    found = []
    for row in query.order_by(Guardian.sourced_id).tuples().iterator():
        reasons = _shared(own, row) if name_key(f"{row[2]} {row[3]}") == key else []
        if reasons:
            found.append(LikelyDuplicate(row[1], f"{row[2]} {row[3]}".strip(), reasons))
    return found


@dataclass(frozen=True)
class MergePreview:
    """What a merge would do, for the registrar to read before confirming."""

    keep_id: str
    keep_name: str
    drop_id: str
    drop_name: str
    students_moving: list[str]  # names of students whose link moves to the kept record
    students_shared: list[str]  # already linked to both: the drop record's link is folded in
    households_moving: int
    keys_moving: int
    requests_moving: int
    keep_account: str | None  # usernames
    drop_account: str | None

    @property
    def needs_account_choice(self) -> bool:
        return bool(self.keep_account and self.drop_account)


def _pair(ctx: Context, actor: Actor, keep_id: str, drop_id: str) -> tuple[Guardian, Guardian]:
    require_staff(actor, "registrar")
    if keep_id == drop_id:
        raise ValidationError("merge_same")
    keep, drop = guardian_by_id(keep_id), guardian_by_id(drop_id)
    for record in (keep, drop):
        if record.merged_into_id is not None:
            target = Guardian.get_by_id(record.merged_into_id).sourced_id
            raise ValidationError("merge_already", record=record.sourced_id, target=target)
        require_guardian_access(ctx, actor, record)
    return keep, drop


def _name(person: Guardian | Student) -> str:
    return f"{person.given_name} {person.family_name}".strip()


def _preview(keep: Guardian, drop: Guardian) -> MergePreview:
    keep_students = {
        r.student_id for r in Relationship.select().where(Relationship.guardian == keep)
    }
    moving, shared = [], []
    for link in (
        Relationship.select(Relationship, Student)
        .join(Student)
        .where(Relationship.guardian == drop)
        .order_by(Student.family_name, Student.given_name)
    ):
        (shared if link.student_id in keep_students else moving).append(_name(link.student))
    keep_account = PortalAccount.get_or_none(PortalAccount.guardian == keep)
    drop_account = PortalAccount.get_or_none(PortalAccount.guardian == drop)
    return MergePreview(
        keep.sourced_id,
        _name(keep),
        drop.sourced_id,
        _name(drop),
        moving,
        shared,
        HouseholdGuardian.select().where(HouseholdGuardian.guardian == drop).count(),
        ActivationKey.select().where(ActivationKey.guardian == drop).count(),
        PortalRequest.select().where(PortalRequest.guardian == drop).count(),
        keep_account.username if keep_account else None,
        drop_account.username if drop_account else None,
    )


def preview_merge(ctx: Context, actor: Actor, keep_id: str, drop_id: str) -> MergePreview:
    with ctx.store.read():
        keep, drop = _pair(ctx, actor, keep_id, drop_id)
        return _preview(keep, drop)


@dataclass(frozen=True)
class MergeResult:
    preview: MergePreview
    account: str | None  # the username the kept record now has
    disabled_account: str | None  # the other account, disabled and left on the merged record
    keys_revoked: int


def merge_guardians(
    ctx: Context,
    actor: Actor,
    keep_id: str,
    drop_id: str,
    *,
    keep_account: str | None = None,
) -> MergeResult:
    """Move everything from DROP to KEEP and mark DROP merged (inactive, never deleted).

    When both records have a portal account, ``keep_account`` must say which one stays
    (``"keep"`` or ``"drop"``); the other is disabled, not deleted, and stays findable by its
    username on the merged record.
    """
    if keep_account not in (None, "keep", "drop"):
        raise ValidationError("keep_account_choice")
    now = ctx.clock.now()
    with ctx.store.write():
        keep, drop = _pair(ctx, actor, keep_id, drop_id)
        preview = _preview(keep, drop)
        if preview.needs_account_choice and keep_account is None:
            raise ValidationError(
                "merge_both_accounts",
                keep_account=preview.keep_account,
                keep=keep.sourced_id,
                drop_account=preview.drop_account,
                drop=drop.sourced_id,
            )
        _move_links(keep, drop)
        _move_households(keep, drop)
        PortalRequest.update(guardian=keep).where(PortalRequest.guardian == drop).execute()
        ActivationKey.update(guardian=keep).where(ActivationKey.guardian == drop).execute()
        account, disabled = _merge_accounts(keep, drop, keep_account)
        revoked = _revoke_extra_keys(keep, bool(account), now)
        Guardian.update(merged_into=keep).where(Guardian.merged_into == drop).execute()
        drop.active = False
        drop.merged_into = keep
        drop.save()
        audit.record(
            ctx,
            actor,
            "guardian.merge",
            target=keep.sourced_id,
            detail={
                "merged": drop.sourced_id,
                "links_moved": len(preview.students_moving),
                "links_folded": len(preview.students_shared),
                "households": preview.households_moving,
                "keys": preview.keys_moving,
                "keys_revoked": revoked,
                "requests": preview.requests_moving,
                "account": account,
                "disabled_account": disabled,
            },
        )
    return MergeResult(preview, account, disabled, revoked)


def _move_links(keep: Guardian, drop: Guardian) -> None:
    """Move DROP's links to KEEP, or fold them into KEEP's link to the same student. A custody
    restriction on either record's link is never lost."""
    keep_links = {
        r.student_id: r for r in Relationship.select().where(Relationship.guardian == keep)
    }
    for link in list(Relationship.select().where(Relationship.guardian == drop)):
        twin = keep_links.get(link.student_id)
        if twin is None:
            link.guardian = keep
            link.save()
            continue
        twin.custody_restriction = twin.custody_restriction or link.custody_restriction
        twin.is_guardian = twin.is_guardian or link.is_guardian
        twin.portal_access = twin.portal_access or link.portal_access
        twin.active = twin.active or link.active
        twin.save()
        link.delete_instance()


def _move_households(keep: Guardian, drop: Guardian) -> None:
    keep_households = {
        h.household_id for h in HouseholdGuardian.select().where(HouseholdGuardian.guardian == keep)
    }
    for member in list(HouseholdGuardian.select().where(HouseholdGuardian.guardian == drop)):
        if member.household_id in keep_households:
            member.delete_instance()
        else:
            member.guardian = keep
            member.save()


def _revoke_extra_keys(keep: Guardian, has_account: bool, now: dt.datetime) -> int:
    """One live key at most, and none once the kept record has an account."""
    live = list(
        ActivationKey.select()
        .where(ActivationKey.guardian == keep, live_key_condition(iso(now)))
        .order_by(ActivationKey.id.desc())
    )
    stale = live if has_account else live[1:]
    if not stale:
        return 0
    return (
        ActivationKey.update(revoked_at=iso(now))
        .where(ActivationKey.id.in_([k.id for k in stale]))
        .execute()
    )


def _merge_accounts(
    keep: Guardian, drop: Guardian, choice: str | None
) -> tuple[str | None, str | None]:
    kept = PortalAccount.get_or_none(PortalAccount.guardian == keep)
    other = PortalAccount.get_or_none(PortalAccount.guardian == drop)
    if other is None:
        return (kept.username if kept else None), None
    if kept is None:
        other.guardian = keep
        other.save()
        return other.username, None
    if choice == "drop":
        # Swap owners through a placeholder (one account per guardian is a unique index).
        placeholder = Guardian.create(
            sourced_id=f"merge-{uuid.uuid4().hex}",
            given_name="",
            family_name="",
            search_name="",
            active=False,
        )
        kept.guardian = placeholder
        kept.save()
        other.guardian = keep
        other.save()
        kept.guardian = drop
        kept.save()
        placeholder.delete_instance()
        kept, other = other, kept
    other.enabled = False
    credentials.end_sessions(other)
    other.save()
    return kept.username, other.username

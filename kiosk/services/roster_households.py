"""Households derived from a roster: students sharing a guardian, or whose guardians share an
address, live together. Rebuilt on every import, writing only the difference.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import peewee as pw

from kiosk.context import Context
from kiosk.store.bulk import BATCH, BulkInsert, IdMap, raw_rows, update_many
from kiosk.store.models import BaseModel, Household, HouseholdGuardian, HouseholdStudent
from kiosk.text import fold

#: Prefix of households the importer derives (and rebuilds); registrars' own households differ.
HOUSEHOLD_PREFIX = "roster:"


def _components(edges: Iterable[tuple[int, int]]) -> dict[int, list[int]]:
    """Connected components of an undirected graph on ints (union-find, path halving).

    An edge (a, a) just adds the node a."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        root = parent.setdefault(x, x)
        while root != x:
            grand = parent[root]
            parent[x] = grand
            x, root = root, grand
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            if ra < rb:
                parent[rb] = ra
            else:
                parent[ra] = rb
    groups: dict[int, list[int]] = {}
    for node in parent:
        groups.setdefault(find(node), []).append(node)
    return groups


Wanted = dict[str, tuple[str, str, set[int], set[int]]]  # hid -> (name, address, g, s)


def rebuild_households(
    ctx: Context,
    pairs: dict[tuple[int, int], str],
    guardian_addresses: list[tuple[int, str]],
    inactive_students: set[int],
    student_ids: dict[str, int],
    family_names: dict[int, str],
) -> int:
    """Students sharing a guardian, or whose guardians share an address, are one household.

    Only the difference from the stored roster households is written, so a re-import of an
    unchanged roster touches no household rows.
    """
    wanted = _wanted(pairs, guardian_addresses, inactive_students, student_ids, family_names)
    ids = _write_households(ctx, wanted)
    for model, column, index in (
        (HouseholdGuardian, HouseholdGuardian.guardian, 2),
        (HouseholdStudent, HouseholdStudent.student, 3),
    ):
        want = {(ids[hid], member) for hid, entry in wanted.items() for member in entry[index]}
        _write_members(ctx, model, column, want)
    return len(wanted)


def _wanted(
    pairs: dict[tuple[int, int], str],
    guardian_addresses: list[tuple[int, str]],
    inactive_students: set[int],
    student_ids: dict[str, int],
    family_names: dict[int, str],
) -> Wanted:
    """The households the roster implies, by household sourcedId.

    The union-find runs over students only: each guardian joins the component of the first
    (active) student they are linked to.
    """
    first_student: dict[int, int] = {}  # guardian id -> a student of theirs

    def edges() -> Iterator[tuple[int, int]]:
        for gid, sid in pairs:
            if sid in inactive_students:
                continue
            first = first_student.setdefault(gid, sid)
            yield first, sid  # (sid, sid) the first time: the student is a node
        by_address: dict[str, int] = {}
        for gid, address in guardian_addresses:
            student = first_student.get(gid)
            if student is None:
                continue
            key = fold(" ".join(address.split()))
            other = by_address.setdefault(key, student)
            if other != student:
                yield other, student

    components = _components(edges())
    root_of = {student: root for root, members in components.items() for student in members}
    guardians_of: dict[int, set[int]] = {}
    for gid, student in first_student.items():
        guardians_of.setdefault(root_of[student], set()).add(gid)
    addresses = dict(reversed(guardian_addresses))  # first address given for each guardian
    student_sids = {v: k for k, v in student_ids.items()}
    wanted: Wanted = {}
    for root, members in components.items():
        students = set(members)
        guardians = guardians_of.get(root, set())
        first = min(guardians) if guardians else 0
        hid = HOUSEHOLD_PREFIX + min(student_sids[n] for n in students)
        address = next((addresses[g] for g in sorted(guardians) if g in addresses), "")
        wanted[hid] = (family_names.get(first, ""), address, guardians, students)
    return wanted


def _write_households(ctx: Context, wanted: Wanted) -> IdMap:
    """Delete, update and insert household rows; returns household sourcedId -> id."""
    stored = {
        sid: (hid, name, address)
        for hid, sid, name, address in raw_rows(
            Household.select(
                Household.id, Household.sourced_id, Household.name, Household.address
            ).where(Household.sourced_id.startswith(HOUSEHOLD_PREFIX))
        )
    }
    obsolete = [v[0] for sid, v in stored.items() if sid not in wanted]
    for start in range(0, len(obsolete), BATCH):
        Household.delete().where(Household.id.in_(obsolete[start : start + BATCH])).execute()
    changed = [
        (family, address, stored[hid][0])
        for hid, (family, address, _g, _s) in wanted.items()
        if hid in stored and stored[hid][1:] != (family, address)
    ]
    update_many(ctx.store.db, Household, ["name", "address"], changed)
    ids = IdMap({sid: v[0] for sid, v in stored.items() if sid in wanted}, Household)
    fresh = BulkInsert(
        ctx.store.db,
        Household,
        [Household.id, Household.sourced_id, Household.name, Household.address, Household.phone],
    )
    for hid, (family, address, _g, _s) in wanted.items():
        if hid not in stored:
            fresh.add((ids[hid], hid, family, address, ""))
    fresh.flush()
    ids.fix_sequence(ctx.store.db)
    return ids


def _write_members(
    ctx: Context, model: type[BaseModel], column: pw.Field, want: set[tuple[int, int]]
) -> None:
    """Make the roster households' (household, member) rows of ``model`` exactly ``want``."""
    have: dict[tuple[int, int], int] = {
        (household, member): row_id
        for row_id, household, member in raw_rows(
            model.select(model.id, model.household, column)
            .join(Household)
            .where(Household.sourced_id.startswith(HOUSEHOLD_PREFIX))
        )
    }
    gone = [row_id for key, row_id in have.items() if key not in want]
    for start in range(0, len(gone), BATCH):
        model.delete().where(model.id.in_(gone[start : start + BATCH])).execute()
    batch = BulkInsert(ctx.store.db, model, [model.household, column])
    for key in sorted(want):  # in index order: B-tree appends, not random inserts
        if key not in have:
            batch.add(key)
    batch.flush()

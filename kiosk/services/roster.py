"""OneRoster 1.1/1.2 CSV import: schools, students, guardians, links and derived households.

All or nothing. ``kiosk.services.roster_files.validate`` reads every file first and refuses the
whole import, listing every problem, if anything is wrong; only then is users.csv streamed again
and written in batches inside one transaction, mapping sourcedIds to integer ids with plain
dicts (no per-row queries, no row kept in memory), so a 100,000-student district loads in
seconds.

Re-import updates by sourcedId: a changed name is updated, ``tobedeleted`` or a record that is
no longer in a bulk file is deactivated. Nothing is ever deleted (accounts, keys, requests and
the audit log stay); only roster-derived household memberships are rebuilt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import peewee as pw

from kiosk import audit
from kiosk.auth import Actor
from kiosk.context import Context
from kiosk.errors import KioskError
from kiosk.services.access import require_staff
from kiosk.services.roster_files import (
    ADDRESS_COLUMNS,
    GUARDIAN,
    INACTIVE_STATUSES,
    LEGAL_GUARDIAN_ROLES,
    STUDENT,
    Limits,
    Plan,
    Problems,
    RosterRejected,
    RosterSource,
    clean_address,
    picked_rows,
    rows,
    split_ids,
    validate,
)
from kiosk.services.roster_households import HOUSEHOLD_PREFIX, rebuild_households
from kiosk.store import search_index
from kiosk.store.bulk import (
    BATCH,
    BulkInsert,
    IdMap,
    raw_rows,
    refresh_statistics,
    update_many,
)
from kiosk.store.models import (
    Guardian,
    Household,
    HouseholdGuardian,
    HouseholdStudent,
    Relationship,
    School,
    SearchTerm,
    Student,
)
from kiosk.text import digits, fold

__all__ = [
    "HOUSEHOLD_PREFIX",
    "ImportSummary",
    "RosterRejected",
    "describe",
    "import_roster",
    "validate",
]

#: SQLite page cache during an import (KiB); the default 2 MB thrashes on district-size indexes.
IMPORT_CACHE_KIB = 131072


@dataclass
class ImportSummary:
    schools: int = 0
    students: int = 0
    guardians: int = 0
    links: int = 0
    households: int = 0
    added: int = 0
    updated: int = 0
    deactivated: int = 0
    dry_run: bool = field(default=False, compare=False)

    def counts(self) -> dict[str, int]:
        data = asdict(self)
        data.pop("dry_run")
        return data


def import_roster(
    ctx: Context,
    actor: Actor,
    path: Path | str,
    *,
    dry_run: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportSummary:
    """Validate, then (unless ``dry_run``) write the roster in one transaction.

    ``progress(stage, done_increment, total)`` is called now and then for a progress bar.
    """
    require_staff(actor, "district_admin")
    limits = Limits(total_bytes=ctx.config.roster.max_total_mb * 2**20)
    source = RosterSource(Path(path), limits)
    try:
        plan = validate(
            source, (lambda n: progress("checking the files", n, 0)) if progress else None
        )
        summary = ImportSummary(dry_run=dry_run)
        if dry_run:
            _count_only(plan, source, summary)
            return summary
        _refuse_empty(ctx, plan)
        with _big_cache(ctx), ctx.store.write():
            _write(ctx, plan, source, summary, progress)
            audit.record(ctx, actor, "roster.import", detail=summary.counts())
        return summary
    finally:
        source.close()


@contextmanager
def _big_cache(ctx: Context) -> Iterator[None]:
    """A larger SQLite page cache while importing: index inserts stop re-reading pages."""
    if not ctx.store.is_sqlite:
        yield
        return
    db = ctx.store.db
    before = db.execute_sql("PRAGMA cache_size").fetchone()[0]
    db.execute_sql(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        db.execute_sql(f"PRAGMA cache_size = {int(before)}")


def _refuse_empty(ctx: Context, plan: Plan) -> None:
    """A bulk users.csv without a single student is a broken export, not a district that
    closed: importing it would deactivate every student."""
    if "users.csv" in plan.delta or any(kind == STUDENT for kind in plan.roles.values()):
        return
    with ctx.store.read():
        active = Student.select().where(Student.active).count()
    if active:
        raise RosterRejected(
            [
                f"users.csv: the export lists no students; importing it would deactivate all "
                f"{active} students. Check the export from the student information system."
            ]
        )


def _count_only(plan: Plan, source: RosterSource, summary: ImportSummary) -> None:
    summary.schools = sum(1 for s in plan.schools.values() if s[2])
    summary.students = sum(1 for k in plan.roles.values() if k == STUDENT)
    summary.guardians = sum(1 for k in plan.roles.values() if k == GUARDIAN)
    pairs = set()
    for _line, row in rows(source, "users.csv", Problems()):
        sid = row["sourcedId"].strip()
        kind = plan.roles.get(sid)
        for agent in split_ids(row.get("agentSourcedIds", "")):
            if kind == STUDENT and plan.roles.get(agent) == GUARDIAN:
                pairs.add((agent, sid))
            elif kind == GUARDIAN and plan.roles.get(agent) == STUDENT:
                pairs.add((sid, agent))
    summary.links = len(pairs)


def _write(
    ctx: Context,
    plan: Plan,
    source: RosterSource,
    summary: ImportSummary,
    progress: Callable[[str, int, int], None] | None,
) -> None:
    school_ids = _write_schools(plan, summary)
    terms = search_index.TermWriter(ctx.store.db)  # only new and changed people's words
    people = _write_people(ctx, plan, source, summary, school_ids, progress, terms)
    terms.finish()
    _write_links(ctx, plan, people, summary)
    summary.households = rebuild_households(
        ctx,
        people.pairs,
        people.guardian_addresses,
        people.inactive_students,
        people.student_ids,
        people.family_names,
    )
    refresh_statistics(ctx.store.db, [Student, Guardian, Relationship, Household,
                                      HouseholdGuardian, HouseholdStudent, SearchTerm])  # fmt: skip
    if progress:
        progress("writing", plan.user_rows % 1000, plan.user_rows)


def _write_schools(plan: Plan, summary: ImportSummary) -> dict[str, int]:
    """Schools (few): matched by sourcedId, else by code (config schools adopt the roster's
    id). Returns org sourcedId -> school id."""
    existing_schools = list(School.select())
    by_sid = {s.sourced_id: s for s in existing_schools}
    by_code = {s.code: s for s in existing_schools}
    school_ids: dict[str, int] = {}
    for sid, (code, name, active) in plan.schools.items():
        school = by_sid.get(sid) or by_code.get(code)
        if school is None:
            school = School.create(sourced_id=sid, code=code, name=name, active=active)
            summary.added += 1
        elif (school.sourced_id, school.code, school.name, school.active) != (
            sid,
            code,
            name,
            active,
        ):
            if school.code != code and code in by_code and by_code[code].id != school.id:
                raise RosterRejected([f"orgs.csv: school code {code!r} belongs to another school"])
            if school.active and not active:
                summary.deactivated += 1
            else:
                summary.updated += 1
            school.sourced_id, school.code, school.name, school.active = sid, code, name, active
            school.save()
        school_ids[sid] = school.id
        summary.schools += active
    if "orgs.csv" not in plan.delta:
        gone = [s.id for s in existing_schools if s.active and s.id not in school_ids.values()]
        if gone:
            School.update(active=False).where(School.id.in_(gone)).execute()
            summary.deactivated += len(gone)

    return school_ids


@dataclass
class _People:
    """What the pass over users.csv learnt, for the links and households written after it."""

    student_ids: IdMap
    pairs: dict[tuple[int, int], str]  # (guardian id, student id) -> link sourcedId
    inactive_students: set[int]
    relative_ids: set[int]
    guardian_addresses: list[tuple[int, str]]
    family_names: dict[int, str]


STUDENT_FIELDS = ("student_number", "given_name", "family_name", "search_name", "birth_date",
                  "grade", "school_id", "active")  # fmt: skip
GUARDIAN_FIELDS = ("given_name", "family_name", "search_name", "email", "phone", "phone_digits",
                   "address", "birth_date", "active")  # fmt: skip
USER_COLUMNS = ("sourcedId", "status", "role", "givenName", "familyName", "identifier", "username",
                "grades", "orgSourcedIds", "primaryOrgSourcedId", "agentSourcedIds", "phone",
                "sms", "email", *ADDRESS_COLUMNS)  # fmt: skip


class _Table:
    """One model's rows by sourcedId: insert the new, update the changed, deactivate the gone.

    New rows get their ids here (after the highest stored id), so links are resolved in the
    same pass over users.csv without querying ids back. ``active`` is the last field.
    """

    def __init__(self, db: pw.Database, model: type[pw.Model], fields: tuple[str, ...]) -> None:
        self.db, self.model, self.fields = db, model, list(fields)
        columns = [model._meta.columns[name] for name in fields]
        query = raw_rows(model.select(model.sourced_id, model.id, *columns))
        self.stored = {row[0]: row[1:] for row in query}
        self.ids = IdMap({sid: old[0] for sid, old in self.stored.items()}, model)
        self.inserts = BulkInsert(db, model, [model.id, model.sourced_id, *columns])
        self.updates: list[tuple] = []

    def upsert(self, sid: str, own_id: int, values: tuple, summary: ImportSummary) -> tuple | None:
        """Queue the row; returns () if new, the stored row if changed, None if unchanged."""
        old = self.stored.get(sid)
        if old is None:
            self.inserts.add((own_id, sid, *values))
            summary.added += 1
            return ()
        if old[1:] == values:
            return None
        self.updates.append((*values, old[0]))
        if old[-1] and not values[-1]:
            summary.deactivated += 1
        else:
            summary.updated += 1
        return old

    def finish(self, keep: Callable[[str], bool], bulk: bool, summary: ImportSummary) -> None:
        """Write what is pending; in a bulk file, deactivate stored rows ``keep`` rejects."""
        self.inserts.flush()
        self.ids.fix_sequence(self.db)
        update_many(self.db, self.model, self.fields, self.updates)
        if not bulk:
            return
        gone = [old[0] for sid, old in self.stored.items() if old[-1] and not keep(sid)]
        for start in range(0, len(gone), BATCH):
            chunk = gone[start : start + BATCH]
            self.model.update(active=False).where(self.model.id.in_(chunk)).execute()
        summary.deactivated += len(gone)


class _PeoplePass:
    """The second pass over users.csv: one row builder per role, one insert-or-update."""

    def __init__(
        self, ctx: Context, plan: Plan, school_ids: dict[str, int], summary: ImportSummary,
        terms: search_index.TermWriter,
    ) -> None:  # fmt: skip
        self.plan, self.school_ids, self.summary, self.terms = plan, school_ids, summary, terms
        self.students = _Table(ctx.store.db, Student, STUDENT_FIELDS)
        self.guardians = _Table(ctx.store.db, Guardian, GUARDIAN_FIELDS)
        # A guardian merged into another record: the roster's links land on the kept record.
        self.merged = dict(
            Guardian.select(Guardian.id, Guardian.merged_into)
            .where(Guardian.merged_into.is_null(False))
            .tuples()
        )
        self.people = _People(self.students.ids, {}, set(), set(), [], {})

    def student(self, sid: str, row: tuple[str, ...], active: bool) -> None:
        (_sid, _status, _role, given, family, identifier, username, grades, org_list, primary,
         agents, *_rest) = row  # fmt: skip
        plan, people = self.plan, self.people
        self.summary.students += active
        school_sid = next((org for org in split_ids(org_list) if org in plan.schools), None)
        school_sid = (school_sid or primary.strip() or plan.role_rows.get(sid, ("", ""))[1]
                      or plan.student_school.get(sid))  # fmt: skip
        grade_list = split_ids(grades)
        given, family = given.strip(), family.strip()
        number = identifier.strip() or username.strip() or sid
        grade = grade_list[0] if grade_list else ""
        values = (number, given, family, fold(f"{given} {family}"), plan.birth_dates.get(sid),
                  grade, self.school_ids[school_sid], active)  # fmt: skip
        own_id = self.students.ids[sid]
        old = self.students.upsert(sid, own_id, values, self.summary)
        if old is not None:  # new or changed: its search words may have changed
            was = (old[2], old[3], old[1]) if old else None
            self.terms.student(own_id, given, family, number, was=was)
        if not active:
            people.inactive_students.add(own_id)
        for agent in split_ids(agents):
            if plan.roles.get(agent) == GUARDIAN:
                gid = self.guardians.ids[agent]
                people.pairs.setdefault((self.merged.get(gid, gid), own_id), f"{agent}:{sid}")

    def guardian(self, sid: str, row: tuple[str, ...], active: bool) -> None:
        (_sid, _status, role, given, family, _identifier, _username, _grades, _orgs, _primary,
         agents, phone, sms, email, *address_values) = row  # fmt: skip
        plan, people = self.plan, self.people
        own_id = self.guardians.ids[sid]
        if own_id in self.merged:
            active = False  # merged into another record by a registrar: stays retired
        self.summary.guardians += active
        phone = phone.strip() or sms.strip()
        address = next((clean_address(a) for a in address_values if a.strip()), "")
        given, family = given.strip(), family.strip()
        values = (given, family, fold(f"{given} {family}"), email.strip(), phone, digits(phone),
                  address, plan.birth_dates.get(sid), active)  # fmt: skip
        old = self.guardians.upsert(sid, own_id, values, self.summary)
        if old is not None:
            was = (*old[1:3], old[6], old[4]) if old else None
            self.terms.guardian(own_id, given, family, values[5], values[3], was=was)
        link_gid = self.merged.get(own_id, own_id)
        if link_gid == own_id:
            people.family_names[own_id] = family
        if (role.strip() or plan.role_rows.get(sid, ("", ""))[0]) not in LEGAL_GUARDIAN_ROLES:
            people.relative_ids.add(link_gid)
        if address and active:
            people.guardian_addresses.append((link_gid, address))
        for agent in split_ids(agents):
            if plan.roles.get(agent) == STUDENT:
                people.pairs.setdefault((link_gid, self.students.ids[agent]), f"{sid}:{agent}")

    def finish(self) -> _People:
        roles, bulk = self.plan.roles, "users.csv" not in self.plan.delta
        self.students.finish(lambda sid: roles.get(sid) == STUDENT, bulk, self.summary)
        self.guardians.finish(lambda sid: roles.get(sid) == GUARDIAN, bulk, self.summary)
        return self.people


def _write_people(
    ctx: Context,
    plan: Plan,
    source: RosterSource,
    summary: ImportSummary,
    school_ids: dict[str, int],
    progress: Callable[[str, int, int], None] | None,
    terms: search_index.TermWriter,
) -> _People:
    """Students and guardians from users.csv (already checked), compared with what is stored."""
    writer = _PeoplePass(ctx, plan, school_ids, summary, terms)
    users = picked_rows(source, "users.csv", Problems(), USER_COLUMNS, check=False)
    for done, (_line, picked, _values) in enumerate(users, start=1):
        if progress and done % 1000 == 0:
            progress("writing", 1000, plan.user_rows)
        sid = picked[0].strip()
        kind = plan.roles.get(sid)
        active = picked[1].strip() not in INACTIVE_STATUSES
        if kind == STUDENT:
            writer.student(sid, picked, active)
        elif kind == GUARDIAN:
            writer.guardian(sid, picked, active)
    # Flush students first: guardians' rows do not reference them, links (written next) do.
    return writer.finish()


def _write_links(ctx: Context, plan: Plan, people: _People, summary: ImportSummary) -> None:
    users_delta = "users.csv" in plan.delta
    pairs, relative_ids = people.pairs, people.relative_ids
    # Links: new pairs are inserted with default flags; the registrar's flags on existing
    # links (portal access, custody) are never overwritten by a re-import.
    stored_links = {
        (g, s): (i, a, rsid)
        for i, g, s, a, rsid in raw_rows(
            Relationship.select(
                Relationship.id,
                Relationship.guardian,
                Relationship.student,
                Relationship.active,
                Relationship.sourced_id,
            )
        )
    }
    used_link_ids = {v[2] for v in stored_links.values() if v[2]}
    new_links = BulkInsert(
        ctx.store.db,
        Relationship,
        [
            Relationship.sourced_id,
            Relationship.guardian,
            Relationship.student,
            Relationship.relation,
            Relationship.is_guardian,
            Relationship.portal_access,
            Relationship.custody_restriction,
            Relationship.active,
        ],
    )
    reactivate = []
    for (gid, stid), link_sid in sorted(pairs.items()):
        old = stored_links.get((gid, stid))
        if old is None:
            is_guardian = gid not in relative_ids
            new_links.add(
                (
                    link_sid if link_sid not in used_link_ids else None,
                    gid,
                    stid,
                    "parent" if is_guardian else "relative",
                    is_guardian,
                    True,
                    False,
                    True,
                )
            )
            summary.added += 1
        elif not old[1]:
            reactivate.append(old[0])
            summary.updated += 1
    new_links.flush()
    for start in range(0, len(reactivate), BATCH):
        Relationship.update(active=True).where(
            Relationship.id.in_(reactivate[start : start + BATCH])
        ).execute()
    summary.links = len(pairs)
    if not users_delta:
        gone = [v[0] for k, v in stored_links.items() if v[1] and k not in pairs]
        for start in range(0, len(gone), BATCH):
            Relationship.update(active=False).where(
                Relationship.id.in_(gone[start : start + BATCH])
            ).execute()
        summary.deactivated += len(gone)


def describe(error: KioskError) -> list[str]:
    """The problem lines of a refusal (for the CLI and the admin screen)."""
    return list(getattr(error, "problems", None) or [str(error)])

"""OneRoster 1.1/1.2 CSV import: schools, students, guardians, links and derived households.

All or nothing. The files are read twice: the first pass parses and validates every row and
keeps only what references need (sourcedIds and a role code per user); if anything is wrong the
import is refused with every problem as ``file:line: what is wrong`` and the database is not
touched. The second pass streams the rows again and writes them in batches inside one
transaction, mapping sourcedIds to integer ids with plain dicts (no per-row queries), so a
100,000-student district loads in seconds and memory follows the number of people, not the
size of the files.

Re-import updates by sourcedId: a changed name is updated, ``tobedeleted`` or a record that is
no longer in a bulk file is deactivated. Nothing is ever deleted (accounts, keys, requests and
the audit log stay); only roster-derived household memberships are rebuilt.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from operator import itemgetter
from pathlib import Path

import peewee as pw

from kiosk import audit
from kiosk.context import Actor, Context
from kiosk.errors import KioskError, ValidationError
from kiosk.services.access import require_staff
from kiosk.store.models import (
    Guardian,
    Household,
    HouseholdGuardian,
    HouseholdStudent,
    Relationship,
    School,
    Student,
)
from kiosk.text import _UNSAFE as _UNSAFE_ANY
from kiosk.text import digits, fold, unsafe_characters

GUARDIAN_ROLES = {"parent", "guardian", "relative"}
#: Roles a guardian may have portal rights from (a relative is recorded, not a guardian).
LEGAL_GUARDIAN_ROLES = {"parent", "guardian"}
KNOWN_ROLES = GUARDIAN_ROLES | {
    "student",
    "teacher",
    "administrator",
    "aide",
    "proctor",
    "districtAdministrator",
    "siteAdministrator",
    "systemAdministrator",
    "principal",
}
#: Prefix of households the importer derives (and rebuilds); registrars' own households differ.
HOUSEHOLD_PREFIX = "roster:"
BATCH = 2000
#: SQLite page cache during an import (KiB); the default 2 MB thrashes on district-size indexes.
IMPORT_CACHE_KIB = 131072
MAX_PROBLEMS = 500

REQUIRED = {
    "orgs.csv": ("sourcedId", "name", "type"),
    "users.csv": ("sourcedId", "givenName", "familyName"),
    "enrollments.csv": ("sourcedId", "schoolSourcedId", "userSourcedId", "role"),
    "demographics.csv": ("sourcedId",),
    "roles.csv": ("sourcedId", "userSourcedId", "role", "orgSourcedId"),
    "classes.csv": ("sourcedId", "schoolSourcedId"),
    "courses.csv": ("sourcedId",),
    "academicSessions.csv": ("sourcedId",),
    "manifest.csv": ("propertyName", "value"),
}
#: Text the kiosk stores or shows: checked for control and direction characters.
CHECKED_USER_FIELDS = (
    "sourcedId",
    "givenName",
    "familyName",
    "identifier",
    "username",
    "email",
    "phone",
    "sms",
    "grades",
    "orgSourcedIds",
    "agentSourcedIds",
)
ADDRESS_COLUMNS = ("metadata.address", "address")

# Role codes kept per user in the first pass (small ints, not strings).
STUDENT, GUARDIAN, OTHER = 1, 2, 3


class RosterRejected(ValidationError):
    """The files have problems; nothing was imported. ``problems`` lists them all."""

    def __init__(self, problems: list[str]) -> None:
        shown = problems[:MAX_PROBLEMS]
        more = len(problems) - len(shown)
        super().__init__(
            f"The roster was not imported ({len(problems)} problem(s)); nothing was changed. "
            "Fix these in the export and run the import again:\n"
            + "\n".join(shown)
            + (f"\n... and {more} more" if more > 0 else ""),
            problems,
        )
        self.problems = list(problems)


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


# -- reading files --------------------------------------------------------------------------


class RosterSource:
    """A folder or a zip of OneRoster CSV files, opened by file name (case-insensitive)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._zip: zipfile.ZipFile | None = None
        self._names: dict[str, str] = {}
        if not self.path.exists():
            raise ValidationError(f"{self.path} does not exist. Give a folder or a .zip file.")
        if self.path.is_dir():
            for child in self.path.iterdir():
                if child.is_file():
                    self._names[child.name.lower()] = str(child)
        elif zipfile.is_zipfile(self.path):
            self._zip = zipfile.ZipFile(self.path)
            for info in self._zip.infolist():
                if not info.is_dir():
                    base = info.filename.rsplit("/", 1)[-1].lower()
                    self._names.setdefault(base, info.filename)
        else:
            raise ValidationError(
                f"{self.path} is neither a folder nor a zip file of OneRoster CSV files."
            )

    def has(self, name: str) -> bool:
        return name.lower() in self._names

    @contextmanager
    def open(self, name: str) -> Iterator[io.TextIOBase]:
        real = self._names[name.lower()]
        if self._zip is not None:
            raw = self._zip.open(real)
            handle = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        else:
            handle = open(real, encoding="utf-8-sig", newline="")  # noqa: SIM115
        try:
            yield handle
        finally:
            handle.close()

    def bad_utf8_line(self, name: str) -> int:
        """The line (as a text editor counts them) holding the first byte that is not UTF-8."""
        real = self._names[name.lower()]
        raw = self._zip.open(real) if self._zip is not None else open(real, "rb")  # noqa: SIM115
        with raw:
            for number, line in enumerate(raw, start=1):
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError:
                    return number
        return 1

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


_NOT_UTF8 = "not valid UTF-8 text; save the file as UTF-8 CSV (Excel: 'CSV UTF-8')"


class Problems(list):
    """``file:line: what`` lines; ``broken`` names files whose header could not be used."""

    def __init__(self) -> None:
        super().__init__()
        self.broken: set[str] = set()

    def add(self, name: str, line: int, message: str) -> None:
        self.append(f"{name}:{line}: {message}")


def rows(
    source: RosterSource, name: str, problems: Problems, *, raw: bool = False
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line where the record starts, row) for each record; header and encoding checked.

    Line numbers count the header as line 1 and follow quoted fields across lines.
    """
    with source.open(name) as handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = next(reader, None)
        except UnicodeDecodeError:
            problems.add(name, source.bad_utf8_line(name), _NOT_UTF8)
            problems.broken.add(name)
            return
        except csv.Error as exc:
            problems.add(name, 1, f"unreadable header ({exc}); fix the first line")
            problems.broken.add(name)
            return
        if not header:
            problems.add(name, 1, "the file is empty; it needs a header row")
            problems.broken.add(name)
            return
        header = [h.strip() for h in header]
        missing = [c for c in REQUIRED.get(name, ()) if c not in header]
        if missing:
            problems.add(name, 1, f"missing required column(s): {', '.join(missing)}")
            problems.broken.add(name)
            return
        width = len(header)
        last = reader.line_num
        if raw:
            yield 1, header  # type: ignore[misc]
        try:
            for values in reader:
                start = last + 1
                last = reader.line_num
                if len(values) != width:
                    if not values:
                        continue
                    if len(values) < width:
                        values += [""] * (width - len(values))
                    elif raw:
                        del values[width:]
                yield start, (values if raw else dict(zip(header, values, strict=False)))
        except csv.Error as exc:
            problems.add(name, last + 1, f"not valid CSV ({exc})")
        except UnicodeDecodeError:
            problems.add(name, source.bad_utf8_line(name), _NOT_UTF8)
            problems.broken.add(name)


def picked_rows(
    source: RosterSource,
    name: str,
    problems: Problems,
    columns: tuple[str, ...],
    header_out: list[str] | None = None,
) -> Iterator[tuple[int, tuple[str, ...], list[str]]]:
    """Like ``rows`` but without a dict per row, for the large files: (line, the requested
    columns in order ('' when the file lacks one), the raw values).

    One C-level ``itemgetter`` call per row instead of building a dict is most of what keeps a
    100,000-student import close to a raw load.
    """
    header: list[str] = []
    for line, row in rows(source, name, problems, raw=True):
        if line == 1:  # the header, handed over first
            header = row  # type: ignore[assignment]
            if header_out is not None:
                header_out[:] = header
            width = len(header)
            index = {column: i for i, column in enumerate(header)}
            positions = [index.get(column, width) for column in columns]
            pick = itemgetter(*positions) if len(positions) > 1 else None
            continue
        values = row  # type: ignore[assignment]
        values.append("")  # position ``width``: the value of a column the file lacks
        if pick is not None:
            yield line, pick(values), values
        else:
            yield line, (values[positions[0]],), values


def _split(value: str) -> list[str]:
    """A comma-separated list of sourcedIds (spaces around them and empty items ignored)."""
    if not value:
        return []
    parts = value.split(",")
    if " " in value or "" in parts or "\t" in value:
        return [part.strip() for part in parts if part.strip()]
    return parts


def _date(value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat() if len(value) == 10 else None
    except ValueError:
        return None


_STATUSES = frozenset(("", "active", "tobedeleted", "inactive"))


def _status_ok(status: str) -> bool:
    return status.strip() in _STATUSES


_INACTIVE = frozenset(("tobedeleted", "inactive"))


def _active(row: dict[str, str]) -> bool:
    return row.get("status", "").strip() not in _INACTIVE


def _clean_address(value: str) -> str:
    """Addresses may span lines in the export; stored on one line."""
    if "\n" not in value and "\r" not in value:
        return value.strip()
    return ", ".join(part.strip() for part in value.splitlines() if part.strip())


# -- pass 1: validate -----------------------------------------------------------------------


@dataclass
class Plan:
    """What the first pass learnt: enough to write, resolve references and count."""

    schools: dict[str, tuple[str, str, bool]]  # org sourcedId -> (code, name, active)
    roles: dict[str, int]  # user sourcedId -> STUDENT | GUARDIAN | OTHER
    student_school: dict[str, str]  # only students whose users row names no school org
    role_rows: dict[str, tuple[str, str]]  # OneRoster 1.2: user -> (role, org)
    birth_dates: dict[str, str]
    delta: set[str]  # files the manifest marks as delta (missing rows stay as they are)
    user_rows: int = 0


def _check_fields(
    problems: Problems, name: str, line: int, row: dict[str, str], fields: tuple[str, ...]
) -> None:
    if not _UNSAFE_ANY.search("".join(row.values())):
        return  # the common case: one regex pass over the whole row
    for column in fields:
        value = row.get(column, "")
        bad = unsafe_characters(value) if value else []
        if bad:
            problems.add(
                name, line, f"{column} contains control or direction characters ({', '.join(bad)})"
            )


def _read_manifest(source: RosterSource, problems: Problems) -> set[str]:
    delta: set[str] = set()
    if not source.has("manifest.csv"):
        return delta
    for line, row in rows(source, "manifest.csv", problems):
        prop, value = row.get("propertyName", "").strip(), row.get("value", "").strip()
        if prop == "oneroster.version" and value not in ("1.1", "1.2", "1.0"):
            problems.add("manifest.csv", line, f"unsupported OneRoster version {value!r}")
        if prop.startswith("file.") and value:
            if value not in ("bulk", "delta", "absent"):
                problems.add(
                    "manifest.csv", line, f"{prop} must be bulk, delta or absent, not {value!r}"
                )
            elif value == "delta":
                delta.add(prop[len("file.") :] + ".csv")
    return delta


def validate(source: RosterSource, progress: Callable[[int], None] | None = None) -> Plan:
    """Parse and check every file; raise ``RosterRejected`` listing all problems."""
    problems = Problems()
    for required in ("orgs.csv", "users.csv"):
        if not source.has(required):
            problems.append(f"{required}: the file is missing from the roster export")
    if problems:
        raise RosterRejected(problems)
    delta = _read_manifest(source, problems)

    schools: dict[str, tuple[str, str, bool]] = {}
    orgs: set[str] = set()
    codes: dict[str, int] = {}
    parents: list[tuple[int, str]] = []
    for line, row in rows(source, "orgs.csv", problems):
        sid = row["sourcedId"].strip()
        _check_fields(problems, "orgs.csv", line, row, ("sourcedId", "name", "identifier"))
        if not sid:
            problems.add("orgs.csv", line, "sourcedId is empty")
            continue
        if sid in orgs:
            problems.add("orgs.csv", line, f"duplicate sourcedId {sid!r}")
            continue
        orgs.add(sid)
        if row.get("parentSourcedId", "").strip():
            parents.append((line, row["parentSourcedId"].strip()))
        if not _status_ok(row.get("status", "")):
            problems.add("orgs.csv", line, f"unknown status {row['status']!r}")
        if row["type"].strip() == "school":
            name = row["name"].strip()
            if not name:
                problems.add("orgs.csv", line, "the school has no name")
            code = row.get("identifier", "").strip() or sid
            if code in codes:
                problems.add(
                    "orgs.csv",
                    line,
                    f"school identifier {code!r} is also used on line {codes[code]}",
                )
            codes[code] = line
            schools[sid] = (code, name, _active(row))

    for line, parent in parents:
        if parent not in orgs:
            problems.add("orgs.csv", line, f"parentSourcedId {parent!r} is not in orgs.csv")

    role_rows: dict[str, tuple[str, str]] = {}
    if source.has("roles.csv"):
        for line, row in rows(source, "roles.csv", problems):
            user, role, org = (row[c].strip() for c in ("userSourcedId", "role", "orgSourcedId"))
            if role not in KNOWN_ROLES:
                problems.add("roles.csv", line, f"unknown role {role!r}")
            if org and org not in orgs:
                problems.add("roles.csv", line, f"orgSourcedId {org!r} is not in orgs.csv")
            primary = row.get("roleType", "primary").strip() in ("", "primary")
            if user not in role_rows or (primary and role_rows[user][0] != "student"):
                role_rows.setdefault(user, (role, org if org in schools else ""))

    roles: dict[str, int] = {}
    no_school: dict[str, int] = {}  # student -> line, until enrollments name a school
    named_by_students: set[str] = set()  # agentSourcedIds given on student rows
    named_by_guardians: set[str] = set()
    count = 0
    has_role_column = True
    header: list[str] = []
    users = picked_rows(
        source,
        "users.csv",
        problems,
        ("sourcedId", "status", "role", "givenName", "familyName", "orgSourcedIds",
         "primaryOrgSourcedId", "agentSourcedIds"),
        header,
    )  # fmt: skip
    for line, picked, values in users:
        count += 1
        if progress and count % 1000 == 0:
            progress(1000)
        if count == 1 and "role" not in header and not role_rows:
            problems.add("users.csv", 1, "missing required column: role (or give a roles.csv)")
            has_role_column = False
        if not has_role_column:
            break
        sid, status, role, given, family, org_list, primary, agents = picked
        sid = sid.strip()
        if _UNSAFE_ANY.search("".join(values)):
            _check_fields(
                problems, "users.csv", line, dict(zip(header, values, strict=False)),
                CHECKED_USER_FIELDS,
            )  # fmt: skip
        if not sid:
            problems.add("users.csv", line, "sourcedId is empty")
            continue
        if sid in roles:
            problems.add("users.csv", line, f"duplicate sourcedId {sid!r}")
            continue
        if status and status not in _STATUSES and status.strip() not in _STATUSES:
            problems.add("users.csv", line, f"unknown status {status!r}")
        role = role.strip() or role_rows.get(sid, ("", ""))[0]
        if role not in KNOWN_ROLES:
            problems.add("users.csv", line, f"unknown role {role!r}" if role else "role is empty")
            roles[sid] = OTHER
            continue
        kind = STUDENT if role == "student" else GUARDIAN if role in GUARDIAN_ROLES else OTHER
        roles[sid] = kind
        if kind == OTHER:
            continue
        if not given.strip() and not family.strip():
            problems.add("users.csv", line, "the person has no name (givenName, familyName)")
        org_ids = _split(org_list)
        has_school = False
        for org in org_ids:
            if org in schools:
                has_school = True
            elif org not in orgs:
                problems.add("users.csv", line, f"orgSourcedIds names {org!r}, not in orgs.csv")
        if (
            kind == STUDENT
            and not has_school
            and primary.strip() not in schools
            and not role_rows.get(sid, ("", ""))[1]
        ):
            no_school[sid] = line
        if agents:
            (named_by_students if kind == STUDENT else named_by_guardians).update(_split(agents))
    if progress:
        progress(count % 1000)
    if problems.broken & {"orgs.csv", "users.csv"}:
        raise RosterRejected(problems)  # every reference check would fail for the same reason
    # Agent references are checked as sets (most point forward in the file); only when one is
    # wrong is users.csv read again to say on which lines.
    suspicious = {a for a in named_by_students if roles.get(a, 0) in (0, STUDENT)}
    suspicious |= {a for a in named_by_guardians if roles.get(a, 0) in (0, GUARDIAN)}
    if suspicious:
        _locate_bad_agents(source, roles, suspicious, problems)

    student_school: dict[str, str] = {}
    if source.has("enrollments.csv"):
        class_ids: set[str] | None = None
        if source.has("classes.csv"):
            class_ids = set()
            for line, row in rows(source, "classes.csv", problems):
                school = row["schoolSourcedId"].strip()
                if school and school not in orgs:
                    problems.add(
                        "classes.csv", line, f"schoolSourcedId {school!r} is not in orgs.csv"
                    )
                class_ids.add(row["sourcedId"].strip())
        seen: set[str] = set()
        enrollments = picked_rows(
            source,
            "enrollments.csv",
            problems,
            ("sourcedId", "userSourcedId", "schoolSourcedId", "classSourcedId", "status"),
        )
        for line, (sid, user, school, klass, status), _values in enrollments:
            sid = sid.strip()
            if sid in seen:
                problems.add("enrollments.csv", line, f"duplicate sourcedId {sid!r}")
            seen.add(sid)
            user, school = user.strip(), school.strip()
            if user not in roles:
                problems.add("enrollments.csv", line, f"userSourcedId {user!r} is not in users.csv")
            if school not in orgs:
                problems.add(
                    "enrollments.csv", line, f"schoolSourcedId {school!r} is not in orgs.csv"
                )
            klass = klass.strip()
            if class_ids is not None and klass and klass not in class_ids:
                problems.add(
                    "enrollments.csv", line, f"classSourcedId {klass!r} is not in classes.csv"
                )
            if user in no_school and school in schools and status.strip() not in _INACTIVE:
                student_school[user] = school
                del no_school[user]
    for sid, line in no_school.items():
        problems.add(
            "users.csv", line, f"student {sid!r} has no school (orgSourcedIds or an enrollment)"
        )

    birth_dates: dict[str, str] = {}
    if source.has("demographics.csv"):
        demographics = picked_rows(source, "demographics.csv", problems, ("sourcedId", "birthDate"))
        for line, (sid, raw), _values in demographics:
            sid = sid.strip()
            if sid not in roles:
                problems.add("demographics.csv", line, f"sourcedId {sid!r} is not in users.csv")
                continue
            if sid in birth_dates:
                problems.add("demographics.csv", line, f"duplicate sourcedId {sid!r}")
                continue
            raw = raw.strip()
            if raw:
                born = _date(raw)
                if born is None:
                    problems.add(
                        "demographics.csv", line, f"birthDate {raw!r} is not a date (YYYY-MM-DD)"
                    )
                    continue
                if roles[sid] != OTHER:
                    birth_dates[sid] = born
    for extra in ("courses.csv", "academicSessions.csv"):
        if source.has(extra):
            for _line, _row in rows(source, extra, problems):
                pass
    if problems:
        raise RosterRejected(problems)
    return Plan(schools, roles, student_school, role_rows, birth_dates, delta, count)


def _locate_bad_agents(
    source: RosterSource, roles: dict[str, int], suspicious: set[str], problems: Problems
) -> None:
    seen: set[str] = set()
    for line, row in rows(source, "users.csv", Problems()):
        sid = row["sourcedId"].strip()
        if sid in seen:
            continue  # a duplicate row, already reported
        seen.add(sid)
        kind = roles.get(sid, OTHER)
        if kind == OTHER:
            continue
        for agent in _split(row.get("agentSourcedIds", "")):
            if agent not in suspicious:
                continue
            if agent not in roles:
                problems.add(
                    "users.csv", line, f"agentSourcedIds names {agent!r}, not in users.csv"
                )
            else:
                _check_agent(problems, line, sid, kind, agent, roles[agent])


def _check_agent(
    problems: Problems, line: int, sid: str, kind: int, agent: str, agent_kind: int
) -> None:
    if kind == OTHER or agent_kind == OTHER:
        return
    if kind == agent_kind:
        who = "student" if kind == STUDENT else "guardian"
        problems.add(
            "users.csv", line, f"agentSourcedIds links {who} {sid!r} to another {who} {agent!r}"
        )


# -- pass 2: write --------------------------------------------------------------------------


def _quote(name: str) -> str:
    """An identifier in double quotes (SQLite and PostgreSQL both accept them)."""
    return '"' + name.replace('"', '""') + '"'


class _Batcher:
    """Inserts rows in chunks with one prepared statement (``executemany``).

    peewee's ``insert_many`` builds SQL text for every value, which costs more than SQLite's
    own work at district sizes; a prepared INSERT with parameters is what the raw baseline
    does, and the values are still parameters (never spliced into the SQL).
    """

    def __init__(self, ctx: Context, model: type[pw.Model], fields: list[pw.Field]) -> None:
        db = ctx.store.db
        self.cursor = db.cursor()
        columns = ", ".join(_quote(f.column_name) for f in fields)
        marks = ", ".join([db.param] * len(fields))
        self.sql = (
            f"INSERT INTO {_quote(model._meta.table_name)} ({columns}) "  # noqa: S608
            f"VALUES ({marks})"
        )
        self.pending: list[tuple] = []
        self.count = 0

    def add(self, values: tuple) -> None:
        self.pending.append(values)
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.cursor.executemany(self.sql, self.pending)
            self.count += len(self.pending)
            self.pending = []


def _update_many(ctx: Context, model: type[pw.Model], columns: list[str], rows_: list) -> None:
    """UPDATE ... WHERE id = ? for many rows with one prepared statement (last value is id)."""
    if not rows_:
        return
    db = ctx.store.db
    param = db.param
    table = _quote(model._meta.table_name)
    sets = ", ".join(f"{_quote(c)} = {param}" for c in columns)
    sql = f"UPDATE {table} SET {sets} WHERE {_quote('id')} = {param}"  # noqa: S608 - names come from the models
    cursor = db.cursor()
    for start in range(0, len(rows_), BATCH):
        cursor.executemany(sql, rows_[start : start + BATCH])


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
    source = RosterSource(Path(path))
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
        for agent in _split(row.get("agentSourcedIds", "")):
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
    users_delta = "users.csv" in plan.delta
    # Schools: few; matched by sourcedId, else by code (config schools adopt the roster's id).
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

    # Students and guardians: compare with what is stored, insert new, update changed. New
    # rows get their ids here (after the highest stored id), so links are resolved in the same
    # pass over users.csv, without querying ids back.
    student_fields = [
        "student_number",
        "given_name",
        "family_name",
        "search_name",
        "birth_date",
        "grade",
        "school_id",
        "active",
    ]
    guardian_fields = [
        "given_name",
        "family_name",
        "search_name",
        "email",
        "phone",
        "phone_digits",
        "address",
        "birth_date",
        "active",
    ]
    stored_students = {
        row[0]: row[1:]
        for row in Student.select(
            Student.sourced_id,
            Student.id,
            Student.student_number,
            Student.given_name,
            Student.family_name,
            Student.search_name,
            Student.birth_date,
            Student.grade,
            Student.school,
            Student.active,
        )
        .tuples()
        .iterator()
    }
    stored_guardians = {
        row[0]: row[1:]
        for row in Guardian.select(
            Guardian.sourced_id,
            Guardian.id,
            Guardian.given_name,
            Guardian.family_name,
            Guardian.search_name,
            Guardian.email,
            Guardian.phone,
            Guardian.phone_digits,
            Guardian.address,
            Guardian.birth_date,
            Guardian.active,
        )
        .tuples()
        .iterator()
    }
    student_ids = _IdMap({sid: old[0] for sid, old in stored_students.items()}, Student)
    guardian_ids = _IdMap({sid: old[0] for sid, old in stored_guardians.items()}, Guardian)
    # A guardian merged into another record: the roster's links land on the kept record.
    merged = dict(
        Guardian.select(Guardian.id, Guardian.merged_into)
        .where(Guardian.merged_into.is_null(False))
        .tuples()
    )
    new_students = _Batcher(
        ctx,
        Student,
        [
            Student.id,
            Student.sourced_id,
            Student.student_number,
            Student.given_name,
            Student.family_name,
            Student.search_name,
            Student.birth_date,
            Student.grade,
            Student.school,
            Student.active,
        ],
    )
    new_guardians = _Batcher(
        ctx,
        Guardian,
        [
            Guardian.id,
            Guardian.sourced_id,
            Guardian.given_name,
            Guardian.family_name,
            Guardian.search_name,
            Guardian.email,
            Guardian.phone,
            Guardian.phone_digits,
            Guardian.address,
            Guardian.birth_date,
            Guardian.active,
        ],
    )
    student_updates: list[tuple] = []
    guardian_updates: list[tuple] = []
    pairs: dict[tuple[int, int], str] = {}
    inactive_students: set[int] = set()
    relative_ids: set[int] = set()
    guardian_addresses: list[tuple[int, str]] = []
    family_names: dict[int, str] = {}
    roles = plan.roles
    done = 0
    birth_dates, schools, role_rows = plan.birth_dates, plan.schools, plan.role_rows
    users = picked_rows(
        source,
        "users.csv",
        Problems(),
        ("sourcedId", "status", "role", "givenName", "familyName", "identifier", "username",
         "grades", "orgSourcedIds", "primaryOrgSourcedId", "agentSourcedIds", "phone", "sms",
         "email", *ADDRESS_COLUMNS),
    )  # fmt: skip
    for _line, picked, _values in users:
        done += 1
        if progress and done % 1000 == 0:
            progress("writing", 1000, plan.user_rows)
        sid = picked[0].strip()
        kind = roles.get(sid)
        if kind == OTHER or kind is None:
            continue
        (_sid, status, role, given, family, identifier, username, grades, org_list, primary,
         agents, phone, sms, email, *address_values) = picked  # fmt: skip
        given, family = given.strip(), family.strip()
        active = status.strip() not in _INACTIVE
        born = birth_dates.get(sid)
        if kind == STUDENT:
            summary.students += active
            number = identifier.strip() or username.strip() or sid
            grade_list = _split(grades)
            school_sid = None
            for org in _split(org_list):
                if org in schools:
                    school_sid = org
                    break
            school_sid = (
                school_sid
                or primary.strip()
                or role_rows.get(sid, ("", ""))[1]
                or plan.student_school.get(sid)
            )
            values = (
                number,
                given,
                family,
                fold(f"{given} {family}"),
                born,
                grade_list[0] if grade_list else "",
                school_ids[school_sid],
                active,
            )
            old = stored_students.get(sid)
            own_id = student_ids[sid]
            if old is None:
                new_students.add((own_id, sid, *values))
                summary.added += 1
            elif old[1:] != values:
                student_updates.append((*values, old[0]))
                if old[-1] and not active:
                    summary.deactivated += 1
                else:
                    summary.updated += 1
            if not active:
                inactive_students.add(own_id)
            if agents:
                for agent in _split(agents):
                    if roles.get(agent) == GUARDIAN:
                        gid = guardian_ids[agent]
                        key = (merged.get(gid, gid), own_id)
                        if key not in pairs:
                            pairs[key] = f"{agent}:{sid}"
        else:
            own_id = guardian_ids[sid]
            if merged and own_id in merged:
                active = False  # merged into another record by a registrar: stays retired
            summary.guardians += active
            phone = phone.strip() or sms.strip()
            address = ""
            for raw in address_values:
                if raw.strip():
                    address = _clean_address(raw)
                    break
            values = (
                given,
                family,
                fold(f"{given} {family}"),
                email.strip(),
                phone,
                digits(phone),
                address,
                born,
                active,
            )
            old = stored_guardians.get(sid)
            if old is None:
                new_guardians.add((own_id, sid, *values))
                summary.added += 1
            elif old[1:] != values:
                guardian_updates.append((*values, old[0]))
                if old[-1] and not active:
                    summary.deactivated += 1
                else:
                    summary.updated += 1
            link_gid = merged.get(own_id, own_id)
            if link_gid == own_id:
                family_names[own_id] = family
            role = role.strip() or role_rows.get(sid, ("", ""))[0]
            if role not in LEGAL_GUARDIAN_ROLES:
                relative_ids.add(link_gid)
            if address and active:
                guardian_addresses.append((link_gid, address))
            if agents:
                for agent in _split(agents):
                    if roles.get(agent) == STUDENT:
                        key = (link_gid, student_ids[agent])
                        if key not in pairs:
                            pairs[key] = f"{sid}:{agent}"
    new_students.flush()
    new_guardians.flush()
    student_ids.fix_sequence(ctx)
    guardian_ids.fix_sequence(ctx)
    _update_many(ctx, Student, student_fields, student_updates)
    _update_many(ctx, Guardian, guardian_fields, guardian_updates)
    if not users_delta:
        for model, stored, kind in (
            (Student, stored_students, STUDENT),
            (Guardian, stored_guardians, GUARDIAN),
        ):
            gone = [old[0] for sid, old in stored.items() if old[-1] and roles.get(sid) != kind]
            for start in range(0, len(gone), BATCH):
                model.update(active=False).where(
                    model.id.in_(gone[start : start + BATCH])
                ).execute()
            summary.deactivated += len(gone)
    del stored_students, stored_guardians, student_updates, guardian_updates

    # Links: new pairs are inserted with default flags; the registrar's flags on existing
    # links (portal access, custody) are never overwritten by a re-import.
    stored_links = {
        (g, s): (i, a, rsid)
        for i, g, s, a, rsid in Relationship.select(
            Relationship.id,
            Relationship.guardian,
            Relationship.student,
            Relationship.active,
            Relationship.sourced_id,
        )
        .tuples()
        .iterator()
    }
    used_link_ids = {v[2] for v in stored_links.values() if v[2]}
    new_links = _Batcher(
        ctx,
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
    del stored_links
    summary.households = _rebuild_households(
        ctx, pairs, guardian_addresses, inactive_students, student_ids, family_names
    )
    if progress:
        progress("writing", plan.user_rows % 1000, plan.user_rows)


class _IdMap(dict):
    """sourcedId -> row id; an unknown sourcedId gets the next free id (inserted later)."""

    def __init__(self, stored: dict[str, int], model: type[pw.Model]) -> None:
        super().__init__(stored)
        self.model = model
        self.next_id = (model.select(pw.fn.MAX(model.id)).scalar() or 0) + 1
        self.assigned = False

    def __missing__(self, sid: str) -> int:
        self[sid] = self.next_id
        self.next_id += 1
        self.assigned = True
        return self[sid]

    def fix_sequence(self, ctx: Context) -> None:
        """PostgreSQL's id sequence must move past the ids given explicitly."""
        if self.assigned and not ctx.store.is_sqlite:
            table = self.model._meta.table_name
            ctx.store.db.execute_sql(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", (table, self.next_id - 1)
            )


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


def _rebuild_households(
    ctx: Context,
    pairs: dict[tuple[int, int], str],
    guardian_addresses: list[tuple[int, str]],
    inactive_students: set[int],
    student_ids: dict[str, int],
    family_names: dict[int, str],
) -> int:
    """Students sharing a guardian, or whose guardians share an address, are one household.

    The union-find runs over students only: each guardian joins the component of the first
    (active) student they are linked to. Only the difference from the stored roster households
    is written, so a re-import of an unchanged roster touches no household rows.
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
    wanted: dict[str, tuple[str, str, set[int], set[int]]] = {}
    for root, members in components.items():
        students = set(members)
        guardians = guardians_of.get(root, set())
        first = min(guardians) if guardians else 0
        hid = HOUSEHOLD_PREFIX + min(student_sids[n] for n in students)
        address = next((addresses[g] for g in sorted(guardians) if g in addresses), "")
        wanted[hid] = (family_names.get(first, ""), address, guardians, students)

    stored = {
        sid: (hid, name, address)
        for hid, sid, name, address in Household.select(
            Household.id, Household.sourced_id, Household.name, Household.address
        )
        .where(Household.sourced_id.startswith(HOUSEHOLD_PREFIX))
        .tuples()
        .iterator()
    }
    obsolete = [v[0] for sid, v in stored.items() if sid not in wanted]
    for start in range(0, len(obsolete), BATCH):
        Household.delete().where(Household.id.in_(obsolete[start : start + BATCH])).execute()
    changed = [
        (family, address, stored[hid][0])
        for hid, (family, address, _g, _s) in wanted.items()
        if hid in stored and stored[hid][1:] != (family, address)
    ]
    _update_many(ctx, Household, ["name", "address"], changed)
    ids = _IdMap({sid: v[0] for sid, v in stored.items() if sid in wanted}, Household)
    fresh = _Batcher(
        ctx,
        Household,
        [Household.id, Household.sourced_id, Household.name, Household.address, Household.phone],
    )
    for hid, (family, address, _g, _s) in wanted.items():
        if hid not in stored:
            fresh.add((ids[hid], hid, family, address, ""))
    fresh.flush()
    ids.fix_sequence(ctx)

    for model, column, index in (
        (HouseholdGuardian, HouseholdGuardian.guardian, 2),
        (HouseholdStudent, HouseholdStudent.student, 3),
    ):
        have: dict[tuple[int, int], int] = {
            (household, member): row_id
            for row_id, household, member in model.select(model.id, model.household, column)
            .join(Household)
            .where(Household.sourced_id.startswith(HOUSEHOLD_PREFIX))
            .tuples()
            .iterator()
        }
        want = {(ids[hid], member) for hid, entry in wanted.items() for member in entry[index]}
        gone = [row_id for key, row_id in have.items() if key not in want]
        for start in range(0, len(gone), BATCH):
            model.delete().where(model.id.in_(gone[start : start + BATCH])).execute()
        batch = _Batcher(ctx, model, [model.household, column])
        for key in sorted(want):  # in index order: B-tree appends, not random inserts
            if key not in have:
                batch.add(key)
        batch.flush()
    return len(wanted)


def describe(error: KioskError) -> list[str]:
    """The problem lines of a refusal (for the CLI and the admin screen)."""
    return list(getattr(error, "problems", None) or [str(error)])

"""Reading and checking a OneRoster 1.1/1.2 CSV export (a folder or a zip), before any write.

``validate`` parses every row of every file and keeps only what the write needs to resolve
references (sourcedIds, a role code per user, birth dates); anything wrong is collected as
``file:line: what is wrong`` (lines as a person sees them: the header is line 1, quoted fields
may span lines) and the import is refused as a whole with ``RosterRejected``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

from kiosk.errors import ValidationError, message
from kiosk.text import _UNSAFE as _UNSAFE_ANY
from kiosk.text import unsafe_characters

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
            "roster_rejected",
            count=len(problems),
            problems=shown,
            more=message("roster_more", n=more) if more > 0 else "",
        )
        self.problems = list(problems)


class RosterSource:
    """A folder or a zip of OneRoster CSV files, opened by file name (case-insensitive)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._zip: zipfile.ZipFile | None = None
        self._names: dict[str, str] = {}
        if not self.path.exists():
            raise ValidationError("roster_missing_path", path=self.path)
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
            raise ValidationError("roster_path_kind", path=self.path)

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


def split_ids(value: str) -> list[str]:
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


INACTIVE_STATUSES = frozenset(("tobedeleted", "inactive"))


def _active(row: dict[str, str]) -> bool:
    return row.get("status", "").strip() not in INACTIVE_STATUSES


def clean_address(value: str) -> str:
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
        org_ids = split_ids(org_list)
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
            (named_by_students if kind == STUDENT else named_by_guardians).update(split_ids(agents))
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
            if user in no_school and school in schools and status.strip() not in INACTIVE_STATUSES:
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
        for agent in split_ids(row.get("agentSourcedIds", "")):
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

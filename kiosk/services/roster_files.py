"""Reading and checking a OneRoster 1.1/1.2 CSV export (a folder or a zip), before any write.

``validate`` parses every row of every file and keeps only what the write needs to resolve
references (sourcedIds, a role code per user, birth dates); anything wrong is collected as
``file:line: what is wrong`` (lines as a person sees them: the header is line 1, quoted fields
may span lines) and the import is refused as a whole with ``RosterRejected``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk.errors import ValidationError, message
from kiosk.services.roster_csv import (
    ADDRESS_COLUMNS,
    Limits,
    Problems,
    RosterSource,
    TooManyProblems,
    clean_address,
    picked_rows,
    rows,
    split_ids,
)

__all__ = [
    "ADDRESS_COLUMNS",
    "Limits",
    "Problems",
    "RosterSource",
    "clean_address",
    "picked_rows",
    "rows",
    "split_ids",
]

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
#: Problems shown in the refusal's message (all of them stay in ``problems``).
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
# Role codes kept per user in the first pass (small ints, not strings).
STUDENT, GUARDIAN, OTHER = 1, 2, 3


class RosterRejected(ValidationError):
    """The files have problems; nothing was imported. ``problems`` lists them all (or, when
    ``stopped``, the first ones: the check stopped at the limit)."""

    def __init__(self, problems: list[str], *, stopped: bool = False) -> None:
        shown = problems[:MAX_PROBLEMS]
        more = len(problems) - len(shown)
        super().__init__(
            "roster_stopped" if stopped else "roster_rejected",
            count=len(problems),
            problems=shown,
            more=message("roster_more", n=more) if more > 0 else "",
        )
        self.problems = list(problems)
        self.stopped = stopped


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


def _read_manifest(source: RosterSource, problems: Problems) -> set[str]:
    delta: set[str] = set()
    if not source.has("manifest.csv"):
        return delta
    for line, row in rows(source, "manifest.csv", problems, REQUIRED["manifest.csv"]):
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


def validate(
    source: RosterSource, progress: Callable[[int], None] | None = None, *,
    max_problems: int | None = None,
) -> Plan:  # fmt: skip
    """Parse and check every file; raise ``RosterRejected`` listing all problems (at most
    ``max_problems``, default ``source.limits.problems``: then it says it stopped)."""
    problems = Problems(max_problems or source.limits.problems)
    for required in ("orgs.csv", "users.csv"):
        if not source.has(required):
            problems.append(f"{required}: the file is missing from the roster export")
    if problems:
        raise RosterRejected(problems)
    check = _Check(source, problems, progress)
    try:
        check.run()
    except TooManyProblems:
        raise RosterRejected(problems, stopped=True) from None
    if problems:
        raise RosterRejected(problems)
    return check.plan


@dataclass
class _Check:
    """The first pass over the files, one method per file, in the order references need."""

    source: RosterSource
    problems: Problems
    progress: Callable[[int], None] | None
    orgs: set[str] = field(default_factory=set)
    schools: dict[str, tuple[str, str, bool]] = field(default_factory=dict)
    role_rows: dict[str, tuple[str, str]] = field(default_factory=dict)
    roles: dict[str, int] = field(default_factory=dict)
    no_school: dict[str, int] = field(default_factory=dict)  # student -> line, until enrolled
    student_school: dict[str, str] = field(default_factory=dict)
    birth_dates: dict[str, str] = field(default_factory=dict)
    delta: set[str] = field(default_factory=set)
    user_rows: int = 0

    @property
    def plan(self) -> Plan:
        return Plan(self.schools, self.roles, self.student_school, self.role_rows,
                    self.birth_dates, self.delta, self.user_rows)  # fmt: skip

    def run(self) -> None:
        self.delta = _read_manifest(self.source, self.problems)
        self.orgs_file()
        if self.source.has("roles.csv"):
            self.roles_file()
        self.users_file()
        if self.problems.broken & {"orgs.csv", "users.csv"}:
            raise RosterRejected(self.problems)  # every reference check would fail the same way
        if self.source.has("enrollments.csv"):
            self.enrollments_file()
        for sid, line in self.no_school.items():
            self.problems.add(
                "users.csv", line, f"student {sid!r} has no school (orgSourcedIds or an enrollment)"
            )
        if self.source.has("demographics.csv"):
            self.demographics_file()
        for extra in ("courses.csv", "academicSessions.csv"):
            if self.source.has(extra):
                for _line, _row in rows(self.source, extra, self.problems, REQUIRED[extra]):
                    pass

    def add(self, name: str, line: int, message: str) -> None:
        self.problems.add(name, line, message)

    def orgs_file(self) -> None:
        codes: dict[str, int] = {}
        parents: list[tuple[int, str]] = []
        for line, row in rows(self.source, "orgs.csv", self.problems, REQUIRED["orgs.csv"]):
            sid, kind, name = (row[c].strip() for c in ("sourcedId", "type", "name"))
            if not sid:
                self.add("orgs.csv", line, "sourcedId is empty")
                continue
            if sid in self.orgs:
                self.add("orgs.csv", line, f"duplicate sourcedId {sid!r}")
                continue
            self.orgs.add(sid)
            if row.get("parentSourcedId", "").strip():
                parents.append((line, row["parentSourcedId"].strip()))
            if not _status_ok(row.get("status", "")):
                self.add("orgs.csv", line, f"unknown status {row['status']!r}")
            if not kind:
                self.add("orgs.csv", line, "type is empty")
            if kind != "school":
                if not name:
                    self.add("orgs.csv", line, "name is empty")
                continue
            if not name:
                self.add("orgs.csv", line, "the school has no name")
            code = row.get("identifier", "").strip() or sid
            if code in codes:
                self.add(
                    "orgs.csv",
                    line,
                    f"school identifier {code!r} is also used on line {codes[code]}",
                )
            codes[code] = line
            self.schools[sid] = (code, name, _active(row))
        for line, parent in parents:
            if parent not in self.orgs:
                self.add("orgs.csv", line, f"parentSourcedId {parent!r} is not in orgs.csv")

    def roles_file(self) -> None:
        for line, row in rows(self.source, "roles.csv", self.problems, REQUIRED["roles.csv"]):
            user, role, org = (row[c].strip() for c in ("userSourcedId", "role", "orgSourcedId"))
            if role not in KNOWN_ROLES:
                self.add("roles.csv", line, f"unknown role {role!r}")
            if org and org not in self.orgs:
                self.add("roles.csv", line, f"orgSourcedId {org!r} is not in orgs.csv")
            primary = row.get("roleType", "primary").strip() in ("", "primary")
            if user not in self.role_rows or (primary and self.role_rows[user][0] != "student"):
                self.role_rows.setdefault(user, (role, org if org in self.schools else ""))

    def users_file(self) -> None:
        named_by: dict[int, set[str]] = {STUDENT: set(), GUARDIAN: set()}  # agentSourcedIds
        header: list[str] = []
        users = picked_rows(
            self.source, "users.csv", self.problems,
            ("sourcedId", "status", "role", "givenName", "familyName", "orgSourcedIds",
             "primaryOrgSourcedId", "agentSourcedIds"),
            header, required=REQUIRED["users.csv"],
        )  # fmt: skip
        for line, picked, _values in users:
            self.user_rows += 1
            if self.progress and self.user_rows % 1000 == 0:
                self.progress(1000)
            if self.user_rows == 1 and "role" not in header and not self.role_rows:
                self.add("users.csv", 1, "missing required column: role (or give a roles.csv)")
                break
            kind = self.user(line, picked)
            if kind in named_by and picked[7]:
                named_by[kind].update(split_ids(picked[7]))
        if self.progress:
            self.progress(self.user_rows % 1000)
        if self.problems.broken & {"orgs.csv", "users.csv"}:
            return
        # Agent references are checked as sets (most point forward in the file); only when one
        # is wrong is users.csv read again to say on which lines.
        roles = self.roles
        suspicious = {a for a in named_by[STUDENT] if roles.get(a, 0) in (0, STUDENT)}
        suspicious |= {a for a in named_by[GUARDIAN] if roles.get(a, 0) in (0, GUARDIAN)}
        if suspicious:
            _locate_bad_agents(self.source, roles, suspicious, self.problems)

    def user(self, line: int, picked: tuple[str, ...]) -> int | None:
        """Check one users.csv row; returns its role code (None when it cannot be used)."""
        sid, status, role, given, family, org_list, primary, _agents = picked
        sid = sid.strip()
        if not sid:
            self.add("users.csv", line, "sourcedId is empty")
            return None
        if sid in self.roles:
            self.add("users.csv", line, f"duplicate sourcedId {sid!r}")
            return None
        if status and status not in _STATUSES and status.strip() not in _STATUSES:
            self.add("users.csv", line, f"unknown status {status!r}")
        role = role.strip() or self.role_rows.get(sid, ("", ""))[0]
        if role not in KNOWN_ROLES:
            self.add("users.csv", line, f"unknown role {role!r}" if role else "role is empty")
            self.roles[sid] = OTHER
            return None
        kind = STUDENT if role == "student" else GUARDIAN if role in GUARDIAN_ROLES else OTHER
        self.roles[sid] = kind
        if kind == OTHER:
            return kind
        for column, value in (("givenName", given), ("familyName", family)):
            if not value.strip():  # required by OneRoster 1.1 and shown on every screen
                self.add("users.csv", line, f"{column} is empty")
        has_school = False
        for org in split_ids(org_list):
            if org in self.schools:
                has_school = True
            elif org not in self.orgs:
                self.add("users.csv", line, f"orgSourcedIds names {org!r}, not in orgs.csv")
        if (
            kind == STUDENT
            and not has_school
            and primary.strip() not in self.schools
            and not self.role_rows.get(sid, ("", ""))[1]
        ):
            self.no_school[sid] = line
        return kind

    def classes(self) -> set[str] | None:
        if not self.source.has("classes.csv"):
            return None
        class_ids: set[str] = set()
        for line, row in rows(self.source, "classes.csv", self.problems, REQUIRED["classes.csv"]):
            school = row["schoolSourcedId"].strip()
            if school and school not in self.orgs:
                self.add("classes.csv", line, f"schoolSourcedId {school!r} is not in orgs.csv")
            class_ids.add(row["sourcedId"].strip())
        return class_ids

    def enrollments_file(self) -> None:
        class_ids = self.classes()
        seen: set[str] = set()
        enrollments = picked_rows(
            self.source, "enrollments.csv", self.problems,
            ("sourcedId", "userSourcedId", "schoolSourcedId", "classSourcedId", "status"),
            required=REQUIRED["enrollments.csv"],
        )  # fmt: skip
        name = "enrollments.csv"
        for line, (sid, user, school, klass, status), _values in enrollments:
            sid, user, school, klass = sid.strip(), user.strip(), school.strip(), klass.strip()
            for column, value in (("sourcedId", sid), ("userSourcedId", user),
                                  ("schoolSourcedId", school)):  # fmt: skip
                if not value:
                    self.add(name, line, f"{column} is empty")
            if sid in seen and sid:
                self.add(name, line, f"duplicate sourcedId {sid!r}")
            seen.add(sid)
            if user and user not in self.roles:
                self.add(name, line, f"userSourcedId {user!r} is not in users.csv")
            if school and school not in self.orgs:
                self.add(name, line, f"schoolSourcedId {school!r} is not in orgs.csv")
            if class_ids is not None and klass and klass not in class_ids:
                self.add(name, line, f"classSourcedId {klass!r} is not in classes.csv")
            if (
                user in self.no_school
                and school in self.schools
                and status.strip() not in INACTIVE_STATUSES
            ):
                self.student_school[user] = school
                del self.no_school[user]

    def demographics_file(self) -> None:
        name = "demographics.csv"
        demographics = picked_rows(
            self.source, name, self.problems, ("sourcedId", "birthDate"), required=REQUIRED[name]
        )
        for line, (sid, raw), _values in demographics:
            sid = sid.strip()
            if sid not in self.roles:
                self.add(name, line, f"sourcedId {sid!r} is not in users.csv")
                continue
            if sid in self.birth_dates:
                self.add(name, line, f"duplicate sourcedId {sid!r}")
                continue
            raw = raw.strip()
            if not raw:
                continue
            born = _date(raw)
            if born is None:
                self.add(name, line, f"birthDate {raw!r} is not a date (YYYY-MM-DD)")
            elif self.roles[sid] != OTHER:
                self.birth_dates[sid] = born


def _locate_bad_agents(
    source: RosterSource, roles: dict[str, int], suspicious: set[str], problems: Problems
) -> None:
    seen: set[str] = set()
    for line, row in rows(source, "users.csv", Problems(), check=False):
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

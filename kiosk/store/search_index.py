"""A prefix index of words for search-as-you-type over a whole district.

Every student and guardian contributes its name words, and its student number, phone digits or
email, as rows of ``search_term``. A typed word then becomes one index range scan
(``GLOB 'gar*'`` on SQLite's binary index, ``LIKE 'gar%'`` on PostgreSQL's ``text_pattern_ops``
index) instead of a scan of every name, on both databases alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

import peewee as pw

from kiosk.store.bulk import BATCH, BulkInsert
from kiosk.store.models import Guardian, SearchTerm, Student

STUDENT = "s"
GUARDIAN = "g"
_WORD = re.compile(r"[^\W_]+")


def words(text: str | None) -> list[str]:
    """Folded, accent-free words: 'José O'Neil' -> ['jose', 'o', 'neil']."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text or "").casefold())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _WORD.findall(plain)


def query_tokens(text: str) -> list[str]:
    """What a search box holds, as tokens: a phone or number typed with dashes is one token."""
    stripped = (text or "").strip()
    if stripped and re.fullmatch(r"[\d\s().+-]+", stripped):
        return [re.sub(r"\D", "", stripped)]
    if "@" in stripped:
        return [stripped.casefold()]
    return words(stripped)


def student_terms(given: str, family: str, number: str) -> set[str]:
    terms = set(words(f"{given} {family}"))
    if number:
        terms.add(number.casefold())
    return terms


def guardian_terms(given: str, family: str, phone_digits: str, email: str) -> set[str]:
    terms = set(words(f"{given} {family}"))
    if phone_digits:
        terms.update({phone_digits, phone_digits[-7:], phone_digits[-4:]})
    if email:
        terms.add(email.strip().casefold())
    return terms


def rows_for(kind: str, ref: int, terms: Iterable[str]) -> Iterator[dict[str, object]]:
    for term in terms:
        if term:
            yield {"term": term[:100], "kind": kind, "ref": ref}


def index_student(student: Student) -> None:
    reindex(
        STUDENT,
        student.id,
        student_terms(student.given_name, student.family_name, student.student_number),
    )


def index_guardian(guardian: Guardian) -> None:
    reindex(
        GUARDIAN,
        guardian.id,
        guardian_terms(
            guardian.given_name, guardian.family_name, guardian.phone_digits, guardian.email
        ),
    )


def reindex(kind: str, ref: int, terms: Iterable[str]) -> None:
    SearchTerm.delete().where(SearchTerm.kind == kind, SearchTerm.ref == ref).execute()
    rows = list(rows_for(kind, ref, terms))
    if rows:
        SearchTerm.insert_many(rows).execute()


def rebuild(db: pw.Database) -> int:
    """Rebuild the whole index (after a schema upgrade); returns the number of terms.

    Rows go in through ``BulkInsert`` (a prepared ``executemany`` on SQLite, ``COPY`` on
    PostgreSQL) rather than peewee's ``insert_many``, which builds SQL text for every value.
    """
    SearchTerm.delete().execute()
    writer = TermWriter(db)
    students = Student.select(
        Student.id, Student.given_name, Student.family_name, Student.student_number
    )
    for ref, given, family, number in students.tuples().iterator():
        writer.student(ref, given, family, number)
    guardians = Guardian.select(
        Guardian.id,
        Guardian.given_name,
        Guardian.family_name,
        Guardian.phone_digits,
        Guardian.email,
    )
    for ref, given, family, phone, email in guardians.tuples().iterator():
        writer.guardian(ref, given, family, phone, email)
    return writer.finish()


class TermWriter:
    """Writes the terms of new and changed people in bulk (an import's pass over the roster).

    ``was`` is what a stored person's term fields held before: the person's terms are replaced
    only if their words changed, so a re-import of an unchanged roster writes no term at all
    (it used to delete and rewrite the whole index: 11 million rows at a million students).
    The old terms of a replaced person are deleted before any of the new rows are written.
    """

    def __init__(self, db: pw.Database) -> None:
        self.db = db
        self.rows = BulkInsert(db, SearchTerm, [SearchTerm.term, SearchTerm.kind, SearchTerm.ref])
        self.stale: dict[str, list[int]] = {STUDENT: [], GUARDIAN: []}

    def student(
        self, ref: int, given: str, family: str, number: str, *, was: tuple | None = None
    ) -> None:
        terms = student_terms(given, family, number)
        if was is None or terms != student_terms(*was):
            self._add(STUDENT, ref, terms, replace=was is not None)

    def guardian(
        self,
        ref: int,
        given: str,
        family: str,
        phone_digits: str,
        email: str,
        *,
        was: tuple | None = None,
    ) -> None:
        terms = guardian_terms(given, family, phone_digits, email)
        if was is None or terms != guardian_terms(*was):
            self._add(GUARDIAN, ref, terms, replace=was is not None)

    def _add(self, kind: str, ref: int, terms: set[str], *, replace: bool) -> None:
        if replace:
            self.stale[kind].append(ref)
        for term in terms:
            if term:
                self.rows.pending.append((term[:100], kind, ref))
        if len(self.rows.pending) >= self.rows.batch:
            self._flush()

    def _flush(self) -> None:
        for kind, refs in self.stale.items():
            for start in range(0, len(refs), BATCH):
                SearchTerm.delete().where(
                    SearchTerm.kind == kind, SearchTerm.ref.in_(refs[start : start + BATCH])
                ).execute()
            refs.clear()
        self.rows.flush()

    def finish(self) -> int:
        """Write what is pending; returns the number of terms written."""
        self._flush()
        return self.rows.count


def prefix(db: pw.Database, field: pw.Field, token: str) -> pw.Expression:
    """``field`` starts with ``token``, in the form each database can answer from its index."""
    if isinstance(db, pw.SqliteDatabase):
        safe = re.sub(r"([*?\[\]])", r"[\1]", token)
        return pw.Expression(field, "GLOB", f"{safe}*")
    safe = token.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return pw.Expression(field, "LIKE", f"{safe}%")


def create_indexes(db: pw.Database) -> None:
    table = SearchTerm._meta.table_name
    if isinstance(db, pw.SqliteDatabase):
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{table}_prefix" ON "{table}" (kind, term)')
    else:
        db.execute_sql(
            f'CREATE INDEX IF NOT EXISTS "{table}_prefix" ON "{table}" '
            "(kind, term text_pattern_ops)"
        )
    db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{table}_ref" ON "{table}" (kind, ref, term)')


def matching_refs(
    db: pw.Database, kind: str, tokens: list[str], *, limit: int, scope: pw.Expression | None = None
) -> list[int]:
    """Refs whose terms start with every token, the longest token driving the index scan."""
    if not tokens:
        return []
    ordered = sorted(set(tokens), key=len, reverse=True)[:4]
    first, rest = ordered[0], ordered[1:]
    query = SearchTerm.select(SearchTerm.ref).where(
        SearchTerm.kind == kind, prefix(db, SearchTerm.term, first)
    )
    for token in rest:
        other = SearchTerm.alias()
        query = query.where(
            pw.fn.EXISTS(
                other.select(pw.SQL("1")).where(
                    other.kind == kind, other.ref == SearchTerm.ref, prefix(db, other.term, token)
                )
            )
        )
    if scope is not None:
        query = query.where(scope)
    if isinstance(db, pw.SqliteDatabase):  # the index's order, as in _order
        query = query.order_by(SearchTerm.term, SearchTerm.id)
    else:
        query = query.order_by(pw.NodeList((SearchTerm.term, pw.SQL("USING ~<~"))))
    refs: list[int] = []
    for row in query.limit(limit * 4).tuples().iterator():
        if row[0] not in refs:
            refs.append(row[0])
            if len(refs) >= limit:
                break
    return refs


# -- the search-as-you-type path -------------------------------------------------------------
#
# Search runs on every pause in typing, over a whole district, so its SQL is written once per
# shape (kind, number of tokens, school scope, database) and cached, and rows come back as
# tuples: peewee's query building and model objects cost ten times SQLite's own work here.


def _pattern(db: pw.Database, token: str) -> str:
    if isinstance(db, pw.SqliteDatabase):
        return re.sub(r"([*?\[\]])", r"[\1]", token) + "*"
    return token.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


_SQL_CACHE: dict[tuple, str] = {}


def _order(db: pw.Database) -> str:
    """The order the prefix index is kept in, so the scan stops after LIMIT rows instead of
    sorting every match of a short prefix (thousands at district size).

    SQLite's (kind, term) index entries end with the row id: ``term, id``. PostgreSQL's
    ``text_pattern_ops`` index is in byte order, which a plain ``ORDER BY term`` (the
    database's collation) is not: that sorted every match, 290 ms for "g" over 100,000
    students; ``USING ~<~`` is the index's own order (0.4 ms).
    """
    if isinstance(db, pw.SqliteDatabase):
        return "ORDER BY t.term, t.id"
    return "ORDER BY t.term USING ~<~"


#: What a search returns per person (the hit's columns), by kind.
_COLUMNS = {
    STUDENT: "p.id, p.sourced_id, p.given_name, p.family_name, p.student_number, p.grade, c.name "
    "FROM search_term t JOIN student p ON p.id = t.ref JOIN school c ON c.id = p.school_id",
    GUARDIAN: "p.id, p.sourced_id, p.given_name, p.family_name, p.phone "
    "FROM search_term t JOIN guardian p ON p.id = t.ref",
}


def _find_sql(db: pw.Database, kind: str, extra_tokens: int, schools: int | None) -> str:
    sqlite = isinstance(db, pw.SqliteDatabase)
    key = (sqlite, db.param, kind, extra_tokens, schools)
    sql = _SQL_CACHE.get(key)
    if sql is not None:
        return sql
    p, op = db.param, "GLOB" if sqlite else "LIKE"
    where = [f"t.kind = {p}", f"t.term {op} {p}"]
    for _ in range(extra_tokens):
        where.append(
            f"EXISTS (SELECT 1 FROM search_term o WHERE o.kind = {p} AND o.ref = t.ref "  # noqa: S608
            f"AND o.term {op} {p})"
        )
    marks = ", ".join([p] * (schools or 0))
    if kind == STUDENT:
        where.append("p.active")
        if schools is not None:
            where.append(f"p.school_id IN ({marks})")
    elif schools is None:
        where.append("p.active")
    else:
        where.append(
            "EXISTS (SELECT 1 FROM relationship r JOIN student s ON s.id = r.student_id "  # noqa: S608
            f"WHERE r.guardian_id = p.id AND s.school_id IN ({marks}))"
        )
    sql = f"SELECT {_COLUMNS[kind]} WHERE " + " AND ".join(where) + f" {_order(db)} LIMIT {p}"
    _SQL_CACHE[key] = sql
    return sql


def find(
    db: pw.Database,
    kind: str,
    tokens: list[str],
    *,
    limit: int,
    school_ids: frozenset[int] | None = None,
) -> list[tuple]:
    """Active people of ``kind`` whose words start with every token (at most ``limit``), as
    rows: students (id, sourcedId, given, family, number, grade, school name), guardians (id,
    sourcedId, given, family, phone).

    ``school_ids`` limits students to those schools and guardians to those with a student
    there; ``None`` means the whole district (active guardians only).
    """
    if not tokens:
        return []
    ordered = sorted(set(tokens), key=len, reverse=True)[:4]
    schools = sorted(school_ids or [-1]) if school_ids is not None else None
    sql = _find_sql(db, kind, len(ordered) - 1, None if schools is None else len(schools))
    params: list[object] = [kind, _pattern(db, ordered[0])]
    for token in ordered[1:]:
        params += [kind, _pattern(db, token)]
    params += schools or []
    # A person matched by two of their words comes back twice; a little slack covers that,
    # and the rare query that needs more asks again.
    for fetch in (limit + 5, limit * 8):
        rows = db.execute_sql(sql, [*params, fetch]).fetchall()
        found: dict[int, tuple] = {}
        for row in rows:
            found.setdefault(row[0], row)
        if len(found) >= limit or len(rows) < fetch:
            break
    return list(found.values())[:limit]


def _in(db: pw.Database, count: int) -> str:
    return ", ".join([db.param] * count)


def guardian_students(db: pw.Database, ids: list[int]) -> list[tuple]:
    """(guardian id, student given name, school name) of every link of these guardians."""
    if not ids:
        return []
    sql = (
        "SELECT r.guardian_id, s.given_name, c.name FROM relationship r "  # noqa: S608
        "JOIN student s ON s.id = r.student_id JOIN school c ON c.id = s.school_id "
        f"WHERE r.guardian_id IN ({_in(db, len(ids))}) ORDER BY r.id"
    )
    return db.execute_sql(sql, ids).fetchall()

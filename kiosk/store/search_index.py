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
    """Rebuild the whole index (after a bulk change); returns the number of terms.

    Rows go in through one prepared ``executemany`` statement per batch rather than peewee's
    ``insert_many`` (which builds SQL text for every value and cost 20x more than SQLite's own
    work on a district of 100,000 students). Values stay parameters.
    """
    SearchTerm.delete().execute()
    table = SearchTerm._meta.table_name
    sql = f'INSERT INTO "{table}" (term, kind, ref) VALUES ({db.param}, {db.param}, {db.param})'  # noqa: S608
    cursor = db.cursor()
    batch: list[tuple[str, str, int]] = []
    count = 0
    students = Student.select(
        Student.id, Student.given_name, Student.family_name, Student.student_number
    )
    for ref, given, family, number in students.tuples().iterator():
        batch.extend((t[:100], STUDENT, ref) for t in student_terms(given, family, number) if t)
        if len(batch) >= 5000:
            cursor.executemany(sql, batch)
            count += len(batch)
            batch.clear()
    guardians = Guardian.select(
        Guardian.id,
        Guardian.given_name,
        Guardian.family_name,
        Guardian.phone_digits,
        Guardian.email,
    )
    for ref, given, family, phone, email in guardians.tuples().iterator():
        batch.extend(
            (t[:100], GUARDIAN, ref) for t in guardian_terms(given, family, phone, email) if t
        )
        if len(batch) >= 5000:
            cursor.executemany(sql, batch)
            count += len(batch)
            batch.clear()
    if batch:
        cursor.executemany(sql, batch)
        count += len(batch)
    return count


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
    query = (
        SearchTerm.select(SearchTerm.ref)
        .where(SearchTerm.kind == kind, prefix(db, SearchTerm.term, first))
        .order_by(SearchTerm.term, SearchTerm.ref)
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
    refs: list[int] = []
    for row in query.limit(limit * 4).tuples().iterator():
        if row[0] not in refs:
            refs.append(row[0])
            if len(refs) >= limit:
                break
    return refs

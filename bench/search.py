"""Search as you type over a district: the service call against a hand-written query.

Queries are the first 1..6 characters of real names, student numbers and phone numbers taken
from the database itself, as a front desk would type them. The baseline answers the same
lookup with one indexed query per kind (prefix range on the word index, names joined in) on a
plain DB-API connection (``sqlite3``, or psycopg on PostgreSQL: ``GLOB 'x*'`` becomes
``LIKE 'x%'``, which PostgreSQL answers from the ``text_pattern_ops`` index), with no ORM, no
access checks and no formatting.
"""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass

from bench.workspace import Workspace
from kiosk.auth import SYSTEM
from kiosk.context import Context
from kiosk.services.people import search
from kiosk.store import search_index
from kiosk.store.models import Guardian, Student


@dataclass(frozen=True)
class SearchResult:
    queries: int
    service_p50_ms: float
    service_p95_ms: float
    baseline_p50_ms: float
    baseline_p95_ms: float

    @property
    def p95_ratio(self) -> float:
        return self.service_p95_ms / max(self.baseline_p95_ms, 1e-6)


def sample_words(ctx: Context, count: int = 30, seed: int = 7) -> list[str]:
    """Family names, given names, student numbers and phone numbers from the district."""
    rng = random.Random(seed)
    with ctx.store.read():
        students = list(
            Student.select(Student.given_name, Student.family_name, Student.student_number)
            .where(Student.sourced_id.startswith("s-"))
            .order_by(Student.id)
            .limit(5000)
        )
        guardians = list(
            Guardian.select(Guardian.family_name, Guardian.phone)
            .where(Guardian.sourced_id.startswith("g-"))
            .order_by(Guardian.id)
            .limit(5000)
        )
    words = []
    for _ in range(count):
        kind = rng.randrange(4)
        if kind == 0:
            words.append(rng.choice(students).family_name)
        elif kind == 1:
            words.append(rng.choice(students).given_name)
        elif kind == 2:
            words.append(rng.choice(students).student_number)
        else:
            words.append(rng.choice(guardians).phone)
    return words


def prefixes(words: list[str]) -> list[str]:
    """What the box holds after each of the first 1..6 keystrokes of each word."""
    return [word[:n] for word in words for n in range(1, min(6, len(word)) + 1)]


_STUDENTS = (
    "SELECT s.sourced_id, s.given_name, s.family_name, c.name, s.student_number, s.grade "
    "FROM search_term t JOIN student s ON s.id = t.ref JOIN school c ON c.id = s.school_id "
    "WHERE t.kind = 's' AND t.term GLOB ? AND s.active ORDER BY t.term LIMIT ?"
)
_GUARDIANS = (
    "SELECT g.id, g.sourced_id, g.given_name, g.family_name, g.phone FROM search_term t "
    "JOIN guardian g ON g.id = t.ref WHERE t.kind = 'g' AND t.term GLOB ? AND g.active "
    "ORDER BY t.term LIMIT ?"
)
_KIDS = (
    "SELECT r.guardian_id, s.given_name, c.name FROM relationship r "
    "JOIN student s ON s.id = r.student_id JOIN school c ON c.id = s.school_id "
    "WHERE r.guardian_id IN ({})"
)


def _dialect(sql: str, postgres: bool) -> str:
    """PostgreSQL's form: LIKE, its placeholder, and the order its prefix index is kept in."""
    if not postgres:
        return sql
    return (
        sql.replace("GLOB", "LIKE").replace("?", "%s").replace("BY t.term", "BY t.term USING ~<~")
    )


def by_hand(raw, token: str, limit: int, postgres: bool = False) -> list[tuple]:  # type: ignore[no-untyped-def]
    """The same look-up by hand: students and guardians whose word starts with ``token``, with
    what the results show (school, number, grade; phone and the guardian's students)."""
    pattern = f"{token}%" if postgres else f"{token}*"
    students = raw.execute(_dialect(_STUDENTS, postgres), (pattern, limit)).fetchall()
    guardians = raw.execute(_dialect(_GUARDIANS, postgres), (pattern, limit)).fetchall()
    kids: dict[int, list[tuple[str, str]]] = {}
    if guardians:
        ids = [g[0] for g in guardians]
        sql = _dialect(_KIDS.format(",".join("?" * len(ids))), postgres)
        for gid, given, school in raw.execute(sql, ids):
            kids.setdefault(gid, []).append((given, school))
    return students + [(*g, tuple(kids.get(g[0], ()))) for g in guardians]


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def measure(ws: Workspace, ctx: Context, queries: list[str], limit: int = 25) -> SearchResult:
    raw = ws.raw()
    if ws.postgres:
        raw.autocommit = True  # as the kiosk reads: no transaction left open between queries
    postgres = ws.postgres
    service, hand = [], []
    for typed in queries:  # warm both once
        search(ctx, SYSTEM, typed, limit=limit)
        by_hand(raw, typed.casefold(), limit, postgres)
    for typed in queries:
        tokens = search_index.query_tokens(typed)
        started = time.perf_counter()
        search(ctx, SYSTEM, typed, limit=limit)
        service.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        if tokens:
            by_hand(raw, max(tokens, key=len), limit, postgres)
        hand.append((time.perf_counter() - started) * 1000)
    raw.close()
    s50, s95 = percentiles(service)
    b50, b95 = percentiles(hand)
    return SearchResult(len(queries), s50, s95, b50, b95)

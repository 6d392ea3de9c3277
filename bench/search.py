"""Search as you type over a district: the service call against a hand-written sqlite3 query.

Queries are the first 1..6 characters of real names, student numbers and phone numbers taken
from the database itself, as a front desk would type them. The baseline answers the same
lookup with one indexed ``sqlite3`` query per kind (prefix range on the word index, names
joined in), with no ORM, no access checks and no formatting.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import time
from dataclasses import dataclass

from kiosk.context import SYSTEM, Context
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


def sample_queries(ctx: Context, count: int = 30, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    with ctx.store.read():
        students = list(
            Student.select(Student.given_name, Student.family_name, Student.student_number)
            .order_by(Student.id)
            .limit(5000)
        )
        guardians = list(
            Guardian.select(Guardian.family_name, Guardian.phone).order_by(Guardian.id).limit(5000)
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
    typed = []
    for word in words:
        for n in range(1, min(6, len(word)) + 1):
            typed.append(word[:n])
    return typed


_BASELINE = {
    "s": "SELECT s.given_name, s.family_name FROM search_term t JOIN student s ON s.id = t.ref "
    "WHERE t.kind = 's' AND t.term GLOB ? ORDER BY t.term LIMIT ?",
    "g": "SELECT g.given_name, g.family_name FROM search_term t JOIN guardian g ON g.id = t.ref "
    "WHERE t.kind = 'g' AND t.term GLOB ? ORDER BY t.term LIMIT ?",
}


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def measure(ctx: Context, db_path: str, queries: list[str], limit: int = 25) -> SearchResult:
    raw = sqlite3.connect(db_path)
    service, baseline = [], []
    for typed in queries:  # warm both once
        search(ctx, SYSTEM, typed, limit=limit)
    for typed in queries:
        tokens = search_index.query_tokens(typed)
        started = time.perf_counter()
        search(ctx, SYSTEM, typed, limit=limit)
        service.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        if tokens:
            for sql in _BASELINE.values():
                raw.execute(sql, (f"{max(tokens, key=len)}*", limit)).fetchall()
        baseline.append((time.perf_counter() - started) * 1000)
    raw.close()
    s50, s95 = _percentiles(service)
    b50, b95 = _percentiles(baseline)
    return SearchResult(len(queries), s50, s95, b50, b95)

"""Exactly once: 8 kiosk processes redeem the same key at the same moment, 20 times over.

Each process has its own connection (as separate kiosks do). A barrier releases them together
right before the redeem call. On SQLite the IMMEDIATE write lock serialises them; on PostgreSQL
the conditional UPDATE does. Either way: one account, no unexpected exceptions, and every loser
is told the key was already used.
"""

from __future__ import annotations

import multiprocessing as mp
import uuid

import pytest

from kiosk.auth import SYSTEM
from kiosk.services import activation
from kiosk.store.models import Guardian, PortalAccount, Relationship, Student
from kiosk.text import fold

PROCESSES = 8
ROUNDS = 20
PASSWORD = "maple syrup on pancakes"

_worker_ctx = None


def _init(config_dir: str, url: str, connect: dict, barrier) -> None:
    global _worker_ctx, _barrier
    from pathlib import Path

    from tests.conftest import build_context, make_config

    config = make_config(Path(config_dir))
    _worker_ctx = build_context(config, url, **connect)
    _barrier = barrier


def _redeem(args: tuple[str, str]) -> str:
    key, username = args
    _barrier.wait(timeout=60)
    try:
        activation.redeem_key(_worker_ctx, key, username, PASSWORD, PASSWORD)
        return "ok"
    except Exception as exc:  # the test asserts on what came back
        return f"{type(exc).__name__}:{getattr(exc, 'code', '')}:{exc}"


def _race(ctx, tmp_path, url: str, connect: dict) -> None:
    student = Student.get(Student.sourced_id == "S-2001")
    guardians = []
    with ctx.store.write():
        for n in range(ROUNDS):
            g = Guardian.create(
                sourced_id=f"RACE-{n}",
                given_name="Racer",
                family_name=f"N{n}",
                search_name=fold(f"racer n{n}"),
            )
            Relationship.create(guardian=g, student=student)
            guardians.append(g.sourced_id)
    mp_ctx = mp.get_context("spawn")
    barrier = mp_ctx.Manager().Barrier(PROCESSES)
    config_dir = tmp_path / "worker"
    config_dir.mkdir()
    with mp_ctx.Pool(
        PROCESSES, initializer=_init, initargs=(str(config_dir), url, connect, barrier)
    ) as pool:
        for n, guardian_id in enumerate(guardians):
            key = activation.issue_key(ctx, SYSTEM, guardian_id).key
            tag = uuid.uuid4().hex[:6]
            results = pool.map(
                _redeem, [(key, f"r{n}x{i}{tag}") for i in range(PROCESSES)], chunksize=1
            )
            assert results.count("ok") == 1, results
            losers = [r for r in results if r != "ok"]
            assert all(r.startswith("KeyProblem:used:") for r in losers), losers
            count = (
                PortalAccount.select()
                .join(Guardian)
                .where(Guardian.sourced_id == guardian_id)
                .count()
            )
            assert count == 1


@pytest.mark.slow
def test_eight_processes_redeem_one_key_exactly_once(any_ctx, tmp_path):
    if any_ctx.store.is_sqlite:
        _race(any_ctx, tmp_path, any_ctx.store.url, {})
    else:
        schema = any_ctx.store.db.connect_params["options"]
        _race(any_ctx, tmp_path, any_ctx.store.url, {"options": schema})

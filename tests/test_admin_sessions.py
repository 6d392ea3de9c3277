"""Several admin sessions at once on one SQLite file: nothing lost, nothing corrupted.

Four real ``kiosk`` processes run at the same moment, as four SSH sessions would: two add staff
users, one imports a roster, one adds an admin and reads reports, the audit log and duplicates
while the others write. Afterwards every change is there, the database passes SQLite's integrity
check and the audit chain verifies.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from kiosk import audit
from kiosk.store.models import AuditEvent, StaffUser, Student
from tests.test_cli_admin import cli_config

STAFF_PER_SESSION = 4


def _kiosk(config, *args: str, stdin: str | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--config", str(config), *args],
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _script(config, commands: list[tuple[list[str], str | None]]) -> list[tuple[int, str]]:
    results = []
    for args, stdin in commands:
        proc = _kiosk(config, *args, stdin=stdin)
        out, err = proc.communicate(stdin, timeout=120)
        results.append((proc.returncode, out + err))
    return results


@pytest.mark.slow
def test_four_admin_sessions_at_once_lose_nothing(ctx, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from bench.generate import generate

    config = cli_config(ctx, tmp_path)
    generate(tmp_path / "roster", 300, seed=5)
    sessions = [
        [(["staff", "add", f"a{n}desk", "--role", "front_desk", "--school", "ES",
           "--password-stdin"], "a long staff passphrase\n") for n in range(STAFF_PER_SESSION)],
        [(["staff", "add", f"b{n}desk", "--role", "registrar", "--school", "MS",
           "--password-stdin"], "another long passphrase\n") for n in range(STAFF_PER_SESSION)],
        [(["import", "oneroster", str(tmp_path / "roster"), "--json"], None)],
        [(["staff", "add", "c0admin", "--role", "district_admin", "--password-stdin"],
          "a third long passphrase\n"),
         (["report", "no-account", "--json"], None),
         (["audit", "export", "--format", "jsonl"], None),
         (["households", "duplicates", "--json"], None)],
    ]  # fmt: skip
    with ThreadPoolExecutor(len(sessions)) as pool:
        outcomes = list(pool.map(lambda cmds: _script(config, cmds), sessions))
    for session in outcomes:
        for code, output in session:
            assert code == 0, output
    with ctx.store.read():
        names = {s.username for s in StaffUser.select()}
        for prefix in "ab":
            assert {f"{prefix}{n}desk" for n in range(STAFF_PER_SESSION)} <= names
        assert "c0admin" in names
        assert Student.select().count() >= 300
        assert AuditEvent.select().where(AuditEvent.action == "roster.import").count() == 1
    assert ctx.store.db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert audit.verify(ctx).ok

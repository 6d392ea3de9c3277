"""The ``kiosk`` command's start-up: nothing heavy on the way to Welcome, and garbage collection
paused only until the first screen is painted (or, for any other command, not at all)."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import launch
from kiosk.app import make_app
from kiosk.context import Context, make_context
from tests.test_cli_admin import invoke


@pytest.fixture
def paused():
    """Start as the ``kiosk`` console script does; afterwards, leave collection as it was."""
    launch.pause_collection()
    assert not gc.isenabled()
    yield
    launch.resume_collection()
    gc.enable()
    gc.unfreeze()


def test_the_kiosk_command_paints_welcome_and_exits_cleanly(ctx: Context, tmp_path: Path):
    """The real command, start to first screen, under the benchmark's stand-in terminal: it
    draws Welcome (with the district's name) and exits 0 when asked, with nothing on stderr."""
    from bench.startup import ROOT, paint_env
    from tests.test_cli_admin import cli_config

    env = paint_env()
    config = cli_config(ctx, tmp_path)
    out = subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", str(config)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert '"ready_at"' in out.stdout and out.stderr == ""


async def test_once_welcome_is_painted_the_app_opens_its_database_and_collects(
    ctx: Context, paused
) -> None:
    """Both wait for the first screen: the database (kiosk.context.DeferredStore) and the
    garbage collector the ``kiosk`` command paused."""
    deferred = make_context(ctx.config, defer_store=True)
    app = make_app(deferred)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert type(app.screen).__name__ == "WelcomeScreen"
        assert deferred.store.opened and app.database_error is None
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0  # start-up's objects are out of the collector's way
    deferred.close()


def test_every_other_command_runs_with_collection(ctx: Context, tmp_path: Path, paused) -> None:
    result = invoke(ctx, tmp_path, "report", "no-account")
    assert result.exit_code == 0, result.output
    assert gc.isenabled()


def test_pause_and_resume_leave_a_disabled_collector_alone() -> None:
    """A process that turned collection off itself keeps it off."""
    gc.disable()
    try:
        launch.pause_collection()
        launch.resume_collection()
        assert not gc.isenabled()
    finally:
        gc.enable()

"""The largest event-loop stall while the app creates an account and while it imports a roster.

A 10 ms Textual interval timer runs in the app; every tick records how late it came. The
baseline is the same timer in the same app left idle for a second. The measured runs are the
real screens doing the real work: the parent's "Create my account" (argon2 with production
parameters, the redeem transaction, the sign-in) and the admin console's Import of the whole
district (into a copy of the database before the import).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from bench.workspace import Workspace

TICK = 0.010


@dataclass(frozen=True)
class StallResult:
    idle_ms: float  # the timer's worst lateness with the app idle
    stall_ms: float  # its worst lateness while the work ran
    work_s: float  # how long the work took
    ticks: int


class Ticker:
    """Lateness of a 10 ms interval timer, in milliseconds."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        self.app = app
        self.late: list[float] = []
        self._last = 0.0
        self._timer = None

    def start(self) -> None:
        self.late.clear()
        self._last = time.perf_counter()
        self._timer = self.app.set_interval(TICK, self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.late.append(max(0.0, (now - self._last - TICK) * 1000))
        self._last = now

    def stop(self) -> float:
        self._tick()  # a stall that lasted until the end counts too
        if self._timer is not None:
            self._timer.stop()
        return max(self.late, default=0.0)


async def _watch(pilot, ticker: Ticker, start: Callable[[], Awaitable[None]], done, limit: float):  # type: ignore[no-untyped-def]
    ticker.start()
    await asyncio.sleep(1.0)
    idle = ticker.stop()
    ticker.start()
    started = time.perf_counter()
    await start()
    while not done() and time.perf_counter() - started < limit:
        await asyncio.sleep(0.005)
    work = time.perf_counter() - started
    stall = ticker.stop()
    if not done():
        raise RuntimeError("the work did not finish in time")
    return StallResult(idle, stall, work, len(ticker.late))


async def _account(ws: Workspace) -> StallResult:
    from peewee import fn

    from kiosk.app import make_app
    from kiosk.auth import SYSTEM
    from kiosk.screens.parent_activate import ParentActivateScreen
    from kiosk.services.activation import issue_key
    from kiosk.store.models import Guardian, PortalAccount

    ctx = ws.context()
    try:
        with ctx.store.read():
            has_account = PortalAccount.select(PortalAccount.id).where(
                PortalAccount.guardian == Guardian.id
            )
            guardian = (
                Guardian.select()
                .where(
                    Guardian.sourced_id.startswith("g-"),
                    Guardian.active,
                    ~fn.EXISTS(has_account),
                )
                .order_by(Guardian.id.desc())
                .first()
            )
        issued = issue_key(ctx, SYSTEM, guardian.sourced_id)
        app = make_app(ctx)
        async with app.run_test(size=(100, 30)) as pilot:
            await app.push_screen(ParentActivateScreen(key=issued.key))
            await pilot.pause()
            screen = app.screen
            screen.query_one("#username").value = f"bench{guardian.id}"
            for field in ("#new-password", "#new-password-again"):
                screen.query_one(field).value = "copper kettle on a windy hill"
            await pilot.pause()
            await asyncio.sleep(0.3)  # the live checks (key, username) have answered

            async def create() -> None:
                await pilot.click("#create")

            return await _watch(
                pilot, Ticker(app), create, lambda: app.screen is not screen, limit=60
            )
    finally:
        ctx.close()


async def _import(ws: Workspace, scratch: Path) -> StallResult:
    from kiosk.app import make_app
    from kiosk.services.staff import staff_actor
    from kiosk.store.models import StaffUser

    work = ws.fresh(scratch / "stall")
    ctx = work.context()
    try:
        app = make_app(ctx)
        with ctx.store.read():
            admin = staff_actor(StaffUser.get(StaffUser.username == "admin"))
        # The app imports in a child process, which finds the schema as this one did.
        with work.active():
            return await _run_import(app, admin, ws.roster)
    finally:
        ctx.close()
        work.discard()


async def _run_import(app, admin, roster: Path) -> StallResult:  # type: ignore[no-untyped-def]
    from kiosk.screens.admin_confirm import ConfirmWithPasswordModal
    from kiosk.screens.admin_import import AdminImportScreen

    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()  # Welcome is up (it forgets any staff member)
        app.staff = admin  # as after the staff sign-in
        await app.push_screen(AdminImportScreen())
        await pilot.pause()
        screen = app.screen
        screen.query_one("#roster-path").value = str(roster)
        await pilot.pause()
        status = screen.query_one("#status")

        async def start() -> None:
            await pilot.click("#import")  # checks first (in a child process), then asks
            while not (
                isinstance(app.screen, ConfirmWithPasswordModal)
                and getattr(app.focused, "id", "") == "password"
            ):  # the dialog is up and its password field has the keyboard
                if app.screen is screen and not screen.query_one("#import").disabled:
                    return  # the check refused the roster: nothing to confirm
                await asyncio.sleep(0.005)
            await pilot.press(*"district-admin-demo-pass", "enter")

        def done() -> bool:
            text = str(status.render())
            return text.startswith("Imported") or text.endswith("Nothing was changed.")

        outcome = await _watch(pilot, Ticker(app), start, done, limit=1800)
        if not str(status.render()).startswith("Imported"):
            raise RuntimeError(f"the import from the app failed: {status.render()}")
        return outcome


def measure_account(ws: Workspace) -> StallResult:
    return asyncio.run(_account(ws))


def measure_import(ws: Workspace, scratch: Path) -> StallResult:
    return asyncio.run(_import(ws, scratch))

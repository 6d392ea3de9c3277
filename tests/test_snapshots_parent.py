"""How the parent screens look at 80x24 and 120x40 (pytest-textual-snapshot).

Update after an intended change with ``pytest tests/test_snapshots_parent.py --snapshot-update``
and look at the report before committing.
"""

from __future__ import annotations

import pytest

from kiosk.demo import PARENT_PASSWORD
from kiosk.screens.linked_students import LinkedStudentsScreen
from kiosk.screens.parent_activate import ParentActivateScreen
from kiosk.screens.parent_pictures import ParentPicturesScreen
from kiosk.services.accounts import sign_in
from tests.test_parent_harness import ParentHarness, settle

SIZES = [(80, 24), (120, 40)]


def still(app) -> None:
    """No blinking cursor in a snapshot."""
    for field in app.screen.query("Input"):
        field.cursor_blink = False


@pytest.mark.parametrize("size", SIZES)
def test_welcome(snap_compare, ctx, size):
    async def before(pilot):
        await settle(pilot, pilot.app)

    assert snap_compare(ParentHarness(ctx), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_activate(snap_compare, ctx, size):
    async def before(pilot):
        still(pilot.app)
        await pilot.press(*"1F3A9C0D")
        await pilot.press("tab", *"mgarcia", "tab", *"short")
        await settle(pilot, pilot.app)
        still(pilot.app)

    app = ParentHarness(ctx, ParentActivateScreen)
    assert snap_compare(app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_pictures(snap_compare, ctx, size):
    async def before(pilot):
        await settle(pilot, pilot.app)
        await pilot.press("space", "right", "right", "space", "down", "space")
        await settle(pilot, pilot.app)

    app = ParentHarness(
        ctx,
        lambda: ParentPicturesScreen(setup=False),
        session=sign_in(ctx, "alopez", PARENT_PASSWORD),
        pushed=True,
    )
    assert snap_compare(app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_linked_students(snap_compare, ctx, size):
    async def before(pilot):
        await settle(pilot, pilot.app)

    app = ParentHarness(ctx, lambda: LinkedStudentsScreen(guardian_id="G-1001"), pushed=True)
    assert snap_compare(app, terminal_size=size, run_before=before)

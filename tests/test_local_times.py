"""Times shown to staff and parents are in the district's time zone (``[district] time_zone``)
and carry their date: the look-up's lock and last sign-in, the key's expiry."""

from __future__ import annotations

import pytest

from kiosk.app import make_app
from kiosk.clock import local_date, local_text
from kiosk.screens.issue_key import IssueKeyScreen
from kiosk.services.activation import issue_key
from kiosk.store.models import PortalAccount
from tests.conftest import staff_actor
from tests.staff_helpers import screen_text, settled, sign_in_as
from tests.test_staff_screens import lookup

ZONE = "America/Chicago"


@pytest.fixture
def chicago_ctx(ctx_with):
    return ctx_with(district={"time_zone": ZONE})


def test_local_text_has_the_date_and_the_zone():
    assert local_text("2026-01-15T05:08:00+00:00", ZONE) == "2026-01-14 23:08 CST"
    assert local_text("2026-07-15T05:08:00+00:00", ZONE) == "2026-07-15 00:08 CDT"
    assert local_date("2026-01-15T05:08:00+00:00", ZONE) == "2026-01-14"


async def test_account_lookup_says_until_when_in_local_time_with_the_date(chicago_ctx):
    with chicago_ctx.store.read():
        account = PortalAccount.get(PortalAccount.username == "ppatel")
    assert account.locked_until
    app = make_app(chicago_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in_as(pilot, "hsdesk")
        await lookup(pilot, "ppatel")
        text = " ".join(screen_text(app).split())
        assert f"until {local_text(account.locked_until, ZONE)}" in text
        assert "UTC" not in text


async def test_the_key_screen_shows_the_expiry_in_local_time(chicago_ctx):
    with chicago_ctx.store.read():
        desk = staff_actor(chicago_ctx, "desk")
    issued = issue_key(chicago_ctx, desk, "G-1001")
    app = make_app(chicago_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in_as(pilot)
        app.push_screen(IssueKeyScreen(issued))
        await settled(pilot)
        assert f"Expires {local_text(issued.expires_at, ZONE)}" in screen_text(app)

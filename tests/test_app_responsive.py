"""The UI keeps painting while argon2 runs: an account is created with the production
``PasswordHasher()`` in a worker, and a 10 ms timer on the UI thread never waits long."""

from __future__ import annotations

import itertools
import time

from kiosk.app import make_app
from kiosk.passwords import Hasher
from kiosk.services.activation import issue_key, redeem_key
from tests.staff_helpers import sign_in_as, wait_for

MAX_GAP_SECONDS = 0.100


async def test_creating_an_account_never_stalls_the_event_loop(ctx, desk):
    ctx.hasher = Hasher()  # argon2-cffi defaults, as in production
    issued = issue_key(ctx, desk, "G-1001")
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in_as(pilot)
        ticks: list[float] = []
        timer = app.set_interval(0.01, lambda: ticks.append(time.perf_counter()))
        await pilot.pause(0.05)
        done: list[object] = []
        start = len(ticks)
        app.screen.run_service(
            lambda: redeem_key(
                ctx, issued.key, "mgarcia", "blue-river-stone-lamp", "blue-river-stone-lamp"
            ),
            done.append,
            done.append,
        )
        await wait_for(pilot, lambda: bool(done), tries=400)
        await pilot.pause(0.03)
        timer.stop()
        assert done[0].username == "mgarcia", done[0]
        window = ticks[start:]
        assert len(window) >= 5
        gaps = [b - a for a, b in itertools.pairwise(window)]
        assert max(gaps) < MAX_GAP_SECONDS, f"largest gap {max(gaps) * 1000:.0f} ms"

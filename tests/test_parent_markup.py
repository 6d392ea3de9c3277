"""Names, emails and usernames on parent screens are shown literally, never parsed as markup.

A student named ``[@click=app.quit]x[/]`` must appear exactly like that, and clicking it must do
nothing. Hypothesis tries markup-looking text on the linked students list, the Welcome screen's
district name and the settings screen's username and email.
"""

from __future__ import annotations

import asyncio
import dataclasses

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kiosk.config import DistrictConfig
from kiosk.demo import PARENT_PASSWORD
from kiosk.screens.linked_students import LinkedStudentsScreen
from kiosk.screens.parent_settings import ParentSettingsScreen
from kiosk.services.accounts import sign_in
from kiosk.store.models import PortalAccount, Student
from kiosk.text import display
from tests.test_parent_harness import ParentHarness, settle

MARKUP = st.sampled_from(
    [
        "[@click=app.quit]x[/]",
        "[bold]Liam[/bold]",
        "[/]",
        "[red",
        "[link=https://example.org]here[/link]",
        "$accent [b]",
        "\\[escaped]",
    ]
)
TEXT = st.one_of(
    MARKUP,
    st.text(alphabet=st.sampled_from("[]/@=:.$\\abcxyz ÁñØ"), min_size=1, max_size=24).filter(
        lambda s: s.strip()
    ),
)
SETTINGS = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def rendered(app, selector: str) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(selector))


@SETTINGS
@given(name=TEXT)
@example(name="[@click=app.quit]x[/]")
def test_student_names_show_literally_and_clicking_does_nothing(ctx, name):
    with ctx.store.write():
        Student.update(given_name=name).where(Student.sourced_id == "S-2001").execute()

    async def run() -> None:
        app = ParentHarness(ctx, lambda: LinkedStudentsScreen(guardian_id="G-1001"), pushed=True)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot, app)
            row = next(
                w for w in app.screen.query(".student") if "Garcia: Lincoln" in str(w.render())
            )
            assert str(row.render()).startswith(display(f"{name} Garcia: Lincoln Elementary"))
            await pilot.click(row)
            await settle(pilot, app)
            assert app.is_running and app.return_code is None
            assert isinstance(app.screen, LinkedStudentsScreen)

    asyncio.run(run())


@SETTINGS
@given(name=TEXT)
def test_district_name_on_welcome_is_literal(ctx, name):
    ctx.config = dataclasses.replace(ctx.config, district=DistrictConfig(name=name))

    async def run() -> None:
        app = ParentHarness(ctx)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            assert rendered(app, "#district") == display(name)
            await pilot.click("#district")
            await settle(pilot, app)
            assert app.is_running and app.return_code is None

    asyncio.run(run())


@SETTINGS
@given(username=TEXT, email=TEXT)
def test_settings_username_and_email_are_literal(ctx, username, email):
    session = sign_in(ctx, "alopez", PARENT_PASSWORD)
    with ctx.store.write():
        PortalAccount.update(username=username, recovery_email=email).where(
            PortalAccount.id == session.account_id
        ).execute()

    async def run() -> None:
        app = ParentHarness(ctx, ParentSettingsScreen, session=session, pushed=True)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            assert rendered(app, "#settings-username") == display(username)
            assert rendered(app, "#settings-email") == display(email)
            await pilot.click("#settings-username")
            await settle(pilot, app)
            assert app.is_running and app.return_code is None

    asyncio.run(run())

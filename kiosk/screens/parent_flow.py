"""Where a signed-in parent goes next: required set-up first, then their home screen.

The order is fixed by ``Session.requires``: a temporary password must be replaced before
anything else; then the recovery email, then the pictures. Skipping is the service's decision
(``may_skip``); this module only routes.

The password the parent has just typed (to create the account or sign in) is carried, in memory
only, to the one next screen that would otherwise ask for it again: the temporary password to
"Choose a new password", the new password to the recovery email's check. That screen drops it
once used; it is never shown, stored or logged.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from kiosk.services.accounts import CHANGE_PASSWORD, PICTURES, RECOVERY_EMAIL, Session

if TYPE_CHECKING:
    from kiosk.screens.base import KioskScreen


CARRIES_PASSWORD = frozenset({"parent_password", "parent_email"})


def _next(session: Session) -> tuple[str, str, dict[str, bool]]:
    """The module, class and options of the screen a parent with ``session`` must see now."""
    if CHANGE_PASSWORD in session.requires or session.restricted:
        return "parent_password", "ParentPasswordScreen", {"required": True}
    if RECOVERY_EMAIL in session.requires:
        return "parent_email", "ParentEmailScreen", {"setup": True}
    if PICTURES in session.requires:
        return "parent_pictures", "ParentPicturesScreen", {"setup": True}
    return "parent_home", "ParentHomeScreen", {}


def next_screen(session: Session, password: str = ""):
    """The screen a parent with ``session`` must see now (given the password just typed, when
    that screen would ask for it)."""
    module, name, options = _next(session)
    extra = {"password": password} if password and module in CARRIES_PASSWORD else {}
    return getattr(importlib.import_module(f"kiosk.screens.{module}"), name)(**options, **extra)


def preload_next(session: Session) -> None:
    """Import the module of the screen ``next_screen`` will build, from a worker thread.

    Importing it on the UI thread at the moment the account is created (or the parent signs
    in) froze the screen for tens of milliseconds while Python read and ran the module.
    """
    importlib.import_module(f"kiosk.screens.{_next(session)[0]}")


def continue_with(screen: KioskScreen, session: Session, password: str = "") -> None:
    """Record the fresh session on the shell and replace ``screen`` with the next one, handing
    it ``password`` when the parent typed it a moment ago on ``screen``."""
    screen.shell.session = session
    screen.app.switch_screen(next_screen(session, password))

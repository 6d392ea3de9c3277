"""Where a signed-in parent goes next: required set-up first, then their home screen.

The order is fixed by ``Session.requires``: a temporary password must be replaced before
anything else; then the recovery email, then the pictures. Skipping is the service's decision
(``may_skip``); this module only routes.
"""

from __future__ import annotations

from textual.app import App

from kiosk.services.accounts import CHANGE_PASSWORD, PICTURES, RECOVERY_EMAIL, Session


def next_screen(session: Session):
    """The screen a parent with ``session`` must see now."""
    if CHANGE_PASSWORD in session.requires or session.restricted:
        from kiosk.screens.parent_password import ParentPasswordScreen

        return ParentPasswordScreen(required=True)
    if RECOVERY_EMAIL in session.requires:
        from kiosk.screens.parent_email import ParentEmailScreen

        return ParentEmailScreen(setup=True)
    if PICTURES in session.requires:
        from kiosk.screens.parent_pictures import ParentPicturesScreen

        return ParentPicturesScreen(setup=True)
    from kiosk.screens.parent_home import ParentHomeScreen

    return ParentHomeScreen()


def preload_next(session: Session) -> None:
    """Import the module of the screen ``next_screen`` will build, from a worker thread.

    Importing it on the UI thread at the moment the account is created (or the parent signs
    in) froze the screen for tens of milliseconds while Python read and ran the module.
    """
    import importlib

    if CHANGE_PASSWORD in session.requires or session.restricted:
        name = "parent_password"
    elif RECOVERY_EMAIL in session.requires:
        name = "parent_email"
    elif PICTURES in session.requires:
        name = "parent_pictures"
    else:
        name = "parent_home"
    importlib.import_module(f"kiosk.screens.{name}")


def continue_with(app: App, session: Session) -> None:
    """Record the fresh session on the app and replace the current screen with the next one."""
    app.session = session  # type: ignore[attr-defined]
    app.switch_screen(next_screen(session))

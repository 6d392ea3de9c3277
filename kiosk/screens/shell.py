"""The navigation contract between the screens and whatever hosts them.

Screens never import the app: they reach it through ``Shell``, which ``kiosk.app.FrontDeskApp``
implements and so does the parent screens' test harness (``tests/test_parent_harness.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kiosk.auth import Actor
    from kiosk.context import Context
    from kiosk.services.accounts import Session


class Shell(Protocol):
    """What a screen may read and ask of the app that shows it."""

    #: The service context every screen's calls go through.
    ctx: Context
    #: The signed-in staff member, if any; None once they left or timed out.
    staff: Actor | None
    #: The signed-in parent, if any.
    session: Session | None
    #: True once a staff member confirmed "Exit kiosk" (staff screens must not reset then).
    exiting: bool
    #: The admin console (``kiosk admin``): staff sign-in is the start, the tools are home.
    admin: bool
    #: A kiosk: no key quits; False in the admin console run outside kiosk mode.
    kiosk_mode: bool

    def go_welcome(self) -> None:
        """Forget staff and parent, drop every screen, show a new Welcome."""

    def go_staff_sign_in(self) -> None:
        """Show the staff sign-in over the current screen."""

    def go_staff_home(self) -> None:
        """The signed-in staff member's home with nothing else stacked."""

    def go_admin_tools(self) -> None:
        """The district-data tools over the staff home."""

    def hand_off(self, key: str | None, guardian_name: str) -> None:
        """Give the keyboard to the parent: staff screens are dropped."""

    def request_staff_return(self) -> None:
        """Ask for the staff password, then go back to the staff home."""

    def request_exit(self) -> None:
        """Ask for the staff password, then exit the kiosk."""

    def show_linked_students(self, guardian_id: str, *, staff_view: bool) -> None:
        """Push the linked-students screen for ``guardian_id``."""

    def start_over(self) -> None:
        """A screen's own code failed: say so plainly and go back to a new Welcome."""

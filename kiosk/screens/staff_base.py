"""What staff screens and dialogs share: their stylesheet and the staff sign-in guard.

Apart from ``kiosk.screens.base`` so that Welcome, the first screen of every start, does not
define the staff classes it never uses.
"""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

from kiosk.errors import KioskError
from kiosk.screens.base import KioskScreen, ServiceMixin
from kiosk.themes import STAFF_CSS

T = TypeVar("T")

#: How each staff role is named on screen.
ROLE_LABELS = {
    "front_desk": "Front desk",
    "registrar": "Registrar",
    "district_admin": "District admin",
}


class StaffScreen(KioskScreen):
    """Base for staff screens: longer idle timeout, and nobody reaches them without a staff
    sign-in (a parent who somehow lands here is sent back to Welcome)."""

    AUDIENCE = "staff"
    CSS_PATH = STAFF_CSS

    @property
    def staff(self):  # -> Actor
        actor = self.kiosk.staff
        if actor is None:
            raise KioskError("staff_signin_first")
        return actor

    def on_screen_resume(self) -> None:
        if self.kiosk.staff is None and not getattr(self.kiosk, "exiting", False):
            self.kiosk.go_welcome()


class KioskModal(ServiceMixin, ModalScreen[T]):
    """Base for dialogs. ``AUDIENCE`` follows the same rule as full screens."""

    AUDIENCE = "staff"
    CSS_PATH = STAFF_CSS

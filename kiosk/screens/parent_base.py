"""What parent screens share: their stylesheet and plain-text helpers for messages.

Their stylesheets are scoped to ``ParentScreen`` so they never restyle staff screens:
``themes/parent.tcss`` (the page frame, all Welcome needs) loads with the app, and
``themes/parent_forms.tcss`` with the first parent screen after Welcome. Messages from
services (codes) go through ``kiosk.i18n.explain`` and are shown as plain text, never markup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widgets import Button, Input, Static
from textual.worker import Worker

from kiosk.errors import KioskError, Message
from kiosk.i18n import N_, _, explain
from kiosk.screens.base import KioskScreen
from kiosk.themes import PARENT_FORMS_CSS

T = TypeVar("T")
#: An action that has not answered after this long says it is working (in the footer line).
BUSY_AFTER_SECONDS = 0.3


class ParentScreen(KioskScreen):
    """A full screen the parent uses: short idle timeout, no staff data."""

    AUDIENCE = "parent"
    CSS_PATH = PARENT_FORMS_CSS
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "leave", "Leave", show=False)]
    #: The keys that work here, shown in the footer line (translated when shown).
    KEY_HINT = N_("Tab: next  ·  Shift+Tab: back  ·  Enter: choose")
    #: Under 30 rows the forms drop their blank lines (``-short`` in parent_forms.tcss).
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-short"), (30, "-tall")]
    #: This screen's way back: Esc presses the first of these buttons that is on show...
    BACK_BUTTONS: ClassVar[tuple[str, ...]] = ("#cancel",)
    #: ...and the footer line says so (empty: Esc does nothing here, as on Welcome).
    ESC_HINT = N_("Esc: cancel")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._busy_timers: dict[str, Timer] = {}  # per service group: its "Working…" timer

    def compose(self) -> ComposeResult:
        """Every parent screen is its page and then a footer line saying which keys work on it
        (composed with the page, not mounted after it: one layout pass, and it comes back
        translated when Welcome recomposes in another language)."""
        yield from self.compose_page()
        yield Static(self.footer_text(), classes="key-footer", markup=False)

    def footer_text(self) -> str:
        """The keys line: the screen's keys, then what Esc does here."""
        esc = self.esc_hint()
        return f"{_(self.KEY_HINT)}  ·  {_(esc)}" if esc else _(self.KEY_HINT)

    def esc_hint(self) -> str:
        """What Esc does on this screen now (an untranslated msgid; "" for nothing)."""
        return self.ESC_HINT

    def action_leave(self) -> None:
        """Esc: press this screen's way back, as if clicked (its handler wipes secrets)."""
        for selector in self.BACK_BUTTONS:
            for button in self.query(selector).results(Button):
                on_show = all(node.display for node in button.ancestors_with_self)
                if on_show and not button.disabled:
                    button.press()
                    return
        self.leave_otherwise()

    def leave_otherwise(self) -> None:
        """Esc where no back button is on show (a set-up step): nothing, unless a screen
        says otherwise."""

    def sign_out(self) -> None:
        """Leave a set-up step for later: the account stays, the set-up resumes at the next
        sign-in."""
        self.clear_secrets()
        self.shell.session = None
        self.shell.go_welcome()

    def compose_page(self) -> ComposeResult:
        """The screen's own widgets."""
        return iter(())

    def run_service(
        self,
        call: Callable[[], T],
        on_result: Callable[[T], Any],
        on_error: Callable[[KioskError], Any] | None = None,
        *,
        group: str = "service",
    ) -> Worker[None]:
        """As every screen's, plus: past ``BUSY_AFTER_SECONDS`` the footer line says
        "Working…" until the answer arrives, so a slow save is never a silent screen."""
        pending = self._busy_timers
        if group in pending:
            pending[group].stop()  # the newer call in this group replaces (cancels) the older
        pending[group] = self.set_timer(BUSY_AFTER_SECONDS, lambda: self._show_busy(True))

        def finished() -> None:
            timer = pending.pop(group, None)
            if timer is not None:
                timer.stop()
            if not pending:
                self._show_busy(False)

        def result(value: T) -> Any:
            finished()
            return on_result(value)

        def error(problem: KioskError) -> Any:
            finished()
            return self._deliver_error(problem, on_error)

        return super().run_service(call, result, error, group=group)

    def refresh_footer(self) -> None:
        """Say again what Esc does (a screen whose way back changes with its step)."""
        for footer in self.query(".key-footer").results(Static):
            if not footer.has_class("busy"):
                footer.update(self.footer_text())

    def _show_busy(self, busy: bool) -> None:
        for footer in self.query(".key-footer").results(Static):
            footer.update(_("Working…") if busy else self.footer_text())
            footer.set_class(busy, "busy")

    def say(self, selector: str, text: str, *, error: bool = False, plain: bool = False) -> None:
        """Put plain ``text`` in the Static ``selector`` (hidden while empty).

        ``error`` styles it as a refusal; otherwise it is a success note unless ``plain``.
        """
        target = self.query_one(selector, Static)
        target.update(text)
        target.display = bool(text)
        target.set_class(error, "error")
        target.set_class(not error and not plain and bool(text), "note")

    def say_error(self, selector: str, error: KioskError) -> None:
        self.say(selector, explain(error), error=True)

    def say_service(self, selector: str, message: Message) -> None:
        self.say(selector, explain(message))

    def clear_secrets(self) -> None:
        """Empty every masked field: a secret stays on screen only for its moment."""
        for field in self.query(Input):
            if field.password:
                field.value = ""


def message(text: str = "", *, id: str | None = None, classes: str = "") -> Static:
    """A plain-text line for feedback: never parsed as markup; hidden while empty."""
    widget = Static(text, id=id, classes=f"message {classes}".strip(), markup=False)
    widget.display = bool(text)
    return widget

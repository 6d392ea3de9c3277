"""What every screen shares: running a blocking service call off the UI thread.

``run_service`` starts a thread worker (``exclusive`` per screen and group, so a newer search
cancels the older one) and delivers the result or the ``KioskError`` back on the UI thread.
Unexpected exceptions become a plain notice, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from textual.screen import Screen
from textual.worker import Worker, get_current_worker

from kiosk.errors import DatabaseLost, KioskError
from kiosk.i18n import explain
from kiosk.screens.shell import Shell

T = TypeVar("T")


class ServiceMixin:
    """Mixed into screens and modals: ``self.run_service(...)``."""

    @property
    def shell(self) -> Shell:
        """The app that shows this screen, through the navigation contract only."""
        return cast(Shell, self.app)  # type: ignore[attr-defined]

    def run_service(
        self,
        call: Callable[[], T],
        on_result: Callable[[T], Any],
        on_error: Callable[[KioskError], Any] | None = None,
        *,
        group: str = "service",
    ) -> Worker[None]:
        def deliver(worker: Worker[None], handler: Callable[..., Any], *args: Any) -> Any:
            # Checked again on the UI thread: the screen may have been left (Cancel, Back)
            # after the answer was sent and before it is read; a late answer must not act.
            if worker.is_cancelled or self not in self.app.screen_stack:  # type: ignore[attr-defined]
                return None
            return handler(*args)

        def work() -> None:
            worker = get_current_worker()
            try:
                result = call()
            except KioskError as exc:
                if not worker.is_cancelled:
                    self.app.call_from_thread(deliver, worker, self._deliver_error, exc, on_error)
                return
            except Exception:
                self.app.log.error("service call failed")
                if not worker.is_cancelled:
                    self.app.call_from_thread(
                        deliver, worker, self._deliver_error, KioskError("unexpected"), on_error
                    )
                return
            if worker.is_cancelled:
                return
            try:
                self.app.call_from_thread(deliver, worker, on_result, result)
            except Exception:  # a bug in the screen's handler: start over, plainly
                self.app.log.error("result handler failed")
                self.app.call_from_thread(self._crashed)

        return self.run_worker(  # type: ignore[attr-defined]
            work, thread=True, exclusive=True, group=group, exit_on_error=False
        )

    def _crashed(self) -> None:
        self.shell.start_over()

    def _deliver_error(self, error: KioskError, on_error: Callable[[KioskError], Any] | None):
        if isinstance(error, DatabaseLost):  # nothing more can be saved: the kiosk stops
            self.app.stop_for_database(error)  # type: ignore[attr-defined]
        elif on_error is not None:
            on_error(error)
        else:
            self.app.notify(explain(error), severity="error", markup=False)  # type: ignore[attr-defined]


class KioskScreen(ServiceMixin, Screen):
    """Base for every full screen of the app."""

    #: "parent" screens use the short idle timeout and may not reach staff data.
    AUDIENCE = "parent"

"""Runs the kiosk: refuses a terminal that would let ctrl+c stop it, and restarts a kiosk
that crashed, at a fresh Welcome that says so (but not in a tight loop)."""

from __future__ import annotations

import os
import time

from kiosk import app as app_module
from kiosk.context import Context
from kiosk.errors import ConfigError, KioskError

#: Textual's Linux driver leaves ctrl+c/ctrl+z/ctrl+\ as signals (SIGINT, SIGTSTP, SIGQUIT)
#: when this variable is non-empty (textual/drivers/linux_driver.py). A kiosk must never run
#: like that, so the kiosk refuses to start when it is set at all.
SIGNALS_ENV = "TEXTUAL_ALLOW_SIGNALS"


def check_environment(environ: dict[str, str] | os._Environ[str] | None = None) -> None:
    """Refuse to run a kiosk whose terminal would turn ctrl+c/ctrl+z into signals."""
    env = os.environ if environ is None else environ
    if SIGNALS_ENV in env:
        raise ConfigError("signals_env", env=SIGNALS_ENV)


#: A kiosk that crashes is restarted, but at most this often within ``RESTART_WINDOW_SECONDS``.
MAX_RESTARTS = 3
RESTART_WINDOW_SECONDS = 600.0


def run(ctx: Context, *, demo: bool = False, kiosk_mode: bool = True, admin: bool = False) -> None:
    """Run the app; in kiosk mode a crashed app is replaced by a fresh one at Welcome."""
    if kiosk_mode:
        check_environment()
    restarts: list[float] = []
    after_crash = False
    while True:
        app = app_module.make_app(
            ctx, demo=demo, kiosk_mode=kiosk_mode, admin=admin, after_crash=after_crash
        )
        app.run()
        if app.database_error is not None:  # set by stop_for_database
            raise app.database_error
        if not (kiosk_mode and app.crashed):
            break
        now = time.monotonic()
        restarts = [t for t in restarts if now - t < RESTART_WINDOW_SECONDS]
        if len(restarts) >= MAX_RESTARTS:
            break
        restarts.append(now)
        after_crash = True
    if app.crashed:
        raise KioskError("fatal")

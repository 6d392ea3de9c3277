"""A Textual driver that times the first drawing an app sends to its terminal, then quits.

The cold-start figure runs the real ``kiosk`` command (``python -m kiosk``) and the bare app
unchanged; Textual loads this driver for both from ``$TEXTUAL_DRIVER`` instead of the terminal
driver. It behaves like a terminal that is not headless, so the app renders and writes its
first screen in full, as it would on a real terminal. The moment of the first write that
draws something (not control sequences alone) is printed as one JSON line, with the resident
memory then, and the app is asked to exit.
"""

from __future__ import annotations

import json
import re
import sys
import time

from textual.drivers.headless_driver import HeadlessDriver

#: Escape sequences (CSI, OSC, charset selection): a write made only of these draws nothing,
#: like the pointer-shape sequence Textual sends before the first screen.
_CONTROL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: cursor, colours, modes
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: pointer shape, title
    r"|\x1b[()][0-9A-Za-z]"  # character set selection
)


def draws_something(data: str) -> bool:
    return any(not ch.isspace() for ch in _CONTROL.sub("", data))


class PaintTimingDriver(HeadlessDriver):
    _reported = False

    @property
    def is_headless(self) -> bool:
        return False  # so the app renders and writes its screens, as for a terminal

    def write(self, data: str) -> None:
        if self._reported or not draws_something(data):
            return
        self._reported = True
        ready_at = time.monotonic()  # system-wide on Linux: the parent subtracts its spawn
        print(json.dumps({"ready_at": ready_at, "rss_kib": rss_kib()}), file=sys.__stdout__)
        sys.__stdout__.flush()
        self._app.call_later(self._app.exit)

    def flush(self) -> None:
        pass


def rss_kib() -> int:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0

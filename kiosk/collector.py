"""Full garbage collections leave out what lives as long as the kiosk.

CPython's full collection walks every object it tracks: in a kiosk showing a screen, about
88,800, which took 14-22 ms here (29-46 ms in a bigger process); one landing on a screen
change stalled the screen past its 50 ms budget (docs/PERFORMANCE.md, "What the quiet runs
found"). Once the first screen is up, what exists is moved out of the collector's way with
``gc.freeze`` (Python's documented API); what is made later is collected as always. The cost:
what was alive then and dies later in a cycle (the first Welcome's widgets) stays in memory
until the next app in the process, once.
"""

from __future__ import annotations

import gc


def leave_out_what_exists() -> None:
    """Called when the app's first screen is up. What a previous app in this process froze
    (before a restart after a crash, or the previous test) is let go first, so it is
    collected and only one app's start is ever kept out."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()

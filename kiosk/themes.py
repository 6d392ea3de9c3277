"""Where the stylesheets live, in a checkout and in an installed wheel.

The wheel carries ``themes/`` as ``kiosk/themes`` (see pyproject's force-include); an editable
install or a source checkout reads the top-level ``themes/`` folder.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).parent


def themes_dir() -> Path:
    for candidate in (_PACKAGE / "themes", _PACKAGE.parent / "themes"):
        if (candidate / "app.tcss").exists():
            return candidate
    raise FileNotFoundError(
        "The Front Desk stylesheets (themes/app.tcss) are missing; reinstall the package."
    )

"""How every parent screen looks (pytest-textual-snapshot): at 80x24 and 120x40 in the default
theme, and at 80x24 in Spanish, in the high-contrast theme and under NO_COLOR.

The screens and their states come from ``tests.screen_catalog`` (the fit, contrast and focus
tests use the same ones). Update after an intended change with
``pytest tests/test_snapshots_parent.py --snapshot-update`` and look at the pictures first.
"""

from __future__ import annotations

import pytest

from tests.screen_catalog import PARENT_SCREENS, parent_app

#: (language, theme, NO_COLOR, size)
LOOKS = {
    "en-80x24": ("en", "front-desk", False, (80, 24)),
    "en-120x40": ("en", "front-desk", False, (120, 40)),
    "es-80x24": ("es", "front-desk", False, (80, 24)),
    "high-contrast-80x24": ("en", "high-contrast", False, (80, 24)),
    "no-color-80x24": ("en", "front-desk", True, (80, 24)),
}


@pytest.mark.parametrize("look", list(LOOKS))
@pytest.mark.parametrize("name", list(PARENT_SCREENS))
def test_parent_screen(snap_compare, ctx_with, monkeypatch, name, look):
    language, theme, no_color, size = LOOKS[look]
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    app, before = parent_app(ctx_with(ui={"theme": theme}), name, language)
    assert snap_compare(app, terminal_size=size, run_before=before)

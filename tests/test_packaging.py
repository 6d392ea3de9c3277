"""The wheel carries what the app needs at run time: stylesheets and the Spanish catalog."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_ships_the_stylesheets_and_the_catalog(tmp_path):
    builders = pytest.importorskip("hatchling.builders.wheel", reason="needs hatchling")
    builder = builders.WheelBuilder(str(ROOT))
    wheel = next(iter(builder.build(directory=str(tmp_path), versions=["standard"])))
    names = set(zipfile.ZipFile(wheel).namelist())
    for sheet in ("app.tcss", "staff.tcss", "admin.tcss", "parent.tcss", "parent_forms.tcss"):
        assert f"kiosk/themes/{sheet}" in names
    assert "kiosk/locale/es/LC_MESSAGES/kiosk.mo" in names
    assert not any(name.startswith("tests/") for name in names)

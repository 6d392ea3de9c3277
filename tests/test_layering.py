"""The UI-free core stays UI-free: services and store never import Textual."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "kiosk"
UI = {"app.py", "crash.py", "supervise.py", "__main__.py"}


def _core_modules() -> list[Path]:
    return [
        p
        for p in PACKAGE.rglob("*.py")
        if not ({"screens", "widgets"} & set(p.relative_to(PACKAGE).parts))
        and not (p.parent == PACKAGE and p.name in UI)
    ]


def test_no_core_module_imports_textual_or_rich():
    offenders = []
    for path in _core_modules():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(n.split(".")[0] in ("textual", "rich") for n in names):
                offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


def test_importing_every_service_loads_no_textual():
    modules = sorted(
        f"kiosk.services.{p.stem}"
        for p in (PACKAGE / "services").glob("*.py")
        if p.stem != "__init__"
    )
    code = (
        "import importlib, sys\n"
        f"for m in {[*modules, 'kiosk.store', 'kiosk.audit', 'kiosk.demo']!r}:\n"
        "    importlib.import_module(m)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_password_field_is_a_secret_input():
    """Masked fields must never copy to the clipboard: only SecretInput may hold a secret."""
    offenders = []
    for path in (PACKAGE / "screens").glob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", "") == "Input"
                and any(k.arg == "password" for k in node.keywords)
            ):
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []

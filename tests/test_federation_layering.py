"""Federation services stay UI-free: only the route module imports Starlette, only the command
module imports click, and none imports Textual."""

from __future__ import annotations

import ast
from pathlib import Path

FEDERATION = Path(__file__).resolve().parent.parent / "kiosk" / "federation"
ALLOWED = {"routes.py": {"starlette", "kiosk.web"}, "cli.py": {"click", "kiosk.cli"}}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add(node.module or "")
    return names


def test_only_routes_and_cli_touch_the_web_and_the_command_line():
    offenders = []
    for path in sorted(FEDERATION.glob("*.py")):
        allowed = ALLOWED.get(path.name, set())
        for name in _imports(path):
            for ui in ("starlette", "kiosk.web", "click", "kiosk.cli", "textual", "rich"):
                if (name == ui or name.startswith(ui + ".")) and ui not in allowed:
                    offenders.append(f"{path.name}: {name}")
    assert offenders == []
    assert (FEDERATION / "routes.py").exists() and (FEDERATION / "cli.py").exists()

"""The app shell's structure: screens reach the app only through the ``Shell`` contract (no
import circle), nothing in ``kiosk/`` uses Textual's private API, and size limits hold."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from kiosk.app import FrontDeskApp
from kiosk.screens.shell import Shell
from tests.test_parent_harness import ParentHarness

PACKAGE = Path(__file__).resolve().parent.parent / "kiosk"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every kiosk module ``path`` imports anywhere (top level, functions, TYPE_CHECKING)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return {name for name in found if name.split(".")[0] == "kiosk"}


def import_graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: imports_of(path) & modules.keys() for name, path in modules.items()}


def test_no_screen_or_widget_reaches_the_app_module_even_indirectly():
    graph = import_graph()
    offenders = []
    for start in graph:
        if not start.startswith(("kiosk.screens", "kiosk.widgets")):
            continue
        seen, todo = set(), [start]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            todo.extend(graph.get(current, ()))
        if "kiosk.app" in seen:
            offenders.append(start)
    assert offenders == []


def contract() -> dict[str, inspect.Signature | None]:
    members: dict[str, inspect.Signature | None] = dict.fromkeys(Shell.__annotations__)
    for name, value in vars(Shell).items():
        if callable(value) and not name.startswith("_"):
            members[name] = inspect.signature(value)
    return members


def test_the_app_and_the_test_harness_both_implement_the_shell():
    members = contract()
    assert {"go_welcome", "hand_off", "show_linked_students", "start_over"} <= members.keys()
    for host in (FrontDeskApp, ParentHarness):
        for name, signature in members.items():
            if signature is None:  # an attribute: set by the host's __init__
                assert name in inspect.getsource(host.__init__), (host.__name__, name)
                continue
            assert name in vars(host), (host.__name__, name)
            own = inspect.signature(getattr(host, name))
            assert list(own.parameters) == list(signature.parameters), (host.__name__, name)


def textual_private_names() -> set[str]:
    """Underscore names of Textual's App, Screen and widgets (class and instance attributes)."""
    from textual.app import App
    from textual.screen import ModalScreen, Screen
    from textual.widget import Widget
    from textual.widgets import Button, DataTable, Input, Label, Static

    names: set[str] = set()
    objects = [App(), Screen(), Widget(), Button(), Input(), Label(), Static(), DataTable()]
    for obj in [*objects, ModalScreen]:
        names.update(dir(obj))
        names.update(vars(obj) if not isinstance(obj, type) else {})
    return {n for n in names if n.startswith("_") and not n.endswith("__")}


#: The one override of a private Textual method the shell is allowed (see kiosk/app.py).
ALLOWED_OVERRIDE = ("kiosk/app.py", "_handle_exception")


def test_nothing_in_kiosk_uses_textuals_private_api():
    private = textual_private_names()
    offenders = []
    overrides = []
    for path in PACKAGE.rglob("*.py"):
        where = str(path.relative_to(PACKAGE.parent))
        source = path.read_text()
        uses_textual = "from textual" in source or "import textual" in source
        for node in ast.walk(ast.parse(source, filename=str(path))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("textual"):
                if any(part.startswith("_") for part in node.module.split(".")):
                    offenders.append(f"{where}:{node.lineno} from {node.module}")
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("textual") and "._" in alias.name:
                        offenders.append(f"{where}:{node.lineno} import {alias.name}")
            elif isinstance(node, ast.Attribute) and uses_textual and node.attr in private:
                offenders.append(f"{where}:{node.lineno} .{node.attr}")
            elif isinstance(node, ast.ClassDef) and uses_textual:
                overrides += [
                    (where, item.name)
                    for item in node.body
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                    and item.name in private
                ]
    assert overrides.count(ALLOWED_OVERRIDE) <= 1
    assert [o for o in overrides if o != ALLOWED_OVERRIDE] == []
    # the one allowed override calls Textual's own handler (super()._handle_exception)
    offenders = [o for o in offenders if not o.startswith("kiosk/app.py") or "_handle_exc" not in o]
    assert offenders == []
    source = (PACKAGE / "app.py").read_text()
    assert "super()._handle_exception(" in source


MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80


def test_no_module_over_500_lines_and_no_function_over_80():
    too_long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        where = str(path.relative_to(PACKAGE.parent))
        source = path.read_text()
        if len(source.splitlines()) > MAX_MODULE_LINES:
            too_long.append(f"{where}: {len(source.splitlines())} lines")
        for node in ast.walk(ast.parse(source, filename=str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{where}: {node.name}() {length} lines")
    assert too_long == []


def test_the_app_module_is_navigation_and_hardening_only():
    assert len((PACKAGE / "app.py").read_text().splitlines()) < 300


def test_every_button_handler_is_bound_to_its_button_by_id():
    """One dialect: ``@on(Button.Pressed, "#id")``, never one handler that dispatches (and
    sends every button it does not know to some default)."""
    offenders = []
    for path in sorted((PACKAGE / "screens").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.FunctionDef) and node.name == "on_button_pressed":
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


#: Screen modules that are shared foundations, not screens: importing them is fine.
SHARED = {"base", "staff_base", "parent_base", "shell", "parent_flow"}


def test_screens_share_helpers_through_widgets_or_services_not_other_screens():
    """A screen may import another screen's class to show it, nothing else from it."""
    import importlib

    from textual.screen import Screen

    offenders = []
    for path in sorted((PACKAGE / "screens").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not (isinstance(node, ast.ImportFrom) and node.module):
                continue
            if not node.module.startswith("kiosk.screens.") or node.module[14:] in SHARED:
                continue
            module = importlib.import_module(node.module)
            for alias in node.names:
                value = getattr(module, alias.name)
                if not (isinstance(value, type) and issubclass(value, Screen)):
                    offenders.append(f"{path.name}: {alias.name} from {node.module}")
    assert offenders == []


async def test_a_button_the_home_screen_does_not_know_does_nothing(ctx):
    """No handler treats an unknown button as "Exit kiosk" (the old staff home did)."""
    from textual.widgets import Button

    from kiosk.app import make_app
    from kiosk.screens.staff_home import StaffHomeScreen
    from tests.staff_helpers import sign_in_as, wait_for

    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in_as(pilot)
        home = app.screen
        assert isinstance(home, StaffHomeScreen)
        mystery = Button("New feature", id="mystery")
        await home.mount(mystery)
        mystery.press()
        await wait_for(pilot, lambda: True)
        assert app.screen is home and app.is_running and app.staff is not None

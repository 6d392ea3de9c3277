"""A guardian's student as one line for staff: eligible or not, and why not in words staff can
act on (shared by the guardian card and the verify-request form)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from kiosk.i18n import explain
from kiosk.services.desk_problems import Problem
from kiosk.services.people import StudentLink
from kiosk.text import display


def why_not(link: StudentLink) -> str:
    """Why a student cannot be part of a portal request, in words staff can act on."""
    if link.eligible:
        return ""
    if not link.is_guardian:
        return "not recorded as a guardian (registrar)"
    if link.custody_restriction:
        return "custody restriction (registrar)"
    if not link.portal_access:
        return "portal access off (registrar)"
    return "inactive, or not in a school you serve"


def student_line(link: StudentLink) -> Text:
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append("  ✓ " if link.eligible else "  ✗ ", style="bold" if link.eligible else "")
    line.append(display(link.name), style="bold")
    line.append(f"  {display(link.school)}, grade {display(link.grade)}")
    if not link.eligible:
        line.append(f"  {why_not(link)}", style="italic")
    return line


def problems_text(problems: tuple[Problem, ...]) -> Table | Text:
    """The card's "Needs attention" lines: each problem, then its fix or who may fix it, with
    a hanging indent so a long name wraps under its own sentence."""
    if not problems:
        return Text()
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=2, justify="right")
    grid.add_column(ratio=1)
    for problem in problems:
        text = Text(display(explain(problem.text, "en")))
        text.append(f"\n{display(explain(problem.fix, 'en'))}", style="italic")
        grid.add_row(Text("!", style="bold"), text)
    heading = Table.grid()
    heading.add_row(Text("Needs attention:", style="bold"))
    heading.add_row(grid)
    return heading

"""A guardian's student as one line for staff: eligible or not, and why not in words staff can
act on (shared by the guardian card and the verify-request form)."""

from __future__ import annotations

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


def problems_text(problems: tuple[Problem, ...]) -> Text:
    """The card's "Needs attention" lines: each problem, then its fix or who may fix it."""
    text = Text()
    if not problems:
        return text
    text.append("Needs attention:", style="bold")
    for problem in problems:
        text.append("\n  ! ", style="bold")
        text.append(display(explain(problem.text, "en")))
        text.append(f"\n    {display(explain(problem.fix, 'en'))}", style="italic")
    return text

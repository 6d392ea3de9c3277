"""What an import would change, exactly: the real import run in a transaction rolled back.

The roster's own dry run only counts the rows of the files; what a district admin must see
before importing is what happens to the records already stored, above all which would be
*deactivated* (a partial export deactivates everyone it leaves out). Running the real import
and rolling it back answers that with the importer's own rules, not a second copy of them.
While it runs it holds the same write lock as the import itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import peewee as pw

from kiosk.auth import Actor
from kiosk.context import Context
from kiosk.services.access import require_staff
from kiosk.services.roster import ImportSummary, import_roster
from kiosk.store.models import Guardian, Relationship, School, Student

#: Deactivated records listed by name; the count is always complete.
MAX_LISTED = 2000
_CHUNK = 500


@dataclass(frozen=True)
class Deactivation:
    kind: str  # school | student | guardian | link
    sourced_id: str
    name: str


@dataclass(frozen=True)
class ImportPreview:
    path: str
    #: The counts the import would report (added, updated, deactivated, ...).
    summary: ImportSummary
    #: Records active now that the import would deactivate (at most MAX_LISTED).
    deactivated: list[Deactivation]


class _RollBack(Exception):
    def __init__(self, preview: ImportPreview) -> None:
        super().__init__("preview")
        self.preview = preview


def _active() -> dict[str, set[int]]:
    # Listed in this order: who loses portal access (guardians) before their children's links.
    models: dict[str, type[pw.Model]] = {
        "school": School, "guardian": Guardian, "student": Student, "link": Relationship
    }  # fmt: skip
    return {
        kind: {i for (i,) in model.select(model.id).where(model.active).tuples()}
        for kind, model in models.items()
    }


def _named(kind: str, ids: list[int]) -> list[Deactivation]:
    out: list[Deactivation] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        if kind == "school":
            out += [Deactivation(kind, s.sourced_id, s.name)
                    for s in School.select().where(School.id.in_(chunk))]  # fmt: skip
        elif kind in ("student", "guardian"):
            model = Student if kind == "student" else Guardian
            out += [
                Deactivation(kind, p.sourced_id, f"{p.given_name} {p.family_name}".strip())
                for p in model.select().where(model.id.in_(chunk))
            ]
        else:
            links = (
                Relationship.select(Relationship, Guardian, Student)
                .join(Guardian).switch(Relationship).join(Student)
                .where(Relationship.id.in_(chunk))
            )  # fmt: skip
            out += [
                Deactivation(
                    kind,
                    link.sourced_id or "",
                    f"{link.guardian.given_name} {link.guardian.family_name} - "
                    f"{link.student.given_name} {link.student.family_name}",
                )
                for link in links
            ]
    return out


def preview_import(
    ctx: Context,
    actor: Actor,
    path: Path | str,
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportPreview:
    """Everything ``import_roster`` would change, and nothing changed."""
    require_staff(actor, "district_admin")
    try:
        with ctx.store.write():
            before = _active()
            summary = import_roster(ctx, actor, path, progress=progress)
            after = _active()
            listed: list[Deactivation] = []
            for kind, ids in before.items():
                gone = sorted(ids - after[kind])[: MAX_LISTED - len(listed)]
                listed += _named(kind, gone)
            summary.dry_run = True
            raise _RollBack(ImportPreview(str(path), summary, listed))
    except _RollBack as done:
        return done.preview


def preview_import_isolated(ctx: Context, actor: Actor, path: Path | str) -> ImportPreview:
    """``preview_import`` in a child process, for the app: it does a whole import's work."""
    from kiosk.services.isolated import call_isolated

    preview = call_isolated(ctx, "kiosk.services.import_preview:preview_import", actor, str(path))
    return cast(ImportPreview, preview)

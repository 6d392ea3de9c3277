"""A roster import in a child process, for the app (see ``kiosk.services.isolated``)."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from kiosk.auth import Actor
from kiosk.context import Context
from kiosk.services.isolated import call_isolated
from kiosk.services.roster import ImportSummary


def import_roster_isolated(
    ctx: Context, actor: Actor, path: Path | str, *, dry_run: bool = False
) -> ImportSummary:
    """``import_roster`` in a child process, so the screen never shares the import's GIL."""
    summary = call_isolated(
        ctx, "kiosk.services.roster:import_roster", actor, str(path), dry_run=dry_run
    )
    return cast(ImportSummary, summary)

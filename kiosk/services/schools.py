"""Schools named in kiosk.toml become school records (rosters may add more)."""

from __future__ import annotations

from kiosk import audit
from kiosk.auth import SYSTEM
from kiosk.context import Context
from kiosk.store.models import School


def sync_config_schools(ctx: Context) -> int:
    added = 0
    with ctx.store.write():
        for school in ctx.config.schools:
            sourced = school.sourced_id or school.code
            existing = School.get_or_none(
                (School.code == school.code) | (School.sourced_id == sourced)
            )
            if existing is None:
                School.create(sourced_id=sourced, code=school.code, name=school.name)
                added += 1
            elif existing.name != school.name:
                existing.name = school.name
                existing.save()
        if added:
            audit.record(ctx, SYSTEM, "school.sync", detail={"added": added})
    return added

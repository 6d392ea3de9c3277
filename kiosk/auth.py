"""Who is acting: staff roles, the ``Actor`` every service call is made as, and ``SYSTEM``."""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("front_desk", "registrar", "district_admin")


@dataclass(frozen=True)
class Actor:
    """Who is acting: a staff member, a parent's account, or the command line/system."""

    kind: str  # staff | parent | system
    name: str
    role: str = ""
    staff_id: int | None = None
    account_id: int | None = None
    school_ids: frozenset[int] = frozenset()

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.name}"

    @property
    def is_admin(self) -> bool:
        return self.kind == "system" or self.role == "district_admin"


SYSTEM = Actor(kind="system", name="cli", role="district_admin")

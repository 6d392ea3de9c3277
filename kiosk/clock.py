"""UTC time in one place, so tests can move it forward instead of sleeping."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def parse(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


@dataclass
class Clock:
    """Real time plus an offset that tests may advance."""

    offset: dt.timedelta = field(default_factory=dt.timedelta)

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + self.offset

    def now_iso(self) -> str:
        return iso(self.now())

    def advance(self, **kwargs: float) -> None:
        self.offset += dt.timedelta(**kwargs)


def local(moment: dt.datetime, zone: str) -> dt.datetime:
    """A UTC time in the district's zone (``zone``, IANA)."""
    from zoneinfo import ZoneInfo

    if moment.tzinfo is None:  # stored times are UTC; an old naive one is too
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(ZoneInfo(zone))


def local_text(value: str | dt.datetime | None, zone: str) -> str:
    """A stored UTC time as staff read it: the district's zone, with the date ("" for none)."""
    moment = parse(value) if isinstance(value, str) else value
    if moment is None:
        return ""
    return local(moment, zone).strftime("%Y-%m-%d %H:%M %Z")


def local_date(value: str | dt.datetime | None, zone: str) -> str:
    """The calendar day of a stored UTC time in the district's zone ("" for none)."""
    return local_text(value, zone)[:10]


def known_time_zone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone this machine knows (e.g. "America/Chicago")."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True

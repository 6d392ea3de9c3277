"""Reading a OneRoster CSV export safely: bounded in size, lines, fields and problems.

A roster comes from outside (a folder or a zip someone downloaded), so nothing here trusts its
sizes: a zip's entries are summed before anything is read (its declared sizes also cap what
the reader will inflate), lines are read with a length limit instead of whole, every field the
kiosk stores is checked for control and direction characters and for length, and problems stop
being collected at a limit. The limits are ``Limits`` (total size from kiosk.toml's [roster]
section) and are stated in docs/SECURITY.md.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

from kiosk.errors import ValidationError
from kiosk.text import has_unsafe, unsafe_characters

#: Columns whose values the kiosk keeps or acts on, per file: checked for control characters.
STORED_COLUMNS = {
    "users.csv": ("sourcedId", "status", "role", "givenName", "familyName", "middleName",
                  "identifier", "username", "email", "phone", "sms", "grades", "orgSourcedIds",
                  "primaryOrgSourcedId", "agentSourcedIds", "metadata.address", "address"),
    "orgs.csv": ("sourcedId", "status", "name", "type", "identifier", "parentSourcedId"),
    "enrollments.csv": ("sourcedId", "status", "classSourcedId", "schoolSourcedId",
                        "userSourcedId", "role"),
    "demographics.csv": ("sourcedId", "birthDate"),
    "roles.csv": ("sourcedId", "userSourcedId", "role", "roleType", "orgSourcedId"),
    "classes.csv": ("sourcedId", "schoolSourcedId"),
    "manifest.csv": ("propertyName", "value"),
}  # fmt: skip
#: Names: the shorter length limit applies.
NAME_COLUMNS = frozenset(("givenName", "familyName", "middleName", "name"))
#: Addresses may span lines in the export (stored on one line); other line breaks are refused.
ADDRESS_COLUMNS = ("metadata.address", "address")

_NOT_UTF8 = "not valid UTF-8 text; save the file as UTF-8 CSV (Excel: 'CSV UTF-8')"


@dataclass(frozen=True)
class Limits:
    """How much of a roster is read before it is refused."""

    #: All files together, uncompressed ([roster] max_total_mb; a 100,000-student export with
    #: two guardians each and a dozen enrollments per student is about 250 MB).
    total_bytes: int = 4096 * 1024 * 1024
    #: One physical line of a file.
    line_chars: int = 65536
    #: One field (a quoted field may span lines; the csv module stops at 128 KiB regardless).
    field_chars: int = 4096
    #: givenName, familyName, middleName and an org's name.
    name_chars: int = 100
    #: Problems collected before the check stops and says so.
    problems: int = 1000


class TooManyProblems(Exception):
    """Raised by ``Problems.add`` at the limit: the check stops there."""


class Problems(list):
    """``file:line: what`` lines; ``broken`` names files whose header could not be used."""

    def __init__(self, limit: int | None = None) -> None:
        super().__init__()
        self.broken: set[str] = set()
        self.limit = limit
        self.stopped = False

    def add(self, name: str, line: int, message: str) -> None:
        self.append(f"{name}:{line}: {message}")
        if self.limit is not None and len(self) >= self.limit:
            self.stopped = True
            raise TooManyProblems


class RosterSource:
    """A folder or a zip of OneRoster CSV files, opened by file name (case-insensitive)."""

    def __init__(self, path: Path, limits: Limits | None = None) -> None:
        self.path = Path(path)
        self.limits = limits or Limits()
        self._zip: zipfile.ZipFile | None = None
        self._names: dict[str, str] = {}
        if not self.path.exists():
            raise ValidationError("roster_missing_path", path=self.path)
        if self.path.is_dir():
            entries = [
                (c.name, str(c), c.stat().st_size) for c in self.path.iterdir() if c.is_file()
            ]
        elif zipfile.is_zipfile(self.path):
            self._zip = zipfile.ZipFile(self.path)
            infos = [i for i in self._zip.infolist() if not i.is_dir()]
            entries = [(i.filename.rsplit("/", 1)[-1], i.filename, i.file_size) for i in infos]
        else:
            raise ValidationError("roster_path_kind", path=self.path)
        self._add_entries(entries)

    def _add_entries(self, entries: list[tuple[str, str, int]]) -> None:
        total = 0
        for base, real, size in entries:
            total += size
            key = base.lower()
            if key in self._names and key.endswith(".csv"):
                self.close()
                raise ValidationError(
                    "roster_twice", path=self.path, file=base, first=self._names[key], second=real
                )
            self._names[key] = real
        if total > self.limits.total_bytes:
            self.close()
            raise ValidationError(
                "roster_too_big",
                path=self.path,
                mb=total // 2**20,
                limit=self.limits.total_bytes // 2**20,
            )

    def has(self, name: str) -> bool:
        return name.lower() in self._names

    def _raw(self, name: str) -> io.BufferedIOBase:
        real = self._names[name.lower()]
        # A zip member yields at most its declared size, which the total above has capped.
        return self._zip.open(real) if self._zip is not None else open(real, "rb")

    @contextmanager
    def open(self, name: str) -> Iterator[io.TextIOBase]:
        handle = io.TextIOWrapper(self._raw(name), encoding="utf-8-sig", newline="")
        try:
            yield handle
        finally:
            handle.close()

    def bad_utf8_line(self, name: str) -> int:
        """The line (as a text editor counts them) holding the first byte that is not UTF-8."""
        with self._raw(name) as raw:
            number = 1
            while line := raw.readline(self.limits.line_chars * 4):
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError:
                    return number
                number += line.endswith(b"\n")
        return 1

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


class _LineTooLong(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def _bounded_lines(handle: io.TextIOBase, limit: int) -> Iterator[str]:
    """The file's lines, each read with a length limit (a file with no line breaks would
    otherwise be read into memory whole)."""
    number = 0
    while line := handle.readline(limit + 1):
        number += 1
        if len(line) > limit:
            raise _LineTooLong(number)
        yield line


class _RowCheck:
    """Control characters and lengths of one file's rows, against ``STORED_COLUMNS``."""

    def __init__(self, name: str, header: list[str], limits: Limits, problems: Problems) -> None:
        self.name, self.header, self.limits, self.problems = name, header, limits, problems
        stored = [i for i, c in enumerate(header) if c in STORED_COLUMNS.get(name, ())]
        self.stored = itemgetter(*stored) if len(stored) > 1 else None
        self.stored_index = stored
        self.shortest = min(limits.field_chars, limits.name_chars)

    def __call__(self, line: int, values: list[str]) -> None:
        if self.stored_index:
            picked = self.stored(values) if self.stored else (values[self.stored_index[0]],)
            if has_unsafe("".join(picked)):
                self._characters(line, values)
        if values and max(map(len, values)) > self.shortest:
            self._lengths(line, values)

    def _characters(self, line: int, values: list[str]) -> None:
        for i in self.stored_index:
            column, value = self.header[i], values[i]
            if column in ADDRESS_COLUMNS:
                value = value.replace("\r", " ").replace("\n", " ")
            bad = unsafe_characters(value)
            if bad:
                self.problems.add(
                    self.name,
                    line,
                    f"{column} contains control or direction characters ({', '.join(bad)})",
                )

    def _lengths(self, line: int, values: list[str]) -> None:
        for column, value in zip(self.header, values, strict=False):
            most = self.limits.name_chars if column in NAME_COLUMNS else self.limits.field_chars
            if len(value) > most:
                self.problems.add(
                    self.name, line, f"{column} is longer than {most} characters; shorten it"
                )


def _header(
    reader: Iterator[list[str]], name: str, required: tuple[str, ...], problems: Problems
) -> list[str] | None:
    try:
        header = next(reader, None)
    except csv.Error as exc:
        problems.add(name, 1, f"unreadable header ({exc}); fix the first line")
        return None
    if not header:
        problems.add(name, 1, "the file is empty; it needs a header row")
        return None
    header = [h.strip() for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        problems.add(name, 1, f"missing required column(s): {', '.join(missing)}")
        return None
    return header


def rows(
    source: RosterSource,
    name: str,
    problems: Problems,
    required: tuple[str, ...] = (),
    *,
    raw: bool = False,
    check: bool = True,
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line where the record starts, row) for each record; header, encoding, line and field
    lengths and control characters checked (``check``; the write pass reads checked files).

    Line numbers count the header as line 1 and follow quoted fields across lines.
    """
    with source.open(name) as handle:
        reader = csv.reader(_bounded_lines(handle, source.limits.line_chars), strict=True)
        last = 1
        try:
            header = _header(reader, name, required, problems)
            if header is None:
                problems.broken.add(name)
                return
            width, last = len(header), reader.line_num
            checked = _RowCheck(name, header, source.limits, problems) if check else None
            if raw:
                yield 1, header  # type: ignore[misc]
            for values in reader:
                start, last = last + 1, reader.line_num
                if len(values) != width:
                    if not values:
                        continue
                    if len(values) < width:
                        values += [""] * (width - len(values))
                    elif raw:
                        del values[width:]
                if checked is not None:
                    checked(start, values)
                yield start, (values if raw else dict(zip(header, values, strict=False)))
        except csv.Error as exc:
            problems.add(name, last + 1, f"not valid CSV ({exc})")
            problems.broken.add(name)
        except UnicodeDecodeError:
            problems.add(name, source.bad_utf8_line(name), _NOT_UTF8)
            problems.broken.add(name)
        except _LineTooLong as exc:
            problems.add(
                name,
                exc.line,
                f"the line is longer than {source.limits.line_chars:,} characters; this is not "
                "a OneRoster CSV file (or it is damaged)",
            )
            problems.broken.add(name)


def picked_rows(
    source: RosterSource,
    name: str,
    problems: Problems,
    columns: tuple[str, ...],
    header_out: list[str] | None = None,
    *,
    required: tuple[str, ...] = (),
    check: bool = True,
) -> Iterator[tuple[int, tuple[str, ...], list[str]]]:
    """Like ``rows`` but without a dict per row, for the large files: (line, the requested
    columns in order ('' when the file lacks one), the raw values).

    One C-level ``itemgetter`` call per row instead of building a dict is most of what keeps a
    100,000-student import close to a raw load.
    """
    header: list[str] = []
    for line, row in rows(source, name, problems, required, raw=True, check=check):
        if line == 1:  # the header, handed over first
            header = row  # type: ignore[assignment]
            if header_out is not None:
                header_out[:] = header
            width = len(header)
            index = {column: i for i, column in enumerate(header)}
            positions = [index.get(column, width) for column in columns]
            pick = itemgetter(*positions) if len(positions) > 1 else None
            continue
        values = row  # type: ignore[assignment]
        values.append("")  # position ``width``: the value of a column the file lacks
        if pick is not None:
            yield line, pick(values), values
        else:
            yield line, (values[positions[0]],), values


def split_ids(value: str) -> list[str]:
    """A comma-separated list of sourcedIds (spaces around them and empty items ignored)."""
    if not value:
        return []
    parts = value.split(",")
    if " " in value or "" in parts or "\t" in value:
        return [part.strip() for part in parts if part.strip()]
    return parts


def clean_address(value: str) -> str:
    """Addresses may span lines in the export; stored on one line."""
    if "\n" not in value and "\r" not in value:
        return value.strip()
    return ", ".join(part.strip() for part in value.splitlines() if part.strip())

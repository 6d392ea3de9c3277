"""The results table: one row per budget, as Markdown for docs/PERFORMANCE.md and as JSON.

Only the part of the document between the markers is rewritten, so the notes below it (the
before/after record of fixes) survive each run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path

BEGIN = "<!-- bench:begin (written by python -m bench; do not edit by hand) -->"
END = "<!-- bench:end -->"


@dataclass(frozen=True)
class Row:
    key: str  # stable name, for tests and JSON
    what: str
    baseline: str  # the yardstick measured in the same run, with its value
    measured: str  # the absolute numbers of the measured thing
    figure: str  # the ratio or number the budget is about
    budget: str
    met: bool | None  # None: nothing to meet (reported only) or not measured

    @property
    def verdict(self) -> str:
        return "n/a" if self.met is None else "yes" if self.met else "**NO**"


ROW_KEYS = (
    "startup",
    "search",
    "typing",
    "import",
    "import_memory",
    "stall_account",
    "stall_import",
    "memory",
    "letters",
    "race_sqlite",
    "race_postgres",
    "federation_sso",
    "federation_assertions",
)


def markdown(rows: list[Row], machine: dict[str, str], command: str, seconds: float) -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        BEGIN,
        f"Produced by `{command}` on {now} in {seconds:.0f} s.",
        "",
        "Machine: " + ", ".join(f"{k} {v}" for k, v in machine.items()) + ".",
        "",
        "| what | baseline in the same run | measured | figure | budget | met |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        cells = (row.what, row.baseline, row.measured, row.figure, row.budget, row.verdict)
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    lines += ["", END]
    return "\n".join(lines)


def write(path: Path, table: str) -> None:
    """Replace the generated block of ``path`` (or create the file around it)."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        text = head + table + tail
    else:
        text = "# Performance\n\n" + table + "\n" + (("\n" + text) if text else "")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def as_json(rows: list[Row], machine: dict[str, str], details: dict, command: str) -> dict:
    return {
        "command": command,
        "machine": machine,
        "rows": [asdict(r) | {"verdict": r.verdict} for r in rows],
        "details": details,
    }

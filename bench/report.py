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
    "reimport",
    "reimport_changed",
    "stall_account",
    "stall_import",
    "memory",
    "letters",
    "race",
    "concurrency",
    "web_pages",
    "web_signins",
    "web_loop",
    "federation_sso",
    "federation_assertions",
)
BACKENDS = ("SQLite", "PostgreSQL")


def markers(block: str = "") -> tuple[str, str]:
    """The lines around a generated block (``block`` names a second one, e.g. "xl")."""
    if not block:
        return BEGIN, END
    return (
        f"<!-- bench-{block}:begin (written by python -m bench; do not edit by hand) -->",
        f"<!-- bench-{block}:end -->",
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown(
    results: dict[str, dict[str, Row]],
    machine: dict[str, str],
    command: str,
    seconds: float,
    block: str = "",
) -> str:
    """One table, the databases side by side: each row's budget once, then for each database
    what was measured (with its baseline), the figure and whether the budget was met."""
    begin, end = markers(block)
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    backends = [b for b in BACKENDS if b in results]
    head = ["what", "budget"]
    for backend in backends:
        head += [f"{backend}: measured (baseline in the same run)", "figure", "met"]
    lines = [
        begin,
        f"Produced by `{command}` on {now} in {seconds:.0f} s.",
        "",
        "Machine: " + ", ".join(f"{k} {v}" for k, v in machine.items()) + ".",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    for key in ROW_KEYS:
        present = [results[b][key] for b in backends if key in results[b]]
        if not present:
            continue
        first = next((r for r in present if r.budget != "-"), present[0])
        cells = [first.what, first.budget]
        for backend in backends:
            row = results[backend].get(key)
            if row is None:
                cells += ["not run", "-", "n/a"]
                continue
            measured = row.measured + (f" (baseline: {row.baseline})" if row.baseline != "none"
                                       and row.baseline != "-" else "")  # fmt: skip
            cells += [measured, row.figure, row.verdict]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    lines += ["", end]
    return "\n".join(lines)


def write(path: Path, table: str, block: str = "") -> None:
    """Replace the generated block of ``path`` (or add it at the end)."""
    begin, end = markers(block)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        tail = rest.split(end, 1)[1]
        text = head + table + tail
    elif text:
        text = text.rstrip("\n") + "\n\n" + table + "\n"
    else:
        text = "# Performance\n\n" + table + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def as_json(
    results: dict[str, dict[str, Row]],
    machine: dict[str, str],
    details: dict[str, dict],
    command: str,
) -> dict:
    return {
        "command": command,
        "machine": machine,
        "backends": {
            backend: {
                "rows": [asdict(r) | {"verdict": r.verdict} for r in rows.values()],
                "details": details.get(backend, {}),
            }
            for backend, rows in results.items()
        },
    }

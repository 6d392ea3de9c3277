"""``kiosk report NAME``: every report as a table, ``--json`` or ``--csv``."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import click

from kiosk.auth import SYSTEM
from kiosk.cli.common import friendly, state
from kiosk.services.reports import REPORTS, columns
from kiosk.text import display


@click.group("report")
def report() -> None:
    """Reports as a table, --json or --csv."""


def _report_command(name: str, entry: Any) -> click.Command:
    @click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
    @click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
    @friendly
    def command(as_json: bool, as_csv: bool, **options: Any) -> None:
        rows = entry.run(state().context(), SYSTEM, **options)
        _print_rows(rows, columns(entry), as_json=as_json, as_csv=as_csv)

    if name == "unredeemed-keys":
        command = click.option(
            "--expiring-within",
            type=click.IntRange(min=0),
            default=None,
            help="Only keys expiring within this many days.",
        )(command)
    return click.command(name, help=entry.description)(command)


def _print_rows(rows: list, names: list[str], *, as_json: bool, as_csv: bool) -> None:
    data = [asdict(r) for r in rows]
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if as_csv:
        import csv
        import io

        from kiosk.text import csv_safe

        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(names)
        for row in data:
            writer.writerow([csv_safe(display(row[n])) for n in names])
        click.echo(buffer.getvalue(), nl=False)
        return
    if not rows:
        click.echo("Nothing to report.")
        return
    cells = [[display(row[n]) for n in names] for row in data]
    widths = [max(len(n), *(len(c[i]) for c in cells)) for i, n in enumerate(names)]
    click.echo("  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip())
    for c in cells:
        click.echo("  ".join(v.ljust(w) for v, w in zip(c, widths, strict=True)).rstrip())
    click.echo(f"({len(rows)} row(s))")


for _name, _entry in REPORTS.items():
    report.add_command(_report_command(_name, _entry))

"""``kiosk serve``: the parent web under uvicorn."""

from __future__ import annotations

import os

import click


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Processes to run (use PostgreSQL for more than one; they share sessions and limits).",
)
@click.pass_context
def serve(click_ctx: click.Context, host: str, port: int, workers: int) -> None:
    """Serve the parent web (activation, sign-in, recovery, settings, students).

    Put it behind a TLS reverse proxy and set [web] base_url; see docs/DEPLOY.md.
    """
    from kiosk.cli.common import friendly, state

    @friendly
    def _run() -> None:
        from kiosk.web.server import CONFIG_ENV, run

        st = state()
        config = st.config
        st.context()  # refuses a missing or outdated database now, in one line
        st.close()
        if workers > 1 and config.database_url.startswith("sqlite"):
            click.echo(
                "Note: several workers on SQLite share one file; PostgreSQL is recommended.",
                err=True,
            )
        if config.source is not None:
            os.environ[CONFIG_ENV] = str(config.source)
        click.echo(f"Serving the parent web on http://{host}:{port} (Ctrl+C stops it).", err=True)
        run(
            "kiosk.web.server:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
        )

    _run()

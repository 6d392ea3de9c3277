"""What every ``kiosk`` command shares: the lazily loaded configuration and context, the
one-line refusals, and the progress bar of long work."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from kiosk.config import Config, load_config
from kiosk.context import Context, make_context
from kiosk.errors import ConfigError, KioskError

F = TypeVar("F", bound=Callable[..., Any])


class State:
    def __init__(self, config_path: str | None) -> None:
        self.config_path = config_path
        self._config: Config | None = None
        self._ctx: Context | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_path)
        return self._config

    def context(self, *, check_schema: bool = True) -> Context:
        if self._ctx is None:
            self._ctx = make_context(self.config, check_schema=check_schema)
        return self._ctx

    def close(self) -> None:
        if self._ctx is not None:
            self._ctx.close()
            self._ctx = None


def friendly(func: F) -> F:
    """Print a ``KioskError`` as one line and exit non-zero."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ConfigError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(2)
        except KioskError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # one line, never a traceback with locals
            if os.environ.get("KIOSK_DEBUG"):
                raise
            click.echo(
                f"Error: unexpected {type(exc).__name__}. Run 'kiosk doctor'; set "
                "KIOSK_DEBUG=1 to see details.",
                err=True,
            )
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


#: The commands that start the app (None: ``kiosk`` alone); see ``kiosk.launch``.
APP_COMMANDS = (None, "admin", "demo")


def state() -> State:
    return click.get_current_context().find_object(State)


def ensure_sqlite_folder(config: Config) -> None:
    url = config.database_url
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)


@contextlib.contextmanager
def progress(label: str) -> Iterator[Callable[[str, int, int], None] | None]:
    """A click progress bar on stderr when it is a terminal; nothing otherwise.

    The callback is ``(stage, step, total)``; a stage with no known total (the first pass
    over a roster) is announced once instead.
    """
    if not sys.stderr.isatty():
        yield None
        return
    current: dict[str, Any] = {"stage": None, "bar": None}

    def finish() -> None:
        if current["bar"] is not None:
            current["bar"].render_finish()
            current["bar"] = None

    def update(stage: str, step: int, total: int) -> None:
        if stage != current["stage"]:
            finish()
            current["stage"] = stage
            if not total:
                click.echo(f"{label}: {stage}...", err=True)
            else:
                current["bar"] = click.progressbar(
                    length=total, label=f"{label}: {stage}", file=sys.stderr
                )
                current["bar"].render_progress()
        if current["bar"] is not None:
            current["bar"].update(step)

    try:
        yield update
    finally:
        finish()

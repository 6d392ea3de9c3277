"""Running a roster import in a child process, for the app (the screen never shares its GIL).

See ``import_roster_isolated``.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.auth import Actor
from kiosk.context import Context
from kiosk.errors import KioskError
from kiosk.services.roster import ImportSummary, import_roster


def import_roster_isolated(
    ctx: Context, actor: Actor, path: Path | str, *, dry_run: bool = False
) -> ImportSummary:
    """``import_roster`` in a child process, for the app.

    An import in a thread of the app shares the GIL with the screen: freeing a few million
    objects at the end of a 100,000-student import, resizing big dicts and binding batches
    froze the screen for up to 250 ms at a time. In its own process it cannot; the app only
    waits for the answer. The child is a fresh ``python -c`` (not multiprocessing, which would
    re-import whatever script started the app); the request and the answer travel as pickles
    over its pipes. Refusals come back as the same ``KioskError``s, pickled with their codes,
    parameters and problem lists.
    """
    import pickle
    import subprocess
    import sys

    request = pickle.dumps((ctx.config, actor, str(path), dry_run))
    child = subprocess.run(
        [sys.executable, "-c", "from kiosk.services.roster_process import _child; _child()"],
        input=request,
        capture_output=True,
        check=False,
    )
    if child.returncode != 0 or not child.stdout:
        raise KioskError("import_failed")
    outcome = pickle.loads(child.stdout)  # noqa: S301 - our own child's answer
    if isinstance(outcome, ImportSummary):
        return outcome
    raise outcome


def _child() -> None:
    """The child side of ``import_roster_isolated``: request on stdin, answer on stdout."""
    import pickle
    import sys

    from kiosk.context import make_context

    config, actor, path, dry_run = pickle.loads(sys.stdin.buffer.read())  # noqa: S301
    try:
        ctx = make_context(config)
        try:
            outcome: object = import_roster(ctx, actor, path, dry_run=dry_run)
        finally:
            ctx.close()
    except KioskError as exc:
        outcome = exc  # errors pickle with their code and parameters
    sys.stdout.buffer.write(pickle.dumps(outcome))
    sys.stdout.flush()

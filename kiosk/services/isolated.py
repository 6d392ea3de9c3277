"""Running a long service call in a child process, for the app (the screen never shares its GIL).

A district import (or its preview) in a thread of the app shares the GIL with the screen:
freeing a few million objects at the end of a 100,000-student import, resizing big dicts and
binding batches froze the screen for up to 250 ms at a time. In its own process it cannot; the
app only waits for the answer. The child is a fresh ``python -c`` (not multiprocessing, which
would re-import whatever script started the app); the request and the answer travel as pickles
over its pipes. Refusals come back as the same ``KioskError``s, pickled with their codes,
parameters and problem lists.
"""

from __future__ import annotations

import importlib
import pickle
import subprocess
import sys

from kiosk.context import Context
from kiosk.errors import KioskError

#: Only service functions run in the child (the request comes from the app itself).
_ALLOWED_PREFIX = "kiosk.services."


def call_isolated(ctx: Context, function: str, *args: object, **kwargs: object) -> object:
    """``module:function(ctx, *args, **kwargs)`` in a child process on the same configuration."""
    if not function.startswith(_ALLOWED_PREFIX):
        raise ValueError(function)
    request = pickle.dumps((ctx.config, function, args, kwargs))
    child = subprocess.run(
        [sys.executable, "-c", "from kiosk.services.isolated import _child; _child()"],
        input=request,
        capture_output=True,
        check=False,
    )
    if child.returncode != 0 or not child.stdout:
        raise KioskError("import_failed")
    outcome = pickle.loads(child.stdout)  # noqa: S301 - our own child's answer
    if isinstance(outcome, KioskError):
        raise outcome
    return outcome


def _child() -> None:
    """The child side of ``call_isolated``: request on stdin, answer on stdout."""
    from kiosk.context import make_context

    config, function, args, kwargs = pickle.loads(sys.stdin.buffer.read())  # noqa: S301
    module, name = function.split(":")
    if not module.startswith(_ALLOWED_PREFIX):
        raise SystemExit(2)
    call = getattr(importlib.import_module(module), name)
    try:
        ctx = make_context(config)
        try:
            outcome: object = call(ctx, *args, **kwargs)
        finally:
            ctx.close()
    except KioskError as exc:
        outcome = exc  # errors pickle with their code and parameters
    sys.stdout.buffer.write(pickle.dumps(outcome))
    sys.stdout.flush()

"""Run one measurement in a fresh interpreter, so the app is measured in a process like a kiosk's.

The rows that watch the app's event loop (typing, stalls) ran inside the suite's process,
whose heap holds every earlier row's objects: a full garbage collection there took 29-46 ms
against 14-22 ms in a kiosk showing the same screen (docs/PERFORMANCE.md, "What the quiet
runs found"). The request and the answer travel as pickles (our own process's data).
"""

from __future__ import annotations

import importlib
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.startup import ROOT

#: A measurement that has not answered by then is stuck (the large rows take about a minute).
TIMEOUT_S = 3600


def run(function: str, *args: object) -> object:
    """``module:function(*args)`` in a child process; its result, or its failure raised."""
    with tempfile.TemporaryDirectory(prefix="bench-child-") as folder:
        request, answer = Path(folder) / "request", Path(folder) / "answer"
        request.write_bytes(pickle.dumps((function, args)))
        done = subprocess.run(
            [sys.executable, "-m", "bench.child", str(request), str(answer)],
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
            timeout=TIMEOUT_S,
        )
        if done.returncode != 0 or not answer.exists():
            raise RuntimeError(
                f"{function} failed in its process (exit code {done.returncode}): "
                f"{done.stderr[-2000:]}"
            )
        return pickle.loads(answer.read_bytes())  # noqa: S301 - written by our own child


def _main(request: Path, answer: Path) -> None:
    function, args = pickle.loads(request.read_bytes())  # noqa: S301 - written by our parent
    module, name = function.split(":")
    result = getattr(importlib.import_module(module), name)(*args)
    answer.write_bytes(pickle.dumps(result))


if __name__ == "__main__":
    _main(Path(sys.argv[1]), Path(sys.argv[2]))

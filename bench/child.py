"""Run one measurement in a fresh interpreter, as a kiosk runs: the app's own process.

The rows that watch the app's event loop (typing, stalls) measured inside the suite's
process, whose heap holds every earlier row's modules and garbage: a full garbage collection
there took 31-46 ms against 13-22 ms in a kiosk showing the same screen, and landed in the
measured window. The request and the answer travel as pickles (our own process's data).
"""

from __future__ import annotations

import importlib
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path


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
        )
        if done.returncode != 0 or not answer.exists():
            raise RuntimeError(f"{function} failed in its process: {done.stderr[-2000:]}")
        return pickle.loads(answer.read_bytes())  # noqa: S301 - written by our own child


def _main(request: Path, answer: Path) -> None:
    function, args = pickle.loads(request.read_bytes())  # noqa: S301 - written by our parent
    module, name = function.split(":")
    result = getattr(importlib.import_module(module), name)(*args)
    answer.write_bytes(pickle.dumps(result))


if __name__ == "__main__":
    _main(Path(sys.argv[1]), Path(sys.argv[2]))

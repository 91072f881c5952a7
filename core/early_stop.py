"""A worker's SIGTERM from its first instant, kept until the worker knows what to stop.

A worker process spends most of a second importing pandas before it can name its run; a
``kill <pid>`` in that time ended it outright, and a queued resume of a stopped run was left
"interrupted" instead of as it was. ``python -m core worker`` catches the signal here at once;
the worker takes it up (``take``) when its own handler is in place, or gives it back (``release``).
"""

from __future__ import annotations

import os
import signal

_PENDING: list[int] = []


def _remember(signum, frame) -> None:
    _PENDING.append(signum)


def catch() -> None:
    """Hold SIGTERM from now on (POSIX only): it is remembered, not obeyed."""
    if os.name == "posix":
        signal.signal(signal.SIGTERM, _remember)


def take() -> int | None:
    """The signal caught so far (forgotten here: the caller acts on it), or None."""
    return _PENDING.pop() if _PENDING else None


def release() -> None:
    """Obey SIGTERM again, and a signal caught meanwhile now (the process ends by it)."""
    if os.name != "posix":
        return
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if _PENDING:
        os.kill(os.getpid(), _PENDING.pop())

"""``python -m core``."""

import os
import sys

if sys.argv[1:2] == ["worker"]:  # a kill while it imports is a Stop, taken up when the worker knows its run
    from core import early_stop

    early_stop.catch()

from core.cli import main

code = main()
if os.environ.get("LOCAL_RANK") is not None:  # one rank of a torchrun job
    # Leave without the interpreter's teardown: after a finished run a rank torn down by it aborted now
    # and then (SIGABRT, "terminate called without an active exception" from a native thread), which
    # failed the whole job. Every file is written and closed by now; only the streams need flushing.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
if code in (130, 143) and os.name == "posix":  # stopped by Ctrl-C or a kill: all saved, so end by the signal
    # A shell goes on with the next command of a loop unless the child died of the signal itself: an exit
    # status of 130 read as a Ctrl-C handled, and "for s in 0 1 2; do python -m core train …; done" trained on.
    # (on Windows os.kill would end the process with the signal's number, 2, as its exit status instead)
    import contextlib
    import signal

    with contextlib.suppress(OSError, ValueError):  # a reader gone (``| head``) or a stream closed
        sys.stdout.flush()
        sys.stderr.flush()
    number = signal.SIGINT if code == 130 else signal.SIGTERM
    signal.signal(number, signal.SIG_DFL)
    os.kill(os.getpid(), number)
raise SystemExit(code)

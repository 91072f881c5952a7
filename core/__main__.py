"""``python -m core``."""

import os
import sys

from core.cli import main

code = main()
if os.environ.get("LOCAL_RANK") is not None:  # one rank of a torchrun job
    # Leave without the interpreter's teardown: after a finished run a rank torn down by it aborted now
    # and then (SIGABRT, "terminate called without an active exception" from a native thread), which
    # failed the whole job. Every file is written and closed by now; only the streams need flushing.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
raise SystemExit(code)

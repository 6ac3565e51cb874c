"""How the web server is started (gunicorn), shared by `emporos serve` and `emporos demo`."""

from __future__ import annotations

import os
import sys


def serve_command(*, port: int, workers: int, threads: int, access_log: str | None = None) -> list[str]:
    """The gunicorn command line. The access log goes to stdout, to the file EMPOROS_ACCESS_LOG
    names, or nowhere when it is `off` (formatting each line costs time under load)."""
    log = access_log or os.environ.get("EMPOROS_ACCESS_LOG", "-")
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "emporos.config.wsgi:application",
        "--bind",
        f"{os.environ.get('EMPOROS_HOST', '127.0.0.1')}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--graceful-timeout",
        "10",
    ]
    if log != "off":
        command += ["--access-logfile", log]
    return command

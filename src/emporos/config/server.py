"""How the web server is started (gunicorn), shared by `emporos serve` and `emporos demo`."""

from __future__ import annotations

import os
import sys


def serve_command(*, port: int, workers: int, threads: int, access_log: str | None = None) -> list[str]:
    """The gunicorn command line; the access log goes to stdout unless EMPOROS_ACCESS_LOG says otherwise."""
    return [
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
        "--access-logfile",
        access_log or os.environ.get("EMPOROS_ACCESS_LOG", "-"),
        "--graceful-timeout",
        "10",
    ]

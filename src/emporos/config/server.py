"""How the web server is started (gunicorn), shared by `emporos serve` and `emporos demo`."""

from __future__ import annotations

import os
import sys
from pathlib import Path


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
        "--config",
        "python:emporos.config.gunicorn_hooks",
    ]
    if log != "off":
        command += ["--access-logfile", log]
    return command + control_socket_options(port=port)


def control_socket_options(*, port: int) -> list[str]:
    """Gunicorn's control socket (for `gunicornc`): one per server, or none.

    Gunicorn's default path ($XDG_RUNTIME_DIR/gunicorn.ctl or ~/.gunicorn/gunicorn.ctl) is one per
    user: a second server on the host takes it over, and stopping either deletes it, so commands
    reach the wrong server or none. EMPOROS_CONTROL_SOCKET names a path or `off`; by default it is
    gunicorn-<port>.ctl in EMPOROS_VAR_DIR.
    """
    chosen = os.environ.get("EMPOROS_CONTROL_SOCKET", "").strip()
    if chosen.lower() == "off":
        return ["--no-control-socket"]
    if not chosen:
        var_dir = os.environ.get("EMPOROS_VAR_DIR", "").strip() or str(Path.cwd() / "var")
        chosen = str(Path(var_dir).resolve() / f"gunicorn-{port}.ctl")
    return ["--control-socket", chosen]

"""Settings come only from EMPOROS_* variables; production settings pass Django's deploy check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith("EMPOROS_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        EMPOROS_PRODUCTION="true",
        EMPOROS_SECRET_KEY="a-long-random-secret-for-this-test-only-0123456789-abcdefghijklmnop",
        EMPOROS_ALLOWED_HOSTS="shop.example.com",
        EMPOROS_VAR_DIR=str(tmp_path),
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_without_a_secret_key_refuses_to_start(tmp_path: Path) -> None:
    result = manage("check", EMPOROS_PRODUCTION="true", EMPOROS_VAR_DIR=str(tmp_path))

    assert result.returncode != 0
    assert "EMPOROS_SECRET_KEY must be set" in result.stderr


def test_a_bad_database_url_names_the_variable(tmp_path: Path) -> None:
    result = manage("check", EMPOROS_DATABASE_URL="mysql://x@y/z", EMPOROS_VAR_DIR=str(tmp_path))

    assert result.returncode != 0
    assert "EMPOROS_DATABASE_URL" in result.stderr

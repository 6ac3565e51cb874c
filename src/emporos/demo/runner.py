"""`emporos demo`: a living demo shop on one machine: web server, worker, and new orders arriving."""

from __future__ import annotations

import json
import os
import random
import secrets
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command

from emporos.core.actor import Actor
from emporos.core.errors import DomainError

STAFF_USERNAME = "owner"
# The demo's staff, one per role, sharing the demo password.
DEMO_STAFF = (("owner", "owner"), ("packer", "warehouse"), ("support", "support"))


def _credentials_file() -> Path:
    return Path(settings.VAR_DIR) / "demo-credentials.json"


def ensure_credentials() -> dict[str, str]:
    """The demo's staff password and storefront key, made once and kept in var/ (never committed)."""
    from django.contrib.auth import get_user_model

    from emporos.access.models import ApiKey
    from emporos.access.services import create_api_key, create_staff, hash_key

    path = _credentials_file()
    stored: dict[str, str] = json.loads(path.read_text()) if path.is_file() else {}
    user_model = get_user_model()
    users = {user.username: user for user in user_model.objects.filter(username__in=[n for n, _ in DEMO_STAFF])}
    password = stored.get("password", "")
    if not password or any(not user.check_password(password) for user in users.values()):
        stored["password"] = password = secrets.token_urlsafe(12)
        for user in users.values():
            user.set_password(password)
            user.save()
    for username, role in DEMO_STAFF:
        if username not in users:
            users[username] = create_staff(
                username=username, email=f"{username}@example.com", password=password, role=role
            )
    _give_saved_views(users[STAFF_USERNAME].pk)
    _invite_colleague(users[STAFF_USERNAME])
    key = stored.get("api_key", "")
    if not key or not ApiKey.objects.filter(key_hash=hash_key(key), revoked_at__isnull=True).exists():
        stored["api_key"] = create_api_key(name="demo storefront").plain_key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stored, indent=2))
    path.chmod(0o600)
    return stored


# The demo owner's saved views of the orders list (each staff member starts with none).
DEMO_VIEWS = (
    ("Unpaid COD", "payment_status=pending&payment_method=cash_on_delivery"),
    ("Express today", "period=today&express=yes"),
)


def _give_saved_views(owner_id: int) -> None:
    """The demo owner's views, while the owner has none (views they keep are left alone)."""
    from django.http import QueryDict

    from emporos.desk.views.orders import normalized_query
    from emporos.orders.models import SavedOrderView
    from emporos.orders.services import save_order_view

    if SavedOrderView.objects.filter(owner_id=owner_id).exists():
        return
    for name, query in DEMO_VIEWS:
        save_order_view(owner_id=owner_id, name=name, query=normalized_query(QueryDict(query)) or "")


# A colleague the demo owner invited who has not chosen a password yet (Settings → Staff).
INVITED = {"username": "eleni", "email": "eleni@example.com", "first_name": "Ελένη", "last_name": "Οικονόμου"}


def _invite_colleague(owner: Any) -> None:
    """Invite the demo's new colleague once: her invitation waits in var/mail, in Greek."""
    from django.contrib.auth import get_user_model

    from emporos.access.services import invite_staff
    from emporos.core.actor import Actor
    from emporos.core.config import setting

    if get_user_model().objects.filter(username=INVITED["username"]).exists():
        return
    invite_staff(
        **INVITED,
        role="support",
        language="el",
        origin=setting("PUBLIC_URL") or "http://127.0.0.1:8000",
        actor=Actor.staff(owner.username, user_id=owner.pk),
    )


def _customer_outlets(port: int) -> dict[str, str]:
    """Where the demo's messages to customers go: files under var/ (and the desk's message log),
    not the terminal, with links to this server. Set here for the loader too, and passed on to the
    server and the worker; an EMPOROS_* variable set by the user wins."""
    var = Path(settings.VAR_DIR)
    chosen = {
        "EMPOROS_SMS_BACKEND": os.environ.get("EMPOROS_SMS_BACKEND") or f"file:{var / 'sms.jsonl'}",
        "EMPOROS_PUBLIC_URL": os.environ.get("EMPOROS_PUBLIC_URL") or f"http://127.0.0.1:{port}",
    }
    settings.EMPOROS["SMS_BACKEND"] = chosen["EMPOROS_SMS_BACKEND"]
    settings.EMPOROS["PUBLIC_URL"] = chosen["EMPOROS_PUBLIC_URL"]
    if not settings.EMAIL_HOST and "anymail" not in settings.EMAIL_BACKEND:
        chosen["EMPOROS_EMAIL_FILE_DIR"] = settings.EMAIL_FILE_PATH or str(var / "mail")
        settings.EMAIL_FILE_PATH = chosen["EMPOROS_EMAIL_FILE_DIR"]
        settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    return chosen


def run_demo(*, port: int, ticker_seconds: float, load_only: bool) -> int:
    from emporos.config.server import serve_command
    from emporos.demo import data

    outlets = _customer_outlets(port)
    call_command("migrate", interactive=False, verbosity=0)
    if not data.demo_loaded():
        print("Loading the demo shop (products, stock, 300 customers, about 1,000 orders)...", flush=True)
        data.load_demo()
    credentials = ensure_credentials()
    if load_only:
        print(f"Demo shop ready in {settings.DATABASES['default']['NAME']}.")
        return 0
    environment = dict(os.environ, DJANGO_SETTINGS_MODULE="emporos.config.settings", **outlets)
    # Stop cleanly from here on, whenever Ctrl-C or SIGTERM comes (even before the banner is read).
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    command = serve_command(port=port, workers=2, threads=4, access_log="off")
    web = subprocess.Popen(command, env=environment)  # noqa: S603
    worker = subprocess.Popen([sys.executable, "-m", "emporos.cli", "worker"], env=environment)
    base = f"http://127.0.0.1:{port}"
    print(
        "\n".join(
            [
                "",
                "Emporos demo shop is running.",
                f"  Order desk:  {base}/",
                f"  Sign in as:  {STAFF_USERNAME} (owner), packer (warehouse) or support (support)",
                f"  Password:    {credentials['password']}   (the same for all three)",
                f"  API docs:    {base}/api/v1/docs",
                "  Storefront API key (Authorization: Bearer ...):",
                f"  {credentials['api_key']}",
                f"  Customers' e-mails: {environment.get('EMPOROS_EMAIL_FILE_DIR') or 'sent by SMTP'}"
                f"; SMS: {environment['EMPOROS_SMS_BACKEND']} (also under Messages in the desk)",
                f"A new order arrives every {ticker_seconds:g} seconds. Press Ctrl-C to stop.",
                "",
            ]
        ),
        flush=True,
    )
    rng = random.Random()
    try:
        while web.poll() is None and worker.poll() is None and not stopping.wait(ticker_seconds):
            try:
                data.place_random_order(rng, actor=Actor.system("demo storefront"))
            except DomainError as exc:
                print(f"demo order refused: {exc.message}", flush=True)
    finally:
        for child in (web, worker):
            if child.poll() is None:
                child.terminate()
        for child in (web, worker):
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
    print("Stopped.")
    return 0

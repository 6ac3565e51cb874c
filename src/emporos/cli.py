"""The `emporos` command: parse, call, print.

emporos demo        set up a demo shop on SQLite and run it (web + worker + new orders)
emporos serve       run the web server (gunicorn)
emporos worker      run the outbox relay, background tasks and the scheduler
emporos migrate     create or update the database tables
emporos createstaff create a staff account
emporos apikey create --name N [--scopes S ...]
emporos outbox dead | replay ID
emporos imap-poll   take the unread messages of the support mailbox once (EMPOROS_IMAP_URL)
emporos mail-in     receive mail forwarded to the support addresses over SMTP
emporos reviews-poll read the shop's review platforms once (EMPOROS_GOOGLE_REVIEWS_*)
"""

from __future__ import annotations

import argparse
import getpass
import os
import signal
import sys
import threading
from collections.abc import Sequence


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emporos.config.settings")
    import django

    django.setup()


def _port() -> int:
    raw = os.environ.get("EMPOROS_PORT", "8000")
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        sys.exit(f"EMPOROS_PORT={raw!r}: use a port number such as 8000.")
    return int(raw)


def cmd_migrate(args: argparse.Namespace) -> int:
    _setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=args.verbosity)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emporos.config.settings")
    from emporos.config.server import serve_command

    command = serve_command(port=args.port or _port(), workers=args.workers, threads=args.threads)
    os.execv(command[0], command)  # noqa: S606 - fixed argv, replaces this process with gunicorn
    return 0  # pragma: no cover - execv does not return


def cmd_worker(args: argparse.Namespace) -> int:
    _setup()
    from emporos.outbox.worker import Worker

    worker = Worker(with_tasks=not args.no_tasks)  # each domain's scheduled jobs (outbox.schedule)

    def stop(signum: int, frame: object) -> None:
        worker.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    worker.run()
    return 0


def cmd_createstaff(args: argparse.Namespace) -> int:
    _setup()
    from emporos.access.services import create_staff
    from emporos.core.errors import ValidationFailed

    password = os.environ.get("EMPOROS_STAFF_PASSWORD") or getpass.getpass(f"Password for {args.username}: ")
    try:
        create_staff(username=args.username, email=args.email or "", password=password, role=args.role)
    except ValidationFailed as exc:
        sys.exit("\n".join(f"{error.field}: {error.message}" for error in exc.errors))
    print(f"Created staff account {args.username} ({args.role}).")
    return 0


def cmd_apikey(args: argparse.Namespace) -> int:
    _setup()
    from emporos.access.services import create_api_key, revoke_api_key
    from emporos.core.errors import DomainError, ValidationFailed

    try:
        if args.apikey_command == "create":
            scopes = [scope for item in args.scopes or [] for scope in item.split(",") if scope] or None
            issued = create_api_key(name=args.name, scopes=scopes)
            print(f"API key '{issued.api_key.name}' with scopes: {', '.join(issued.api_key.scopes)}")
            print("Keep it now; it is stored hashed and cannot be shown again:")
            print(issued.plain_key)
        else:
            revoked = revoke_api_key(prefix=args.prefix)
            print(f"Revoked {revoked}.")
    except ValidationFailed as exc:
        for error in exc.errors:
            print(f"--{error.field}: {error.message}", file=sys.stderr)
        return 2
    except DomainError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    return 0


def cmd_outbox(args: argparse.Namespace) -> int:
    _setup()
    from emporos.core.errors import DomainError
    from emporos.outbox import selectors, services

    if args.outbox_command == "dead":
        counts = selectors.delivery_counts()
        print("Deliveries: " + ", ".join(f"{count} {status}" for status, count in counts.items()))
        for delivery in selectors.dead_deliveries()[:200]:
            print(
                f"{delivery.id}\t{delivery.event.topic}\t{delivery.handler}\t{delivery.attempts}\t{delivery.last_error}"
            )
        return 0
    try:
        services.replay_delivery(delivery_id=args.delivery_id)
    except DomainError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    print(f"Delivery {args.delivery_id} is due again.")
    return 0


def cmd_imap_poll(args: argparse.Namespace) -> int:
    _setup()
    from emporos.core.config import setting
    from emporos.support.imap import ImapError, poll

    url = setting("IMAP_URL")
    if not url:
        print("Set EMPOROS_IMAP_URL to the support mailbox, e.g. imaps://user:password@host/INBOX.", file=sys.stderr)
        return 2
    try:
        accepted = poll(url, limit=args.limit)
    except (ValueError, ImapError) as exc:
        print(f"EMPOROS_IMAP_URL: {exc}", file=sys.stderr)
        return 2
    print(f"Took {accepted} message(s) from the support mailbox.")
    return 0


def cmd_reviews_poll(args: argparse.Namespace) -> int:
    _setup()
    from emporos.feedback import review_poll

    platforms = review_poll.configured()
    if not platforms:
        print(
            "No review platform is set up: set EMPOROS_GOOGLE_REVIEWS_LOCATION and EMPOROS_GOOGLE_REVIEWS_TOKEN.",
            file=sys.stderr,
        )
        return 2
    failed = False
    for result in review_poll.read_all():
        if result.error:
            print(f"{result.platform}: {result.error}", file=sys.stderr)
            failed = True
        else:
            count = result.count
            print(f"{result.platform}: {count.created} new, {count.updated} changed, {count.unchanged} as they were.")
    return 1 if failed else 0


def cmd_mail_in(args: argparse.Namespace) -> int:
    _setup()
    from emporos.core.config import setting
    from emporos.support import mail_in

    host, port = setting("MAIL_IN_HOST"), setting("MAIL_IN_PORT")
    addresses = mail_in.support_addresses()
    if not addresses:
        print("Set EMPOROS_SUPPORT_ADDRESSES: the addresses this listener takes mail for.", file=sys.stderr)
        return 2
    stopping = threading.Event()

    def stop(signum: int, frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        controller = mail_in.start(host, port, addresses)
    except OSError as exc:
        print(f"Cannot listen on {host}:{port} (EMPOROS_MAIL_IN_HOST/PORT): {exc}", file=sys.stderr)
        return 2
    print(f"Listening on {host}:{controller.port} for {', '.join(addresses)}.", flush=True)
    while not stopping.wait(1.0):
        pass
    controller.stop()
    print("Stopped.", flush=True)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    os.environ.setdefault("EMPOROS_DEBUG", "false")
    _setup()
    from emporos.demo.runner import run_demo

    return run_demo(port=args.port or _port(), ticker_seconds=args.every, load_only=args.load_only)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="emporos", description="Emporos, the back office of an online shop.")
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help="set up and run the demo shop (SQLite unless configured)")
    demo.add_argument("--port", type=int, default=None, help="web port (default EMPOROS_PORT or 8000)")
    demo.add_argument("--every", type=float, default=20.0, help="seconds between new demo orders")
    demo.add_argument("--load-only", action="store_true", help="load the demo data and exit")
    demo.set_defaults(func=cmd_demo)

    serve = commands.add_parser("serve", help="run the web server")
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument("--workers", type=int, default=int(os.environ.get("EMPOROS_WEB_WORKERS", "2")))
    serve.add_argument("--threads", type=int, default=int(os.environ.get("EMPOROS_WEB_THREADS", "6")))
    serve.set_defaults(func=cmd_serve)

    worker = commands.add_parser("worker", help="run the outbox relay, tasks and scheduler")
    worker.add_argument("--no-tasks", action="store_true", help="relay and scheduler only")
    worker.set_defaults(func=cmd_worker)

    migrate = commands.add_parser("migrate", help="create or update the database tables")
    migrate.add_argument("-v", "--verbosity", type=int, default=1)
    migrate.set_defaults(func=cmd_migrate)

    staff = commands.add_parser(
        "createstaff", help="create a staff account (password from EMPOROS_STAFF_PASSWORD or asked)"
    )
    staff.add_argument("--username", required=True)
    staff.add_argument("--email", default="")
    staff.add_argument("--role", default="owner", choices=["owner", "warehouse", "support"])
    staff.set_defaults(func=cmd_createstaff)

    apikey = commands.add_parser("apikey", help="manage API keys")
    apikey_commands = apikey.add_subparsers(dest="apikey_command", required=True)
    create = apikey_commands.add_parser("create", help="create a key; prints it alone on the last line")
    create.add_argument("--name", required=True)
    create.add_argument("--scopes", nargs="*", help="e.g. orders:write orders:read (default: every scope)")
    revoke = apikey_commands.add_parser("revoke", help="revoke a key by its prefix")
    revoke.add_argument("prefix")
    apikey.set_defaults(func=cmd_apikey)

    outbox = commands.add_parser("outbox", help="see and replay dead deliveries")
    outbox_commands = outbox.add_subparsers(dest="outbox_command", required=True)
    outbox_commands.add_parser("dead", help="list dead deliveries")
    replay = outbox_commands.add_parser("replay", help="make a dead delivery due again")
    replay.add_argument("delivery_id", type=int)
    outbox.set_defaults(func=cmd_outbox)

    imap_poll = commands.add_parser("imap-poll", help="take the support mailbox's unread messages once")
    imap_poll.add_argument("--limit", type=int, default=200, help="at most this many messages (default 200)")
    imap_poll.set_defaults(func=cmd_imap_poll)

    reviews_poll = commands.add_parser("reviews-poll", help="read the shop's review platforms once")
    reviews_poll.set_defaults(func=cmd_reviews_poll)

    mail_in = commands.add_parser("mail-in", help="receive mail forwarded to the support addresses (SMTP)")
    mail_in.set_defaults(func=cmd_mail_in)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())

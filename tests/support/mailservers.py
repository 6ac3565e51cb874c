"""Real mail servers for the support tests: a private Dovecot (IMAP, and IMAPS with its own CA) and
the SMTP catcher the notification tests use for outgoing mail.

Each Dovecot runs from a config in its own temporary folder (base_dir, state, log, Maildirs), on
127.0.0.1 and a free port, in the foreground as a child of the test process. As root the mail
belongs to the `dovecot` system user (Dovecot refuses uid 0 for mail) and the login processes run
as `dovenull`, as the Debian package sets them up; as any other user everything runs as that user.
"""

from __future__ import annotations

import grp
import imaplib
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.notifications.conftest import Inbox

DOVECOT = Path("/usr/sbin/dovecot")
USERS = {"support": "secret", "sales": "secret-too"}
UID_IN_FETCH = re.compile(rb"UID (\d+)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Dovecot:
    """A running private Dovecot. `url` signs in as support; `append`, `flags` and `clear` look
    at the mailboxes from the side, as another mail client would."""

    root: Path
    port: int
    imaps_port: int
    ca_file: Path | None
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"imap://support:secret@127.0.0.1:{self.port}/INBOX"

    @property
    def imaps_url(self) -> str:
        assert self.imaps_port, "this Dovecot has no TLS; use the dovecot_tls fixture"
        return f"imaps://support:secret@127.0.0.1:{self.imaps_port}/INBOX"

    @property
    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def client(self, user: str = "support") -> imaplib.IMAP4:
        """Signed in as `user`, INBOX selected (the plain port: loopback allows plaintext sign-in)."""
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        client.login(user, USERS[user])
        status, data = client.select("INBOX")
        assert status == "OK", data
        return client

    def append(self, raw: bytes, *, user: str = "support", flags: str = "") -> None:
        """APPEND `raw` to the user's INBOX, unread unless `flags` says otherwise (e.g. "(\\Seen)")."""
        client = self.client(user)
        try:
            status, data = client.append("INBOX", flags, imaplib.Time2Internaldate(time.time()), raw)
            assert status == "OK", data
        finally:
            client.logout()

    def flags(self, *, user: str = "support") -> dict[str, set[str]]:
        """Each message's Message-ID and its flags (without \\Recent, which depends on the session)."""
        client = self.client(user)
        try:
            flags_by_uid: dict[bytes, set[str]] = {}
            ids_by_uid: dict[bytes, str] = {}
            for item in _fetched(client, "(UID FLAGS)"):
                line = item if isinstance(item, bytes) else item[0]
                uid = UID_IN_FETCH.search(line)
                assert uid is not None, line
                flags_by_uid[uid.group(1)] = {flag.decode() for flag in imaplib.ParseFlags(line)} - {"\\Recent"}
            for item in _fetched(client, "(UID BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])"):
                if isinstance(item, tuple):
                    uid = UID_IN_FETCH.search(item[0])
                    assert uid is not None, item
                    ids_by_uid[uid.group(1)] = item[1].decode().split(":", 1)[1].strip()
            return {ids_by_uid[uid]: flags for uid, flags in flags_by_uid.items()}
        finally:
            client.logout()

    def clear(self) -> None:
        """Empty every user's INBOX."""
        for user in USERS:
            client = self.client(user)
            try:
                _, data = client.select("INBOX")
                if data[0] != b"0":
                    client.store("1:*", "+FLAGS.SILENT", "(\\Deleted)")
                    client.expunge()
            finally:
                client.logout()

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)


def _fetched(client: imaplib.IMAP4, items: str) -> list[bytes | tuple[bytes, bytes]]:
    status, data = client.select("INBOX")
    if data[0] == b"0":
        return []
    status, data = client.fetch("1:*", items)
    assert status == "OK", data
    return [item for item in data if isinstance(item, tuple) or (isinstance(item, bytes) and item != b")")]


def start_dovecot(*, tls: bool) -> Dovecot:
    """A fresh Dovecot in its own temporary folder; with `tls`, IMAPS and STARTTLS on a certificate
    for 127.0.0.1 signed by a CA made for it (`ca_file`)."""
    if tls and shutil.which("openssl") is None:
        pytest.skip("needs the openssl command for the IMAPS tests: apt install openssl")
    root = Path(tempfile.mkdtemp(prefix="emporos-dovecot-"))
    root.chmod(0o755)  # the mail user (dovecot, as root) walks into its Maildir below
    port, imaps_port = free_port(), free_port() if tls else 0
    ca_file = _make_certificates(root) if tls else None
    (root / "passwd").write_text("".join(f"{user}:{{PLAIN}}{password}::::::\n" for user, password in USERS.items()))
    (root / "mail").mkdir()
    mail_user = _mail_user()
    os.chown(root / "mail", mail_user.pw_uid, mail_user.pw_gid)
    (root / "dovecot.conf").write_text(_config(root, port=port, imaps_port=imaps_port, mail_user=mail_user))
    process = subprocess.Popen(
        [str(DOVECOT), "-F", "-c", str(root / "dovecot.conf")],
        stdout=subprocess.DEVNULL,
        stderr=(root / "stderr.log").open("wb"),
    )
    server = Dovecot(root=root, port=port, imaps_port=imaps_port, ca_file=ca_file, process=process)
    _wait_until_listening(server)
    return server


def _mail_user() -> pwd.struct_passwd:
    if os.getuid() == 0:
        return pwd.getpwnam("dovecot")
    return pwd.getpwuid(os.getuid())


def _config(root: Path, *, port: int, imaps_port: int, mail_user: pwd.struct_passwd) -> str:
    me = pwd.getpwuid(os.getuid())
    as_root = me.pw_uid == 0
    login_user = "dovenull" if as_root else me.pw_name
    tls = (
        f"ssl = yes\nssl_cert = <{root / 'server.pem'}\nssl_key = <{root / 'server.key'}\n"
        if imaps_port
        else "ssl = no\n"
    )
    # Without root nothing can chroot; the login processes run unconfined as the same user.
    no_chroot = "" if as_root else "  chroot =\n"
    return f"""\
base_dir = {root / "run"}
state_dir = {root / "state"}
log_path = {root / "dovecot.log"}
protocols = imap
listen = 127.0.0.1
{tls}disable_plaintext_auth = no
auth_mechanisms = plain login
# A wrong password in a test is answered at once, not after the usual delay against guessing.
auth_failure_delay = 0
default_internal_user = {me.pw_name}
default_internal_group = {grp.getgrgid(os.getgid()).gr_name}
default_login_user = {login_user}
first_valid_uid = {mail_user.pw_uid}
mail_location = maildir:{root / "mail"}/%u
passdb {{
  driver = passwd-file
  args = {root / "passwd"}
}}
userdb {{
  driver = static
  args = uid={mail_user.pw_uid} gid={mail_user.pw_gid} home={root / "mail"}/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
  }}
{no_chroot}}}
service anvil {{
{no_chroot}  # No penalty for a wrong password: a test that tries one signs in right after it.
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""


def _make_certificates(root: Path) -> Path:
    """A CA and a server certificate for 127.0.0.1 signed by it, with the openssl command."""
    openssl = shutil.which("openssl")
    assert openssl is not None

    def run(*args: str) -> None:
        subprocess.run([openssl, *args], cwd=root, check=True, capture_output=True)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Emporos test CA",
        "-keyout", "ca.key", "-out", "ca.pem",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")  # fmt: skip
    run("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "server.key", "-out", "server.csr")
    (root / "server.ext").write_text(
        "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
        "extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n"
        "authorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n"
    )
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-days", "2", "-extfile", "server.ext", "-out", "server.pem")  # fmt: skip
    (root / "server.key").chmod(0o600)
    return root / "ca.pem"


def _wait_until_listening(server: Dovecot) -> None:
    deadline = time.monotonic() + 30
    while True:
        if server.process.poll() is not None:
            stderr = (server.root / "stderr.log").read_text(errors="replace")
            raise RuntimeError(f"Dovecot stopped at start:\n{stderr}\n{server.log}")
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=2) as connection:
                if connection.recv(100).startswith(b"* OK"):
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"Dovecot did not answer on port {server.port} within 30 s:\n{server.log}")
        time.sleep(0.1)


def _needs_dovecot() -> None:
    if not DOVECOT.exists():
        pytest.skip("needs Dovecot for the IMAP tests: apt install dovecot-imapd")


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    """A private Dovecot without TLS; `url` is imap://support:secret@127.0.0.1:PORT/INBOX."""
    _needs_dovecot()
    server = start_dovecot(tls=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def dovecot_tls() -> Iterator[Dovecot]:
    """A private Dovecot with IMAPS (`imaps_url`) and STARTTLS, its certificate signed by `ca_file`."""
    _needs_dovecot()
    server = start_dovecot(tls=True)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def mailbox(dovecot: Dovecot) -> Dovecot:
    """The plain Dovecot with every INBOX empty."""
    dovecot.clear()
    return dovecot


@pytest.fixture
def smtp_catcher(smtp: Inbox) -> Inbox:
    """The notification tests' SMTP server on loopback, Django's SMTP backend pointed at it (needs
    `smtp` from tests.notifications.conftest registered beside this fixture, as conftest.py does)."""
    return smtp

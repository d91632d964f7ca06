"""A real IMAP server for the tests: Debian's Dovecot, run as an unprivileged process on a free
port with its own configuration, a static password and Maildir folders under a temporary folder.

Dovecot missing is a failure, never a skip: ``scripts/install-system-deps`` installs it.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

DOVECOT = Path("/usr/sbin/dovecot")
PASSWORD = "imap-test-secret-4711"


@dataclass(frozen=True)
class Dovecot:
    host: str
    port: int
    mail: Path
    log: Path

    def url(self, user: str, *, query: str = "") -> str:
        return f"imap://{user}:{PASSWORD}@{self.host}:{self.port}/?starttls=0{query}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _config(root: Path, port: int, uid: int, gid: int, user: str, group: str) -> str:
    return f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = static
  args = password={PASSWORD}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  chroot =
}}
"""


@contextmanager
def running_dovecot(root: Path) -> Iterator[Dovecot]:
    """Dovecot on a free port, its files under ``root``; stopped when the block ends."""
    if not DOVECOT.is_file():
        pytest.fail(
            f"{DOVECOT} is missing: the IMAP tests need Debian's dovecot-imapd "
            "(run scripts/install-system-deps as root)",
            pytrace=False,
        )
    root.mkdir(parents=True, exist_ok=True)
    for sub in ("run", "state", "mail"):
        (root / sub).mkdir(exist_ok=True)
    as_root = os.getuid() == 0
    account = pwd.getpwnam("nobody") if as_root else pwd.getpwuid(os.getuid())
    group = "nogroup" if as_root else (account.pw_name)
    if as_root:
        # Dovecot refuses to run its login process as root: the whole server runs as nobody,
        # which must be able to reach and own its folder.
        for folder in (root, *root.parents):
            if str(folder) in ("/", "/tmp"):
                break
            os.chmod(folder, os.stat(folder).st_mode | 0o711)
        for path in (root, *root.rglob("*")):
            os.chown(path, account.pw_uid, account.pw_gid)
        import grp

        group = grp.getgrgid(account.pw_gid).gr_name
    port = _free_port()
    config = root / "dovecot.conf"
    config.write_text(
        _config(root, port, account.pw_uid, account.pw_gid, account.pw_name, group),
        encoding="utf-8",
    )
    if as_root:
        os.chown(config, account.pw_uid, account.pw_gid)
    process = subprocess.Popen(
        [str(DOVECOT), "-F", "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        user=account.pw_uid if as_root else None,
        group=account.pw_gid if as_root else None,
        extra_groups=[] if as_root else None,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                err = process.stderr.read().decode() if process.stderr else ""
                pytest.fail(f"dovecot did not start: {err}", pytrace=False)
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                    if sock.recv(64).startswith(b"* OK"):
                        break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("dovecot did not accept connections in 20 s", pytrace=False)
                time.sleep(0.05)
        yield Dovecot("127.0.0.1", port, root / "mail", root / "dovecot.log")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()
        shutil.rmtree(root / "run", ignore_errors=True)

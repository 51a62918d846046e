"""Promises of the README that only the command line shows (issue #19).

- The connect timeout: each attempt to reach a server that never answers
  is given up after `connect-timeout` seconds (10 by default; the test
  sets 1 rather than wait 10), and said as such.
- Plain `sitecare outbox list` (and bare `sitecare outbox`): one
  tab-separated line an item, with the item's service and member.
- The interactive `sitecare keygen`: the passphrase asked twice on the
  terminal without echo; two different ones make no key.
"""

import json
import os
import pty
import select
import socket
import stat
import termios
import threading
import time
import uuid
from pathlib import Path

from helpers.accounts import STAFF_EMAIL
from integration.cli import MEMCHECK, scaled

PASSPHRASE = "tech passphrase 1"


# ---- the connect timeout --------------------------------------------------


class SilentServer:
    """A TCP listener that accepts and never says a word (no TLS answer),
    recording how long each connection lived before the client gave up."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.url = f"https://127.0.0.1:{self.sock.getsockname()[1]}"
        self.lives = []
        self.stopping = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stopping:
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            threading.Thread(target=self._watch, args=(conn,), daemon=True).start()

    def _watch(self, conn):
        """Reads (and drops) what comes until the client closes."""
        start = time.monotonic()
        conn.settimeout(scaled(60))
        try:
            while conn.recv(4096):
                pass
        except OSError:
            pass
        self.lives.append(time.monotonic() - start)
        conn.close()

    def stop(self):
        self.stopping = True
        self.thread.join(timeout=5)
        self.sock.close()


def test_promises__connect_timeout__each_attempt_ends_after_the_configured_seconds(cli_for):
    server = SilentServer()
    try:
        cli = cli_for(server.url)
        cli.config_file.parent.mkdir(parents=True, exist_ok=True)
        cli.config_file.write_text("connect-timeout = 1\n")
        r = cli.run("whoami", timeout=60)
    finally:
        server.stop()
    assert r.rc == 1, r
    assert "network: the server did not accept the connection in time" in r.err, r
    assert server.lives, "the client never connected"
    # Each attempt is given up at the configured second, not the default
    # 10 s (valgrind slows the client, not its timer: a little room).
    slack = 3 if not MEMCHECK.enabled else 6
    assert all(0.8 <= life <= 1 + slack for life in server.lives), server.lives


# ---- plain `outbox list` --------------------------------------------------


def test_promises__outbox_list__plain_lines_name_service_and_member(cli):
    assert cli.login(STAFF_EMAIL["support"]).rc == 0
    word = uuid.uuid4().hex[:8]
    # Conversation 999999 does not exist: the reply stays in the outbox.
    r = cli.run("reply", "999999", f"first\t{word}\nsecond line")
    assert r.rc == 1 and "kept in the outbox" in r.err, r
    listed = cli.run("outbox", "list")
    assert listed.rc == 0, listed
    [line] = listed.out.splitlines()
    fields = line.split("\t")
    assert len(fields) == 9, fields
    item, kind, target, attempts, state, service, member, why, text = fields
    assert (kind, target) == ("message", "999999"), fields
    # The same item as --json gives it.
    [as_json] = [json.loads(l) for l in cli.run("outbox", "list", "--json").out.splitlines()]
    assert (item, int(attempts), state) == (as_json["id"], as_json["attempts"],
                                            as_json["state"]), (fields, as_json)
    assert state == "failed", fields
    assert service == cli.url, fields
    assert member == STAFF_EMAIL["support"], fields
    assert why != "-", fields
    # The body's first line only, its tab made a space.
    assert text == f"first {word}", fields
    assert (cli.state_dir / "outbox").exists()
    # Bare `outbox` lists the same.
    assert cli.run("outbox").out == listed.out
    assert cli.run("outbox", "discard", item).rc == 0


# ---- the interactive keygen -----------------------------------------------


def wait_echo_off(fd, deadline, out):
    """Waits until the client has turned the terminal's echo off: it
    flushes what was typed before, so an answer must come after."""
    while termios.tcgetattr(fd)[3] & termios.ECHO:
        assert time.monotonic() < deadline, f"echo never turned off: {out!r}"
        time.sleep(0.02)  # polls a condition with a deadline


def run_on_terminal(cli, args, answers, timeout=60):
    """Runs sitecare with a terminal of its own as its controlling one
    (where /dev/tty leads): each (prompt, line) answers prompt when it
    shows. Returns (exit code, everything the terminal showed)."""
    argv = MEMCHECK.argv(cli.bare_argv(args))
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(cli.home)
        os.execve(argv[0], argv, cli.env())
    out, todo = b"", list(answers)
    deadline = time.monotonic() + scaled(timeout)
    try:
        while True:
            left = deadline - time.monotonic()
            assert left > 0, f"{args} did not finish: {out!r}"
            ready, _, _ = select.select([fd], [], [], left)
            try:
                chunk = os.read(fd, 4096) if ready else b""
            except OSError:  # EIO: the child closed the terminal
                break
            if ready and not chunk:
                break
            out += chunk
            if todo and todo[0][0].encode() in out.split(b"\n")[-1]:
                wait_echo_off(fd, deadline, out)
                os.write(fd, todo.pop(0)[1].encode() + b"\n")
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(fd)
    return os.waitstatus_to_exitcode(status), out.decode(errors="replace")


def key_files(cli):
    return sorted(p for p in cli.home.rglob("*.key"))


def test_promises__keygen__asks_twice_on_the_terminal_without_echo(cli):
    code, shown = run_on_terminal(cli, ["keygen"], [
        ("New passphrase for the staff key: ", PASSPHRASE),
        ("The same again: ", PASSPHRASE)])
    # Not signed in: the key is made, registering it is left for later.
    assert code == 1, shown
    assert "keygen --register-only" in shown, shown
    assert PASSPHRASE not in shown, shown
    path = Path(next(l.split(": ", 1)[1].strip() for l in shown.splitlines()
                     if l.startswith("key file: ")))
    assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600


def test_promises__keygen__two_different_passphrases_make_no_key(cli):
    code, shown = run_on_terminal(cli, ["keygen"], [
        ("New passphrase for the staff key: ", PASSPHRASE),
        ("The same again: ", PASSPHRASE + " but other")])
    assert code != 0, shown
    assert "the passphrases differ" in shown, shown
    assert PASSPHRASE not in shown, shown
    assert key_files(cli) == [], key_files(cli)

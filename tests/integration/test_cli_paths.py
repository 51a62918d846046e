"""The error paths a user hits running `sitecare <command>` from a shell.

Wrong arguments, settings that cannot be read or written, the service
answering oddly (fault_server.py) or not at all, and output nobody reads.
Each test checks what the user is told, the exit status, and what did (or
did not) reach the server or the disk; the happy paths are in the other
test_cli_*.py files and test_events_outbox.py.
"""

import json
import os
import pty
import select
import socket
import subprocess
import threading
import time

import pytest

from integration.test_cli_attachment import fault_task

from integration.cli import scaled

ME = {"id": 7, "name": "Fay Fault", "email": "fay@example.com", "role": "support",
      "public_key": None, "permissions": ["tasks.read"]}
UNAVAILABLE = (503, {}, {"error": {"code": "server_error", "message": "Try later."}})
USAGE, FAILED = 2, 1
# stdin readers refuse more than HTTP_MAX_BODY (32 MiB), one byte over
# being enough (they took up to 64 MiB before: the limit was checked only
# when their buffer doubled).
TOO_LARGE = 32 * 1024 * 1024 + 1


def closed_port_url():
    """An https URL on a loopback port nothing listens on (refused at once)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"https://127.0.0.1:{s.getsockname()[1]}"


def fault_login(fault):
    """Signs fault.cli in against the fault server (a session cookie kept)."""
    fault.script("/api/v1/auth/login",
                 (200, {"Set-Cookie": "sessionid=fault1; Path=/; Secure; HttpOnly"}, ME))
    r = fault.cli.run("login", "--email", ME["email"], "--password-stdin", input="pw\n")
    assert r.rc == 0, r
    assert fault.cli.jars(), "the session cookie was not kept"


# ---- the command line ------------------------------------------------------

def test_cli_paths__unknown_command_is_a_usage_error(cli):
    r = cli.run("frobnicate")
    assert r.rc == USAGE, r
    assert r.err == "sitecare: unknown command: frobnicate (try --help)\n", r
    assert r.out == ""


def test_cli_paths__config_folder_under_a_file__named_before_anything(cli, tmp_path):
    """XDG_CONFIG_HOME under a regular file: the folder cannot be made."""
    (tmp_path / "plain").write_text("not a folder\n")
    r = cli.run("whoami", env={"XDG_CONFIG_HOME": str(tmp_path / "plain" / "cfg")})
    assert r.rc == USAGE, r
    assert r.err.startswith(f"sitecare: cannot create {tmp_path}/plain/cfg/sitecare"), r
    assert "Not a directory" in r.err, r


def test_cli_paths__unreadable_config_file_is_warned_with_its_name(cli, tmp_path):
    """--config under a regular file: a warning without a line number, and
    the command still runs on the flags."""
    (tmp_path / "plain").write_text("x\n")
    cfg = tmp_path / "plain" / "config"
    r = cli.run("--config", cfg, "outbox", "list")
    assert r.rc == 0, r
    assert r.err == f"sitecare: {cfg}: cannot read: Not a directory\n", r


# ---- login and logout ------------------------------------------------------

def test_cli_paths__login_usage_errors_send_nothing(fault):
    r = fault.cli.run("login", "--frob")
    assert r.rc == USAGE, r
    assert "sitecare: login: unexpected --frob (usage: sitecare login" in r.err, r
    r = fault.cli.run("logout", "now")
    assert r.rc == USAGE, r
    assert r.err.startswith("sitecare: logout: unexpected now (it takes no arguments"), r
    assert fault.requests == []


def test_cli_paths__login_email_equals_form(fault):
    fault.script("/api/v1/auth/login", (200, {"Set-Cookie": "sessionid=s; Path=/; Secure"}, ME))
    r = fault.cli.run("login", f"--email={ME['email']}", "--password-stdin", input="pw\n")
    assert r.rc == 0, r
    assert r.out == "signed in as Fay Fault <fay@example.com> (support)\n", r
    sent = json.loads(fault.seen("/api/v1/auth/login")[0].body)
    assert sent["email"] == ME["email"]


def test_cli_paths__login_without_email_or_terminal_says_give_email(fault):
    """No --email, nothing remembered, no /dev/tty (its own session)."""
    r = fault.cli.run("login", "--password-stdin", input="pw\n")
    assert r.rc == USAGE, r
    assert r.err == "sitecare: no terminal to ask for the email (give --email)\n", r
    assert fault.requests == []


def read_pty(fd, seen, token, deadline):
    """seen plus what the pty at fd shows, until token is in it (None: to
    the end), the other side closes, or the deadline."""
    while (token is None or token not in seen) and time.monotonic() < deadline:
        if not select.select([fd], [], [], 0.2)[0]:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the other side is closed
            chunk = b""
        if not chunk:
            break
        seen += chunk
    return seen


def on_a_terminal(cli, args, *exchanges):
    """Runs cli with a pty as its controlling terminal (and stdin); for
    each (prompt, reply) waits for the prompt, then types the reply.
    Returns (exit status, everything the terminal showed)."""
    argv = cli.argv(args)
    pid, fd = pty.fork()
    if pid == 0:  # the child: the pty is its controlling terminal
        os.chdir(cli.home)
        os.execve(argv[0], argv, cli.env())
    seen = b""
    try:
        for prompt, reply in exchanges:
            seen = read_pty(fd, seen, prompt, time.monotonic() + scaled(20))
            assert prompt in seen, seen
            os.write(fd, reply)
        seen = read_pty(fd, seen, None, time.monotonic() + scaled(20))
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    return os.waitstatus_to_exitcode(status), seen.decode(errors="replace")


def test_cli_paths__login_asks_the_email_on_the_terminal_then_offers_it(fault):
    """No --email: asked on the terminal; next time the remembered one is
    the default, taken on an empty line."""
    fault.script("/api/v1/auth/login", (200, {"Set-Cookie": "sessionid=s; Path=/; Secure"}, ME))
    rc, seen = on_a_terminal(fault.cli, ["login", "--password-stdin"],
                             (b"Email: ", ME["email"].encode() + b"\n"), (b"\n", b"pw\n"))
    assert rc == 0, seen
    assert "signed in as Fay Fault" in seen, seen
    rc, seen = on_a_terminal(fault.cli, ["login", "--password-stdin"],
                             (f"Email [{ME['email']}]: ".encode(), b"\n"), (b"\n", b"pw\n"))
    assert rc == 0, seen
    emails = [json.loads(s.body)["email"] for s in fault.seen("/api/v1/auth/login")]
    assert emails == [ME["email"]] * 2


def test_cli_paths__login_with_stdin_closed_says_no_password(fault):
    r = fault.cli.run("login", "--email", ME["email"], "--password-stdin", input="")
    assert r.rc == USAGE, r
    assert r.err == "sitecare: no password given\n", r
    assert fault.count("/api/v1/auth/login") == 0


def test_cli_paths__login_settings_not_saved_is_only_a_warning(fault, tmp_path):
    """--config under a regular file: signed in, the settings not saved."""
    (tmp_path / "plain").write_text("x\n")
    cfg = tmp_path / "plain" / "config"
    fault.script("/api/v1/auth/login", (200, {"Set-Cookie": "sessionid=s; Path=/; Secure"}, ME))
    r = fault.cli.run("--config", cfg, "login", "--email", ME["email"], "--password-stdin",
                      input="pw\n")
    assert r.rc == 0, r
    assert r.out.startswith("signed in as Fay Fault"), r
    assert "sitecare: warning: settings not saved: " in r.err, r
    assert fault.cli.jars(), "the session itself is kept"


def test_cli_paths__logout_server_error__warned_and_forgotten_here(fault):
    fault_login(fault)
    fault.script("/api/v1/auth/logout", (500, {}, b"boom"))
    r = fault.cli.run("logout")
    assert r.rc == 0, r
    assert r.out == "signed out\n", r
    assert r.err.startswith("sitecare: warning: the service was not told ("), r
    assert "the session is forgotten here" in r.err, r
    assert fault.count("/api/v1/auth/logout") == 1
    again = fault.cli.run("logout")
    assert again.out == "not signed in\n", again
    assert fault.count("/api/v1/auth/logout") == 1


def test_cli_paths__commands_with_bad_settings_send_and_queue_nothing(fault, tmp_path):
    """A CA file that does not exist: a settings error, no request, and
    nothing left in the outbox."""
    missing = tmp_path / "no-such-ca.pem"
    for args in (("reply", "5", "hi"), ("comment", "5", "hi"), ("keygen",)):
        r = fault.cli.run(*args, ca=missing, input="pw\n")
        assert r.rc == USAGE, r
        assert str(missing) in r.err, (args, r)
    assert fault.requests == []
    assert fault.cli.run("outbox", "list", "--json").out == ""


# ---- api ---------------------------------------------------------------------

def test_cli_paths__api_retry_safe_post_is_retried_after_503(fault):
    fault.script("/api/v1/conversations/1/read", UNAVAILABLE, (204, {}, b""))
    r = fault.cli.run("api", "POST", "/conversations/1/read", "--retry-safe",
                      "--data={\"last_read_message_id\": 3}")
    assert r.rc == 0, r
    seen = fault.seen("/api/v1/conversations/1/read")
    assert len(seen) == 2
    assert [json.loads(s.body) for s in seen] == [{"last_read_message_id": 3}] * 2


def test_cli_paths__api_extra_argument_and_too_many_headers_send_nothing(fault):
    r = fault.cli.run("api", "GET", "/me", "/tasks")
    assert r.rc == USAGE, r
    assert r.err.startswith("sitecare: api: unexpected /tasks\n"), r
    headers = [a for i in range(33) for a in ("-H", f"X-N{i}: {i}")]
    r = fault.cli.run("api", "GET", "/me", *headers)
    assert r.rc == USAGE, r
    assert r.err == "sitecare: api: too many headers\n", r
    assert fault.requests == []


def test_cli_paths__api_data_from_stdin_longer_than_a_buffer(fault):
    body = json.dumps({"body": "y" * 20000})
    fault.script("/api/v1/echo", (200, {}, {"ok": True}))
    r = fault.cli.run("api", "POST", "/echo", "--data", "-", input=body)
    assert r.rc == 0, r
    assert fault.seen("/api/v1/echo")[0].body == body.encode()


def test_cli_paths__api_data_from_stdin_too_large_is_refused(fault):
    r = fault.cli.run("api", "POST", "/echo", "--data", "-", input="x" * TOO_LARGE,
                      timeout=120)
    assert r.rc == USAGE, r
    assert r.err == "sitecare: api: --data - is too large\n", r
    assert fault.count("/api/v1/echo") == 0


# ---- events ------------------------------------------------------------------

def test_cli_paths__events_bad_arguments_are_usage_errors(fault):
    for args in (("--count", "0"), ("--count", "3x"), ("--frob",), ("--since", "")):
        r = fault.cli.run("events", *args)
        assert r.rc == USAGE, (args, r)
        assert r.err.startswith("usage: sitecare events"), (args, r)
    assert fault.requests == []


def sse(frames, release=None):
    """A scripted /events answer: the frames, then (with release) silence."""
    def answer(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.send_header("Cache-Control", "no-cache")
        handler.end_headers()
        handler.wfile.write(frames)
        handler.wfile.flush()
        if release is not None:
            release.wait(scaled(60))
    return answer


def test_cli_paths__events_resync_without_data_prints_empty_data(fault):
    fault.script("/api/v1/events", (200, {}, sse(b"id: 9\nevent: resync\ndata:\n\n")))
    r = fault.cli.run("events", "--count", "1", timeout=30)
    assert r.rc == 0, r
    assert [json.loads(x) for x in r.out.splitlines()] == [
        {"id": "9", "event": "resync", "data": {}}]
    assert "sitecare: events: resync: events were missed" in r.err, r


def test_cli_paths__events_stops_when_nobody_reads_stdout(fault):
    """stdout's reader gone: the first line fails and the run ends at once,
    though the stream stays open."""
    release = threading.Event()
    fault.script("/api/v1/events",
                 (200, {}, sse(b"id: 9\nevent: resync\ndata:\n\n", release)))
    rd, wr = os.pipe()
    os.close(rd)
    try:
        p = subprocess.Popen(fault.cli.argv(["events"]), stdin=subprocess.DEVNULL,
                             stdout=wr, stderr=subprocess.PIPE, env=fault.cli.env(),
                             cwd=fault.cli.home, start_new_session=True)
    finally:
        os.close(wr)
    try:
        _, err = p.communicate(timeout=scaled(20))
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        raise AssertionError("events kept running with nobody reading its output")
    finally:
        release.set()
    assert p.returncode == 0, err
    assert b"sitecare: events: online" in err, err


# ---- reply, comment, outbox ---------------------------------------------------

def test_cli_paths__outbox_usage_errors(cli):
    for args in (("outbox", "list", "--frob"), ("outbox", "flush", "--timeout", "0"),
                 ("outbox", "flush", "--timeout", "9x"), ("outbox", "flush", "--wait", "5"),
                 ("outbox", "discard"), ("outbox", "frob"), ("comment",),
                 ("comment", "5", "a", "b"), ("comment", "5", "a", "b", "c"), ("reply", "x", "hi"), ("reply", "5", "a", "b")):
        r = cli.run(*args)
        assert r.rc == USAGE, (args, r)
        assert "usage: sitecare" in r.err, (args, r)


def test_cli_paths__readonly_refuses_to_send(fault):
    for args, what in ((("reply", "5", "hi"), "reply"), (("comment", "5", "hi"), "comment"),
                       (("outbox", "flush"), "outbox"), (("outbox", "discard", "x"), "outbox")):
        r = fault.cli.run("--readonly", *args)
        assert r.rc == USAGE, (args, r)
        assert r.err == f"sitecare: {what}: read-only mode: nothing is sent\n", (args, r)
    assert fault.requests == []
    assert fault.cli.run("outbox", "list", "--json").out == ""


def test_cli_paths__empty_and_oversized_text_are_refused(fault):
    r = fault.cli.run("reply", "5", "")
    assert r.rc == USAGE, r
    assert r.err == "sitecare: nothing to send: the text is empty\n", r
    r = fault.cli.run("comment", "5", input="x" * TOO_LARGE, timeout=120)
    assert r.rc == USAGE, r
    assert r.err == "sitecare: the text on stdin is too large\n", r
    assert fault.requests == []
    assert fault.cli.run("outbox", "list", "--json").out == ""


def test_cli_paths__reply_with_service_unreachable__kept_with_its_attempt(cli_for, service):
    down = cli_for(closed_port_url(), service.ca)
    r = down.run("reply", "5", "hello while down")
    assert r.rc == FAILED, r
    assert "it will be sent later: run `sitecare outbox flush`" in r.err, r
    items = [json.loads(x) for x in down.run("outbox", "list", "--json").out.splitlines()]
    assert len(items) == 1, items
    assert items[0]["attempts"] == 1, items
    assert items[0]["body"] == "hello while down"
    assert "cannot connect to the server" in items[0]["last_error"], items


def test_cli_paths__outbox_list_cuts_long_lines_on_a_character(cli_for, service):
    """An internal comment of 59 ASCII bytes then 'é's: cut before the é
    that straddles byte 60, with an ellipsis; the kind named."""
    down = cli_for(closed_port_url(), service.ca)
    text = "a" * 59 + "é" * 10
    r = down.run("comment", "--internal", "12", text)
    assert r.rc == FAILED, r
    out = down.run("outbox", "list").out
    assert "internal-comment" in out, out
    assert "a" * 59 + "..." in out, out
    assert "é" not in out, out


def test_cli_paths__flush_with_service_unreachable_keeps_everything(cli_for, service):
    down = cli_for(closed_port_url(), service.ca)
    assert down.run("reply", "5", "one").rc == FAILED
    r = down.run("outbox", "flush", "--timeout", "1", timeout=30)
    assert r.rc == FAILED, r
    assert "sitecare: nothing was sent; the outbox is kept\n" in r.err, r
    assert len(down.run("outbox", "list", "--json").out.splitlines()) == 1


def message_answer(conversation_id, body, msg_id):
    """The service's 201 for a posted message (as the contract has it)."""
    return (201, {}, {"id": msg_id, "conversation_id": conversation_id,
                      "author": {"kind": "staff", "id": ME["id"], "name": ME["name"]},
                      "body": body, "created_at": "2026-11-28T06:55:13Z",
                      "client_msg_id": None})


def test_cli_paths__reply_503__kept_claimed_then_next_waits_behind_it(fault):
    """Nobody known yet: the item is queued as nobody, named after /me,
    kept on a 503; a second reply to the same conversation waits behind
    it (never posted first); flush sends both, in order."""
    path = "/api/v1/conversations/5/messages"
    fault.script("/api/v1/me", (200, {}, ME))
    fault.script(path, UNAVAILABLE)
    r = fault.cli.run("reply", "5", "one", timeout=60)
    assert r.rc == FAILED, r
    assert "sitecare: could not send message " in r.err, r
    assert "it will be sent later" in r.err, r
    [one] = [json.loads(x) for x in fault.cli.run("outbox", "list", "--json").out.splitlines()]
    assert one["body"] == "one" and one["attempts"] == 1, one
    assert (one["staff_id"], one["staff_email"]) == (ME["id"], ME["email"]), one
    tried = fault.count(path)
    assert tried >= 1

    r = fault.cli.run("reply", "5", "two", timeout=60)
    assert r.rc == FAILED, r
    bodies = [json.loads(s.body)["body"] for s in fault.seen(path)]
    assert "two" not in bodies, bodies
    assert len(bodies) > tried, "the earlier one was tried again first"

    fault.script(path, message_answer(5, "one", 101), message_answer(5, "two", 102))
    r = fault.cli.run("outbox", "flush", "--timeout", "30", timeout=60)
    assert r.rc == 0, r
    assert r.err.count("sitecare: sent message ") == 2, r
    assert "sitecare: outbox empty (2 sent)" in r.err, r
    bodies = [json.loads(s.body)["body"] for s in fault.seen(path)]
    assert bodies[-2:] == ["one", "two"], bodies


def test_cli_paths__flush_asks_again_until_the_service_answers(fault):
    """/me fails (503, past the transport's own retries) then answers:
    flush waits a backoff, asks again, and sends."""
    path = "/api/v1/conversations/5/messages"
    fault.script("/api/v1/me", (200, {}, ME))
    fault.script(path, UNAVAILABLE)
    assert fault.cli.run("reply", "5", "later").rc == FAILED
    fault.script("/api/v1/me", *[UNAVAILABLE] * 4, (200, {}, ME))
    fault.script(path, message_answer(5, "later", 103))
    asked = fault.count("/api/v1/me")
    r = fault.cli.run("outbox", "flush", "--timeout", "60", timeout=90)
    assert r.rc == 0, r
    assert fault.count("/api/v1/me") - asked == 5
    assert "sitecare: outbox empty (1 sent)" in r.err, r
    assert json.loads(fault.seen(path)[-1].body)["body"] == "later"


# ---- attachment --------------------------------------------------------------

def stream_body(data, length):
    """A scripted download: data in small pieces, Content-Length only when
    length is given (else the end of the body is the connection's)."""
    def answer(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/octet-stream")
        if length:
            handler.send_header("Content-Length", str(len(data)))
        handler.send_header("Connection", "close")
        handler.end_headers()
        for i in range(0, len(data), 1000):
            handler.wfile.write(data[i:i + 1000])
            handler.wfile.flush()
    return answer


def save_on_a_terminal(cli, *args):
    """Runs `attachment save` with stderr on a pty; returns (rc, stderr)."""
    master, slave = os.openpty()
    try:
        p = subprocess.Popen(cli.argv(["attachment", "save", *map(str, args)]),
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=slave, env=cli.env(), cwd=cli.home,
                             start_new_session=True)
    finally:
        os.close(slave)
    try:
        seen = read_pty(master, b"", None, time.monotonic() + scaled(30))
        rc = p.wait(timeout=scaled(30))
    finally:
        os.close(master)
        if p.poll() is None:
            p.kill()
            p.wait()
    return rc, seen.decode(errors="replace")


@pytest.mark.parametrize("length, drawn", [
    (True, "] 100%  5000 of 5000 bytes\r\n"),  # a bar, then the end of it
    # no length: a count of bytes, redrawn at most every 100 ms and once
    # more at the end, so the last count is what was saved
    (False, "\r5000 bytes\r\n"),
])
def test_cli_paths__attachment_progress_drawn_on_a_terminal(fault, length, drawn):
    data = os.urandom(5000)
    fault.script("/api/v1/tasks/1", (200, {}, fault_task(len(data))))
    fault.script("/api/v1/tasks/1/attachments/5", (200, {}, stream_body(data, length)))
    rc, err = save_on_a_terminal(fault.cli, 1, 5, fault.cli.home / "a.bin")
    assert rc == 0, err
    assert (fault.cli.home / "a.bin").read_bytes() == data
    assert drawn in err, err
    assert ("%" in err) == length, err


def test_cli_paths__attachment_path_after_dashdash_may_start_with_a_dash(fault):
    fault.script("/api/v1/tasks/1", (200, {}, fault_task(5)))
    fault.script("/api/v1/tasks/1/attachments/5", (200, {}, b"hello"))
    r = fault.cli.run("attachment", "save", "--", "1", "5", "-dash.bin")
    assert r.rc == 0, r
    assert (fault.cli.home / "-dash.bin").read_bytes() == b"hello"
    r = fault.cli.run("attachment", "save", "1", "5", "-dash2.bin")
    assert r.rc == USAGE, r
    assert not (fault.cli.home / "-dash2.bin").exists()


# ---- keygen ------------------------------------------------------------------

PASSPHRASE = "paths passphrase 7"


def test_cli_paths__keygen_without_terminal_or_stdin_flag_makes_nothing(cli):
    r = cli.run("keygen")
    assert r.rc == USAGE, r
    assert r.err == ("sitecare: no terminal to ask for the passphrase "
                     "(use --passphrase-stdin)\n"), r
    assert not any((cli.home / "data").rglob("*.key")), list((cli.home / "data").rglob("*"))


def test_cli_paths__keygen_keeps_an_existing_key_without_force(cli):
    """Not signed in: the key is made, not registered; a second keygen
    keeps it, byte for byte."""
    r = cli.run("keygen", "--passphrase-stdin", input=PASSPHRASE + "\n")
    assert r.rc == FAILED, r
    assert r.out.startswith("key file: "), r
    assert "the key is saved but not registered" in r.err, r
    path = r.out.splitlines()[0].removeprefix("key file: ")
    before = open(path, "rb").read()
    r = cli.run("keygen", "--passphrase-stdin", input=PASSPHRASE + "\n")
    assert r.rc == FAILED, r
    assert r.err.startswith(f"sitecare: a key already exists at {path}: give --force"), r
    assert open(path, "rb").read() == before


def test_cli_paths__keygen_data_folder_under_a_file(cli, tmp_path):
    (tmp_path / "plain").write_text("x\n")
    r = cli.run("keygen", "--passphrase-stdin", input=PASSPHRASE + "\n",
                env={"XDG_DATA_HOME": str(tmp_path / "plain" / "data")})
    assert r.rc == FAILED, r
    assert f"{tmp_path}/plain/data" in r.err and "Not a directory" in r.err, r
    assert r.out == ""


def test_cli_paths__keygen_service_answering_another_key_is_not_registered(fault):
    fault_login(fault)
    fault.script("/api/v1/me/public-key", (200, {}, dict(ME, public_key="b3RoZXI=")))
    r = fault.cli.run("keygen", "--passphrase-stdin", "--password-stdin",
                      input=PASSPHRASE + "\npw\n")
    assert r.rc == FAILED, r
    assert "the service answered with another public key" in r.err, r
    assert "the key is saved but not registered" in r.err, r
    sent = json.loads(fault.seen("/api/v1/me/public-key")[0].body)
    assert f"public key: {sent['public_key']}\n" in r.out, (r, sent)


# ---- the outbox on disk --------------------------------------------------------

def test_cli_paths__unreadable_outbox_file_set_aside_and_named(cli_for, service):
    down = cli_for(closed_port_url(), service.ca)
    assert down.run("reply", "5", "kept").rc == FAILED
    [item] = down.state_dir.glob("outbox/*/*.json")
    bad = item.with_name("11111111-1111-4111-8111-111111111111.json")
    bad.write_text("{not json")
    bad.chmod(0o600)
    r = down.run("outbox", "list", "--json")
    assert r.rc == 0, r
    assert [json.loads(x)["body"] for x in r.out.splitlines()] == ["kept"]
    assert r.err == (f"sitecare: 1 unreadable outbox files were set aside as *.corrupt "
                     f"in {item.parent}\n"), r
    assert not bad.exists()
    assert bad.with_name(bad.name + ".corrupt").read_text() == "{not json"


def test_cli_paths__state_folder_under_a_file__every_command_says_why(fault, tmp_path):
    """No state folder (cookie jar, outbox): each command names the folder
    it cannot make and sends nothing."""
    (tmp_path / "plain").write_text("x\n")
    env = {"XDG_STATE_HOME": str(tmp_path / "plain" / "state")}
    r = fault.cli.run("outbox", "list", env=env)
    assert r.rc == FAILED, r
    assert r.err == (f"sitecare: cannot create {tmp_path}/plain/state/sitecare/outbox: "
                     "Not a directory\n"), r
    for args in (("reply", "5", "nowhere to keep it"), ("outbox", "flush"), ("events",),
                 ("attachment", "list", "1"), ("logout",),
                 ("login", "--email", ME["email"], "--password-stdin")):
        r = fault.cli.run(*args, env=env, input="pw\n")
        assert r.rc == USAGE, (args, r)
        assert f"cannot create {tmp_path}/plain/state/sitecare" in r.err, (args, r)
    assert fault.requests == []


def test_cli_paths__outbox_folder_a_file__reply_and_flush_refuse(fault):
    """The session's folder is fine but its outbox is a file: reply and
    flush say so and send nothing."""
    fault.cli.state_dir.mkdir(parents=True)
    (fault.cli.state_dir / "outbox").write_text("x\n")
    for args in (("reply", "5", "hi"), ("outbox", "flush")):
        r = fault.cli.run(*args)
        assert r.rc == USAGE, (args, r)
        assert f"{fault.cli.state_dir}/outbox" in r.err, (args, r)
    assert fault.requests == []


def test_cli_paths__reply_is_quiet_about_other_conversations_retries(fault):
    """An item for conversation 5 still failing is tried again when a reply
    to 6 goes out, but the reply's output is about its own item only."""
    fault.script("/api/v1/me", (200, {}, ME))
    fault.script("/api/v1/conversations/5/messages", UNAVAILABLE)
    fault.script("/api/v1/conversations/6/messages", message_answer(6, "six", 104))
    assert fault.cli.run("reply", "5", "five").rc == FAILED
    [five] = [json.loads(x) for x in fault.cli.run("outbox", "list", "--json").out.splitlines()]
    tried = fault.count("/api/v1/conversations/5/messages")
    r = fault.cli.run("reply", "6", "six")
    assert r.rc == 0, r
    assert json.loads(r.out)["id"] == 104, r
    assert five["id"] not in r.err, r
    assert fault.count("/api/v1/conversations/5/messages") > tried

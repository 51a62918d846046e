"""Messages that are never cut (issue #16): the sign-in form's error,
the status line, the too-small notice, the session's log (:messages),
terminals that cannot be drawn on, and refusals in the member's terms."""

import re
import subprocess

import pytest

from e2e.test_frame import sign_in
from e2e.tmux import Terminal
from helpers.hostile_server import make_certificates

PASSWORD = "sitecare-demo"
TIME = re.compile(r"^\s*\d\d:\d\d:\d\d  ")


def status(screen):
    return screen.splitlines()[-1]


def printed(t):
    """What a program that drew no screen printed: the pane with its
    history, wrapped lines joined."""
    return t._tmux("capture-pane", "-p", "-J", "-S", "-100", "-t",
                   "t:0").stdout


def command(t, line):
    t.send(":")
    t.type(line)
    t.send("Enter")


@pytest.fixture(scope="module")
def other_ca(tmp_path_factory):
    """A CA that did not sign the service's certificate."""
    return make_certificates(tmp_path_factory.mktemp("other-ca")) / "ca.pem"


def test_messages__login_form__untrusted_certificate_wrapped_in_full(
        tui, other_ca):
    t = Terminal([tui.bin, "--url", tui.service.url, "--ca-file",
                  str(other_ca)], env=tui.env, width=120, height=30)
    tui.terminals.append(t)
    sign_in(t, "admin@example.com", PASSWORD)
    screen = t.wait_text("not trusted")
    rows = [ln.strip() for ln in screen.splitlines()]
    start = next(i for i, ln in enumerate(rows)
                 if ln.startswith("the server's certificate is not trusted"))
    # The error's lines: from its first to the blank row under it (the
    # hint bar further down is not part of it).
    end = rows.index("", start)
    lines = rows[:end]
    error = " ".join(lines[start:])
    # The advice at its end is there, and nothing was cut.
    assert error.endswith("; check --ca-file"), screen
    assert "\u2026" not in error
    # Wider than the form's 56 columns, and over more than one line when
    # it needs them.
    assert max(len(ln) for ln in lines[start:]) > 56


def test_messages__status_line__long_notice_takes_the_line_and_points_to_log(
        tui):
    t = tui.open(width=80, height=24, signed_in="admin")
    t.wait_text("(admin)")
    command(t, "frobnicate-" + "x" * 70)
    screen = t.wait_text("unknown command")
    line = status(screen).rstrip()
    # The notice has the whole line: it starts at the left edge...
    assert line.startswith(" unknown command: frobnicate-xxxx"), line
    assert "(admin)" not in line
    # ...and, still too long, ends with where to read all of it.
    assert line.endswith("\u2026 (:messages)"), line
    assert len(line) <= 80


def test_messages__status_line__short_notice_beside_who(tui):
    t = tui.open(width=100, height=24, signed_in="admin")
    t.wait_text("(admin)")
    command(t, "frob")
    screen = t.wait_text("unknown command: frob")
    line = status(screen)
    assert "(admin)" in line and "(see :help)" in line
    assert ":messages" not in line


def test_messages__too_small__says_it_in_words_that_fit(tui):
    t = tui.open(signed_in="admin")
    t.wait_text("(admin)")
    t.resize(30, 8)
    screen = t.wait_text("too small")
    lines = [ln.strip() for ln in screen.splitlines() if ln.strip()]
    assert "terminal too small" in lines
    assert "30x8" in lines
    assert "need 40x10" in lines
    t.resize(80, 24)
    t.wait_text("(admin)")
    t.resize(40, 9)
    screen = t.wait_text("too small")
    assert "terminal too small (40x9, need 40x10)" in screen


def test_messages__log__every_message_in_full_newest_last(tui):
    t = tui.open(width=80, height=24)
    # A form error, then a sign-in: the log has both ways of saying.
    sign_in(t, "admin@example.com", "not-the-password")
    t.wait_text("Wrong email or password")
    # The password field is emptied and keeps the cursor.
    t.type(PASSWORD)
    t.send("Enter")
    t.wait_text("(admin)")
    command(t, "frobnicate-" + "x" * 70)
    t.wait_text("(:messages)")
    command(t, "frob-second")
    t.wait_text("unknown command: frob-second")
    command(t, "messages")
    screen = t.wait_text("Messages of this session")
    body = screen.splitlines()
    # Each message with its time; the long one wrapped, not cut.
    stamped = [ln for ln in body if TIME.match(ln)]
    assert any("Wrong email or password" in ln for ln in stamped), screen
    # The long one in full, over its lines (the name as the parser
    # quotes it: its first 64 characters).
    long_at = next(i for i, ln in enumerate(body)
                   if TIME.match(ln) and "unknown command:" in ln
                   and "frob-second" not in ln)
    entry = [body[long_at][10:].strip()]
    for ln in body[long_at + 1:]:
        if not ln.startswith(" " * 11) or not ln.strip():
            break
        entry.append(ln.strip())
    assert len(entry) > 1, screen
    assert " ".join(entry) == ("unknown command: frobnicate-" + "x" * 53 +
                               " (see :help)"), screen
    assert "\u2026" not in "\n".join(body[:-1])
    # Newest last.
    order = [i for i, ln in enumerate(body[:-1])
             if "Wrong email" in ln or "frobnicate-" in ln
             or "frob-second" in ln]
    assert [("Wrong" in body[i], "frobn" in body[i], "second" in body[i])
            for i in order] == [(True, False, False), (False, True, False),
                                (False, False, True)]
    t.send("Escape")
    t.wait_gone("Messages of this session")


def test_messages__log__scrolls_and_opens_at_the_newest(tui):
    t = tui.open(width=80, height=12, signed_in="admin")
    t.wait_text("(admin)")
    for i in range(12):
        command(t, f"nosuch{i:02d}")
        t.wait_text(f"unknown command: nosuch{i:02d}")
    command(t, "messages")
    screen = t.wait_text("Messages of this session")
    page = "\n".join(screen.splitlines()[:-1])  # not the status line
    assert "nosuch11" in page and "nosuch00" not in page
    t.send("g")
    screen = t.wait_text("nosuch00")
    assert "nosuch11" not in "\n".join(screen.splitlines()[:-1])


@pytest.mark.parametrize("term,says", [
    ("dumb", "this terminal (TERM=dumb) cannot address the cursor"),
    ("no-such-terminal", "this terminal (TERM=no-such-terminal) is not "
                         "known here"),
])
def test_messages__term_cannot_draw__says_so_and_exits_2(tui, term, says):
    t = Terminal([tui.bin, *tui.flags()], env={**tui.env, "TERM": term},
                 width=120, height=10)
    tui.terminals.append(t)
    assert t.wait_exit() == 2
    said = printed(t)
    assert says in said, said
    assert "set TERM to your terminal's type, such as xterm-256color" in said


def test_messages__term_dumb__subcommands_still_work(tui):
    tui.login("admin")
    t = Terminal([tui.bin, "whoami"], env={**tui.env, "TERM": "dumb"},
                 width=100, height=10)
    tui.terminals.append(t)
    assert t.wait_exit() == 0
    assert "admin@example.com" in printed(t)
    r = subprocess.run([tui.bin, "outbox"], capture_output=True, text=True,
                       env={**tui.env, "TERM": "dumb",
                            "PATH": "/usr/bin:/bin"}, timeout=60)
    assert r.returncode == 0, r.stderr


def test_messages__refusal__speaks_of_the_key_not_the_action(tui):
    t = tui.open(width=100, height=24, signed_in="admin")
    t.wait_text("(admin)")
    t.send("2")
    t.wait_for(lambda s: "Chat" in s.splitlines()[0], what="chat pane")
    t.send("U")
    screen = t.wait_text("does nothing in Chat")
    line = status(screen)
    assert "U (assign to nobody) does nothing in Chat" in line, line
    assert "unassign" not in line
    t.send("Escape")
    screen = t.wait_text("Escape (clear every mark) does nothing in Chat")
    assert "unmark-all" not in status(screen)
    # Typed as a command, it is said as it was typed.
    command(t, "unmark-all")
    t.wait_text(":unmark-all does nothing in Chat")

"""What the client writes to its terminal for a key: only what changed.

The real binary in a pseudo-terminal at 120x40 (TERM xterm-256color),
against the session's reference service, every byte it writes read from
the master side (the bench's Pty, tests/bench/bench.py). Byte counts,
not times: with a fixed size, TERM and data they are deterministic. A
key that changes nothing writes nothing at all; a move of the cursor
between two rows on screen rewrites those two rows and nothing else,
with no attribute change for a cell that shows nothing (the blank mark
column).

Under strace (`traced`), the write()s themselves are counted: a frame
goes to the terminal in one write() where ncurses' buffer holds it (a
whole screen, (rows + 2) x (cols + 6) bytes), not split at every
cursor move.
"""

import os
import re
import signal
import sys
import time

import pytest

from helpers import ROOT

# As test_bench_filling: the bench's folder on the path, bench.py as
# the module `bench` (one name for it in the whole pytest process).
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from bench import COLS, Pty  # noqa: E402
from integration.cli import MEMCHECK, scaled  # noqa: E402

# Cursor addressing: CUP (row;colH) and VPA (rowd), 1-based rows.
CUP = re.compile(rb"\x1b\[(\d+)(?:;\d+)?[Hd]")
CSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b\([B0]")
# The cursor parked at the end of a frame, attributes reset.
PARK = re.compile(rb"\x1b\[\d+;\d+H(?:\x1b\(B\x1b\[m)?$")
# The pane's first list line: the tab bar, then the column header.
FIRST_ROW = 3
# ncurses' full attribute set (sgr) and reset (sgr0) for xterm: sent
# whenever bold, dim or reverse goes off, as a terminal has no "bold off".
# A colour change is one short SGR (\x1b[31m, \x1b[39m) instead.
FULL_SGR = re.compile(rb"\x1b\(B\x1b\[[0-9;]*m")
PAGE_DOWN = b"\x1b[6~"


def client_env(cli):
    """The signed-in client's environment, traced (SITECARE_TRACE)."""
    if MEMCHECK.enabled:
        pytest.skip("counts a plain run's bytes; the walk covers memcheck")
    assert cli.login("admin@example.com").rc == 0
    env = {k: v for k, v in cli.env().items()
           if k in ("HOME", "PATH") or k.startswith(("XDG_", "LC_"))}
    env.update(TERM="xterm-256color", LANG="C.UTF-8",
               SITECARE_TRACE=str(cli.home / "trace"))
    return env


@pytest.fixture
def client(cli):
    p = Pty(cli.bare_argv([]), client_env(cli))
    try:
        # Start-up's fetches: the first page of tasks, then the unread
        # and the recent conversations (the tab's and status's count).
        settled(p, cli.home / "trace", scaled(30))
        yield p
    finally:
        p.close()


class Syscalls:
    """The client's write()s to the terminal, as strace logged them."""

    # "PID write(1, ""..., 384)    = 384": -s 0 leaves the text out.
    WRITE = re.compile(rb"^\d+ +write\(1, .*\) += (\d+)$", re.M)

    def __init__(self, path):
        self.path = path
        self.pos = 0

    def mark(self):
        self.pos = self.path.stat().st_size if self.path.exists() else 0

    def writes(self, total, timeout):
        """The sizes of the writes since mark(), once they add up to
        total bytes (strace logs each as it returns)."""
        deadline = time.monotonic() + timeout
        while True:
            with open(self.path, "rb") as f:
                f.seek(self.pos)
                sizes = [int(n) for n in self.WRITE.findall(f.read())]
            if sum(sizes) >= total or time.monotonic() > deadline:
                return sizes
            time.sleep(0.02)  # poll interval, the deadline above decides


@pytest.fixture
def traced(cli, tmp_path):
    """(client, its write()s): the client under strace -f."""
    log = tmp_path / "strace"
    p = Pty(["/usr/bin/strace", "-f", "-qq", "-s", "0", "-e", "trace=write",
             "-e", "signal=none", "-o", str(log), *cli.bare_argv([])],
            client_env(cli))
    try:
        settled(p, cli.home / "trace", scaled(60))
        yield p, Syscalls(log)
    finally:
        end_traced(p)


def traced_children(pid):
    """The ids of the processes strace (pid) started."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(c) for c in f.read().split()]
    except OSError:
        return []


def end_traced(p):
    """Ends strace's client, then strace: strace leaves its tracee
    running when it is signalled itself, so the client goes first, by
    its own id."""
    for pid in traced_children(p.pid):
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            pass
    p.close()


def settled(p, trace, timeout):
    """Waits until start-up's pages are in and drawn (SITECARE_TRACE)."""
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        text = trace.read_text() if trace.exists() else ""
        # Every page of tasks asked for is in (the first page is small:
        # the next one is asked as soon as it is drawn).
        pages = text.count("tasks.page n=")
        if (pages >= 1 and pages == text.count("tasks.fetch ") and
                text.count("GET /api/v1/conversations 200") >= 2):
            p.quiet(500)
            return
        time.sleep(0.05)  # poll interval, the deadline above decides
    raise AssertionError(f"start-up did not settle: {text[-1500:]}")


def written(p, key):
    """The bytes the client wrote for key, once it is quiet again."""
    p.quiet(150)
    before = p.size()
    p.send(key)
    p.quiet(300)
    with p.lock:
        return bytes(p.out[before:])


def test_draw__keys_that_change_nothing__write_nothing(client):
    # k and g on the first row; Z is bound to nothing.
    for key in (b"k", b"g", b"Z", b"k"):
        out = written(client, key)
        assert out == b"", (key, out)


def test_draw__row_move__rewrites_only_the_two_rows(client):
    out = written(client, b"j")
    # Where the cursor is left at the end (the status line) writes nothing.
    drawn = PARK.sub(b"", out)
    rows = {int(m.group(1)) for m in CUP.finditer(drawn)}
    assert rows <= {FIRST_ROW, FIRST_ROW + 1}, (rows, out)
    text = CSI.sub(b"", out).replace(b"\r", b"").replace(b"\n", b"")
    # Each row's text once, at most the width (\x1b[K may end a row).
    assert 0 < len(text) <= 2 * COLS, out
    # Back up: the same two rows, the same bytes give or take a cursor move.
    assert abs(len(written(client, b"k")) - len(out)) <= 16


def test_draw__row_move__no_attributes_for_a_blank_mark(client):
    out = written(client, b"j")
    # Each row starts at column 1 with its blank mark cell: in the row's
    # own attributes, so no colour is set before it (the mark column's
    # magenta, THEME_MARKED, is for a "+" only).
    assert b"\x1b[35m " not in out, out
    assert len(out) <= 420, out


def test_draw__row_move__colours_without_resets(client):
    # A row's priority and status are colours (theme.h) and the cursor
    # row is one span of reverse video: a move sets the attributes in
    # full only to enter the reverse row, to leave it and at the end.
    # (da33ae3 sent 10 for a j: bold and dim on and off around cells.)
    for key in (b"j", b"k"):
        out = written(client, key)
        assert len(FULL_SGR.findall(out)) <= 3, (key, out)


def test_draw__row_move__at_most_300_bytes(client):
    # The demo data's first two rows, 120 columns: 278 bytes; da33ae3
    # wrote 392 (the bench's row at 100,000 tasks: 447 then).
    for key in (b"j", b"k"):
        out = written(client, key)
        assert len(out) <= 300, (key, len(out), out)


def test_draw__page_down__at_most_4200_bytes(client):
    # The first PageDown puts the cursor on the last row (a scroll by
    # one); the second shows a new page of 36 rows: 3,888 bytes, where
    # da33ae3 wrote 5,107.
    written(client, PAGE_DOWN)
    out = written(client, PAGE_DOWN)
    assert len(CUP.findall(out)) > 20, out  # a new page, not a scroll
    assert len(out) <= 4200, (len(out), out)


def test_draw__monochrome__cursor_row_in_reverse(cli):
    # NO_COLOR: no colour pairs, so the cursor row stays reverse video
    # (and priorities bold), as before.
    env = client_env(cli)
    env["NO_COLOR"] = "1"
    p = Pty(cli.bare_argv([]), env)
    try:
        settled(p, cli.home / "trace", scaled(30))
        out = written(p, b"j")
    finally:
        p.close()
    # No colour: no SGR parameter from 30 to 49.
    assert not re.search(rb"\x1b\[(?:\d*;)*[34]\d(?:;\d*)*m", out), out
    assert re.search(rb"\x1b\[[0-9;]*;7m", out), out


def test_draw__row_move__is_one_write(traced):
    p, calls = traced
    calls.mark()
    out = written(p, b"j")
    sizes = calls.writes(len(out), scaled(10))
    # One frame, one write(); ncurses flushed after every cursor move
    # (five for this frame) until it had once been left and resumed.
    assert sizes == [len(out)], (sizes, out)


def test_draw__pane_switch__writes_only_when_its_buffer_is_full(traced):
    p, calls = traced
    # Tasks to Chat (its conversations came with start-up) and back: a
    # pane seen the first time may draw twice (loading, then its rows).
    for key in (b"\t", b"1"):
        calls.mark()
        out = written(p, key)
        sizes = calls.writes(len(out), scaled(10))
        assert sum(sizes) == len(out) > 0, (key, sizes)
        # A whole pane is more than one buffer of ncurses' (42 x 126
        # bytes at 120x40): each write but the last one fills it.
        full = (40 + 2) * (COLS + 6)
        assert len(sizes) <= 1 + len(out) // full, (key, sizes)


# ---- pane switches and the no-op key (#18, round 3) ----------------------


def test_draw__tab_back_to_a_pane__writes_no_more_than_its_repaint(client):
    # Every pane once, so each has loaded what it shows.
    for key in (b"\t", b"\t", b"\t", b"\t"):
        written(client, key)
    # Tasks, unchanged since it was last shown: the switch costs at
    # most what a repaint of it (C-l) costs, never a diff of one whole
    # pane against another that writes more than the pane itself.
    written(client, b"4")
    back = written(client, b"\t")
    repaint = written(client, b"\x0c")
    assert b"Tasks" in back and repaint, (back, repaint)
    assert len(back) <= len(repaint), (len(back), len(repaint))
    # Chat: an unread row's gaps in its own bold, so the whole pane
    # costs less than the task list's repaint (the bench's yardstick).
    chat = written(client, b"\t")
    assert len(chat) < len(repaint), (len(chat), len(repaint))


def test_draw__tab_to_each_pane__writes_less_than_the_task_lists_repaint(
        client):
    # Every pane once, so each has loaded what it shows, then each again
    # from the task list: Chat, Credentials and Billing each cost less
    # than the task list's repaint (C-l, the bench's yardstick for Tab).
    # Before the lists of Credentials and Billing told mine, companies,
    # cards and statuses by colour (theme.h), and the chart drew only its
    # blocks, they wrote 5,796 and 7,895 bytes against C-l's 4,927.
    for key in (b"\t", b"\t", b"\t", b"\t"):
        written(client, key)
    repaint = written(client, b"\x0c")
    sizes = {}
    for name in ("Chat", "Credentials", "Billing"):
        out = written(client, b"\t")
        assert name.encode() in out, (name, out)
        sizes[name] = len(out)
    assert all(n < len(repaint) for n in sizes.values()), (
        sizes, len(repaint))


def test_draw__first_byte_of_a_pass__never_waits_for_more(client):
    # The pass's first byte is read in curses' blocking mode (one system
    # call less a key). A lone byte that starts no UTF-8 character (a
    # Latin-1 terminal's e acute, 0xE9) must not leave the loop blocked
    # in read() waiting for the rest: the j after it still moves the
    # cursor. (get_wch in blocking mode waited, and swallowed the j.)
    written(client, b"\xe9")
    assert written(client, b"j"), "the loop stopped after a lone 0xE9"
    # A whole UTF-8 character read first in a pass still arrives whole.
    written(client, b":")
    assert "\u00e9".encode() in written(client, "\u00e9".encode())
    written(client, b"\x1b")


class Calls:
    """Every system call of the client's main thread, as strace logged
    them (-f: the worker threads have their own ids)."""

    # "PID name(args) = result" or "PID name(args <unfinished ...>".
    LINE = re.compile(rb"^(\d+) +(\w+)\((.*)$", re.M)

    def __init__(self, path, pid):
        self.path = path
        self.pid = str(pid).encode()

    def since(self, pos):
        """(name, line) of each of the main thread's calls that began
        after pos."""
        with open(self.path, "rb") as f:
            f.seek(pos)
            text = f.read()
        return [(m.group(2).decode(), m.group(0).decode(errors="replace"))
                for m in self.LINE.finditer(text) if m.group(1) == self.pid]


def loop_wait(line):
    """Whether a poll() is the loop's wait (the terminal, the signal pipe
    and the sockets), not curses' look at the terminal alone ("[{fd=0,
    events=POLLIN}], 1, 0")."""
    return "], 1, " not in line


def key_calls(p, calls, key):
    """The calls of the loop's pass that read key, after the poll() that
    woke for it (logged as it began, before the key was sent) up to the
    loop's next wait; None when a ping of the event stream woke it too."""
    p.quiet(300)
    pos = calls.path.stat().st_size
    assert written(p, key) == b"", key
    deadline = time.monotonic() + scaled(10)
    while time.monotonic() < deadline:
        got = calls.since(pos)
        waits = [i for i, (n, line) in enumerate(got)
                 if n == "poll" and loop_wait(line)]
        if waits:
            break
        time.sleep(0.05)  # poll interval, the deadline above decides
    else:
        raise AssertionError(f"no pass for {key!r}: {got}")
    names = [n for n, _ in got[:waits[0]]]
    if "recvfrom" in names or "write" in names:
        return None, got
    return names, got


@pytest.fixture
def syscalls(cli, tmp_path):
    """(client, its system calls): the client under strace -f."""
    log = tmp_path / "strace"
    p = Pty(["/usr/bin/strace", "-f", "-qq", "-s", "0", "-e",
             "signal=none", "-o", str(log), *cli.bare_argv([])],
            client_env(cli))
    try:
        settled(p, cli.home / "trace", scaled(60))
        children = traced_children(p.pid)
        assert children, "strace started no client"
        yield p, Calls(log, children[0])
    finally:
        end_traced(p)


def test_draw__noop_key__costs_two_system_calls(syscalls):
    p, calls = syscalls
    for _ in range(5):
        # k on the first row changes nothing: after the poll() that
        # woke, the read() of the key, then the loop waits again. Not
        # curses' own poll() before its read (the loop's poll() said a
        # byte is there), nor the signal pipe's read() on every
        # wake-up, nor a poll() after the key to find nothing more (the
        # loop wakes again for a key that follows), nor any drawing.
        names, log = key_calls(p, calls, b"k")
        if names is None:
            continue  # a ping woke the loop in the same pass
        assert names == ["read"], (names, log)
        return
    pytest.fail("every k shared its pass with the event stream")

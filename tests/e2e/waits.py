"""Positive signals for "nothing happened" and "it is done now".

A fixed sleep before checking that something did not happen passes on a
slow machine for the wrong reason (the thing had not happened YET) and
costs time on a fast one. Instead each check here waits, with a deadline,
for a marker that the client can only produce AFTER the event under test
was handled: keys are read in order, so once the effect of a marker key
sent later is seen, every key sent before it has been handled and drawn.

- settled(t): a marker on the screen. A unique word typed into the
  command line is seen on the screen, then the line is cancelled; the
  screen that showed it, and any captured afterwards, show what every
  earlier key did.
- handled(t): a marker in the client's detail trace: `action redraw`
  (C-l) and the frame drawn after it. Returns the trace lines since the
  mark, so a caller can assert that no request started in between.
- raw_settled(t, raw): a marker in the pane's raw output (tmux pipe-pane):
  C-l repaints the whole screen, which starts with a clear; once that
  clear is in the file, every byte the client wrote before it is too.
"""

import time
import uuid

from e2e.tmux import ScreenTimeout

# xterm-256color's clear_screen: a full repaint (clearok) starts with it.
CLEAR = b"\x1b[H\x1b[2J"


def trace_lines(t):
    """The events of t's detail trace (timestamps dropped), in order."""
    try:
        with open(t.trace, errors="replace") as f:
            text = f.read()
    except FileNotFoundError:
        return []
    return [line.split(" ", 1)[1] for line in text.splitlines()
            if " " in line]


def poll(check, timeout, what, detail=lambda: ""):
    """Calls check until it returns something true, or fails at the
    deadline; the sleep is only the interval between tries."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise ScreenTimeout(f"timed out after {timeout}s waiting for "
                                f"{what}\n{detail()}")
        time.sleep(0.05)  # poll interval, not an outcome


def handled(t, key="C-l", action="redraw", timeout=15.0):
    """Sends key (C-l, redraw, unless a form has the keys) and waits until
    the trace shows its action run and a frame drawn after it; the trace
    lines from before the key on."""
    start = len(trace_lines(t))
    t.send(key)
    ran = f"action {action}"

    def done():
        since = trace_lines(t)[start:]
        if ran not in since:
            return None
        return since if "frame" in since[since.index(ran):] else None
    return poll(done, timeout, f"{key} handled and drawn (in the trace)",
                t.trace_tail)


def started(lines, method, path):
    """The `http.start` lines among lines for method and path (which the
    trace gives without a query string)."""
    return [line for line in lines if line.startswith("http.start ") and
            line.split()[2:4] == [method, path]]


def settled(t, timeout=15.0):
    """Types a unique word into the command line, waits to see it drawn,
    then cancels the line and waits for it gone: every key sent before
    has been handled and its effect is on the screen. Returns the screen
    that showed the word: had an earlier key opened a prompt, the word
    went into it, and that screen shows the prompt (Escape then closes
    it)."""
    word = "settle" + uuid.uuid4().hex[:8]
    t.send(":")
    t.type(word)
    screen = t.wait_text(word, timeout)
    t.send("Escape")
    t.wait_gone(word, timeout)
    return screen


def raw_settled(t, raw, timeout=15.0):
    """Waits until the pane's raw output (raw, a pipe-pane file) holds
    everything the client wrote before now; the output then."""
    start = len(raw.read_bytes())
    handled(t, timeout=timeout)
    return poll(lambda: CLEAR in raw.read_bytes()[start:] and
                raw.read_bytes(), timeout,
                "the repaint of C-l in the pane's raw output")

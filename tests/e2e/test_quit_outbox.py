"""`q` with a reply still in the outbox (#16 item 7): asks when the reply
was typed moments ago, and says what waits once the terminal is back."""

import re
import time
import uuid

from e2e.test_chat import open_chat, open_conversation
from e2e.test_offline_start import own  # noqa: F401

WAITING = ("sitecare: 1 reply waiting in the outbox: it will be sent next "
           "time, or by `sitecare outbox flush`")
QUESTION = "Quit with a reply not sent yet?"


def said_after_exit(t, text, timeout=10.0):
    """Waits for text on the dead pane, its history included: the line
    printed at the bottom row scrolls up when tmux says the pane died."""
    deadline = time.monotonic() + timeout
    while True:
        out = t._tmux("capture-pane", "-p", "-S", "-100", "-t", "t:0").stdout
        if text in out:
            return out
        assert time.monotonic() < deadline, f"{text!r} not said:\n{out}"
        time.sleep(0.1)  # poll interval, the deadline above decides


def reply_waiting(svc, tui):
    """Opens Carla's conversation, stops the service and replies: the
    terminal with the reply pending in the outbox, and when it was typed."""
    t = open_chat(tui)
    open_conversation(t)
    svc.stop()
    t.wait_for(lambda s: "reconnecting" in s or "offline" in s,
               timeout=30, what="the client noticing")
    t.send("r")
    t.wait_text("reply to Carla Client:")
    t.type("waiting reply " + uuid.uuid4().hex[:6])
    t.send("Enter")
    typed = time.monotonic()
    t.wait_for(lambda s: re.search(
        r"you\s+(pending|sending\.\.\.|waiting to retry)", s),
        what="the reply pending")
    return t, typed


def test_quit_outbox__fresh_reply__asks_then_says_what_waits(
        own):  # noqa: F811
    svc, tui = own
    t, typed = reply_waiting(svc, tui)
    # Typed a moment ago: q asks, and n stays.
    t.send("q")
    screen = t.wait_text(QUESTION)
    assert "1 reply waiting in the outbox" in screen
    t.send("n")
    t.wait_gone(QUESTION)
    assert t.exit_status() is None
    # Once it is older, q quits without asking; the line stays on
    # the terminal after the interface is gone.
    # Not a wait for an outcome: the reply is made older than the 10 s
    # the client asks about, by the clock (nothing to poll for).
    time.sleep(max(0.0, typed + 11 - time.monotonic()))
    t.send("q")
    assert t.wait_exit() == 0
    said_after_exit(t, WAITING)


def quit_yes(t):
    """q, then y to the question: quits, saying what waits."""
    t.send("q")
    t.wait_text(QUESTION)
    t.send("y")
    assert t.wait_exit() == 0
    said_after_exit(t, WAITING)

def test_quit_outbox__fresh_reply__y_quits_and_says(
        own):  # noqa: F811
    svc, tui = own
    t, _ = reply_waiting(svc, tui)
    quit_yes(t)

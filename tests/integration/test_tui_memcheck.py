"""The interface itself, walked through every pane in tmux, so that the
valgrind pass (`make check VALGRIND=1`) runs it under memcheck too.

The terminal tests (tests/e2e) run the interface from the release and the
ASan + UBSan builds; memcheck adds what those miss, such as a branch on
memory never written. This one walk is what the valgrind pass gives the
interface: under memcheck each step takes seconds, so all of tests/e2e
would not fit in CI's time. Outside that pass the walk runs on the plain
binary. A memcheck error makes the program exit 99, and the report fails
the test too (conftest.py).
"""

from e2e.test_task_queue import rows
from e2e.tmux import Terminal
from integration.cli import MEMCHECK, scaled


def test_tui__memcheck__every_pane_then_quit(cli, service):
    assert cli.login("admin@example.com").rc == 0
    env = {k: v for k, v in cli.env().items()
           if k == "HOME" or k.startswith("XDG_")}
    t = Terminal(MEMCHECK.argv(cli.bare_argv([])), env=env, width=120,
                 height=35)
    try:
        walk(t)
        t.send("q")
        assert t.wait_exit(timeout=scaled(30)) == 0
    finally:
        t.close()


def walk(t):
    """Tasks, a task's detail, a conversation, credentials, billing, help
    and the command line: each drawn, each with its data from the
    service."""
    wait = scaled(20)
    screen = t.wait_for(lambda s: "(admin)" in s and len(rows(s)) > 3,
                        timeout=wait, what="the task queue")
    tid = rows(screen)[0][1]
    t.send("Enter")
    t.wait_for(lambda s: f"#{tid}  " in s and "Comments (" in s,
               timeout=wait, what="the task's detail")
    t.send("Escape")
    t.wait_gone("Comments (", timeout=wait)
    t.send("2")
    t.wait_for(lambda s: "LAST MESSAGE" in s and "loading" not in s,
               timeout=wait, what="the conversations")
    t.send("Enter")
    t.wait_for(lambda s: "Chat with" in s and "loading" not in s,
               timeout=wait, what="a conversation")
    t.send("Escape")
    t.wait_gone("Chat with", timeout=wait)  # not Alt-3
    t.send("3")
    t.wait_for(lambda s: "Clients (* assigned to you)" in s and
               "loading" not in s, timeout=wait, what="the clients")
    t.send("4")
    t.wait_for(lambda s: "[Subscriptions]" in s and "MRR" in s and
               "loading" not in s, timeout=wait, what="billing")
    t.send("v")
    t.wait_text("[Invoices]", timeout=wait)
    t.send("?")
    t.wait_text("Escape or q closes", timeout=wait)
    t.send("Escape")
    t.wait_gone("Escape or q closes", timeout=wait)
    t.send(":")
    t.type("filter status=failed")
    t.send("Enter")
    t.wait_text("status=failed", timeout=wait)

"""The task queue in a real terminal: list, move, filter, search, detail, live.

Runs the real binary in tmux at 100x30 against the session's reference
service (demo data), signed in as admin from the command line first.
"""

import re
import subprocess
import time
import uuid

ROW = re.compile(r"^ ?([*+])?\s+(urgent|high|normal|low)\s+(\d+)\s")
# An SGR sequence that turns on a yellow background (THEME_MATCH) or, on a
# monochrome terminal, underline, then the text.
MATCH = r"\x1b\[[0-9;]*(?:43|4)m(?:\x1b\[[0-9;]*m)*{}"


def rows(screen):
    """[(mark, id, line)] for the task rows on the screen, top to bottom."""
    out = []
    for line in screen.splitlines():
        m = ROW.match(line)
        if m:
            out.append((m.group(1) or "", int(m.group(3)), line))
    return out


def styled(t):
    """The screen with its attributes, as escape sequences."""
    return subprocess.run(["tmux", "-L", t.socket, "capture-pane", "-p", "-e",
                           "-t", "t"], capture_output=True, text=True,
                          check=True).stdout


def selected_id(t):
    """The id of the row drawn in reverse video (the cursor's row)."""
    for line in styled(t).splitlines():
        plain = re.sub(r"\x1b\[[0-9;]*m", "", line)
        m = ROW.match(plain)
        # Reverse video: SGR 7, alone or among other parameters.
        if m and re.match(r"^(?:\x1b\[[0-9;]*m)*\x1b\[(?:[0-9;]*;)?7[;m]",
                          line):
            return int(m.group(3))
    return None



def cursor_to(t, tid, timeout=20.0):
    """Moves the cursor down with `j` until task tid's row is selected
    (tid already among the rows below it)."""
    deadline = time.monotonic() + timeout
    while selected_id(t) != tid:
        assert time.monotonic() < deadline, \
            f"the cursor never reached #{tid}"
        t.send("j")
        time.sleep(0.05)  # paces the keys; the deadline above decides

def command(t, text):
    t.send(":")
    t.type(text)
    t.send("Enter")


def open_queue(tui, width=100, height=30):
    t = tui.open(width=width, height=height, signed_in="admin")
    t.wait_for(lambda s: len(rows(s)) > 5, timeout=20, what="task rows")
    return t


def test_task_queue__list__shows_columns_and_rows(tui):
    # The frame without the hint bar (`hints = off`): every row between
    # the header and the footer is a task. test_help_hints.py counts the
    # rows with the bar.
    cfg = tui.home / "cfg" / "sitecare"
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "config").write_text("hints = off\n")
    t = open_queue(tui)
    screen = t.screen()
    lines = screen.splitlines()
    for word in ("PRIO", "ID", "CLIENT", "TITLE", "STATUS", "AGE", "DUE"):
        assert word in lines[1]
    # The default view is open work, the server's order: urgent first.
    assert "status=new,in_progress,waiting_on_client" in screen
    shown = rows(screen)
    assert len(shown) == 30 - 4  # tab bar, header, footer, status line
    assert "urgent" in shown[0][2]
    for _, _, line in shown:
        assert " done " not in line and " cancel" not in line
        assert len(line) <= 100
    assert selected_id(t) == shown[0][1]


def test_task_queue__move__j_and_k_move_the_cursor(tui):
    t = open_queue(tui)
    ids = [i for _, i, _ in rows(t.screen())]
    t.send("j")
    t.send("j")
    t.wait_for(lambda s: selected_id(t) == ids[2], what="third row selected")
    t.send("k")
    t.wait_for(lambda s: selected_id(t) == ids[1], what="second row selected")


def test_task_queue__filter__status_done_refetches(tui):
    t = open_queue(tui)
    command(t, "filter status=done")
    t.wait_for(lambda s: "status=done |" in s and "loading" not in s,
               what="the done tasks")
    screen = t.wait_for(lambda s: rows(s) and all(" done " in r[2]
                                                  for r in rows(s)),
                        what="only done tasks")
    assert len(rows(screen)) > 5
    command(t, "filter status=bogus")
    screen = t.wait_text("unknown status: bogus")
    # A bad filter changes nothing.
    assert "status=done |" in screen


def test_task_queue__filter__empty_result_says_so(tui):
    t = open_queue(tui)
    command(t, "filter client=999999")
    t.wait_text("no tasks match: status=new,in_progress,waiting_on_client, "
                "client=999999")


def test_task_queue__search__server_side_and_highlighted(tui):
    t = open_queue(tui)
    t.send("/")
    t.type("hero")
    t.send("Enter")
    t.wait_text("q=hero |")
    screen = t.wait_for(lambda s: rows(s) and all(
        "hero" in r[2].lower() for r in rows(s)), what="only hero tasks")
    assert len(rows(screen)) >= 2
    highlighted = [line for line in styled(t).splitlines()
                   if re.search(MATCH.format("hero"), line)]
    assert len(highlighted) == len(rows(screen))


def task_with_internal_comment(service, ids):
    """The first of ids whose detail has an internal comment, and it."""
    s = service.session()
    r = s.login("admin@example.com", "sitecare-demo")
    assert r.status == 200, r
    for tid in ids:
        d = s.get(f"/tasks/{tid}")
        assert d.status == 200, d
        internal = [c for c in d.data["comments"] if c["internal"]]
        if internal:
            return tid, internal[0]
    raise AssertionError(f"no task among {ids} has an internal comment")


def test_task_queue__detail__comments_marked_and_back_to_same_row(
        tui, service):
    t = open_queue(tui)
    ids = [i for _, i, _ in rows(t.screen())]
    tid, comment = task_with_internal_comment(service, ids)
    for _ in range(ids.index(tid)):
        t.send("j")
    t.wait_for(lambda s: selected_id(t) == tid, what=f"task {tid} selected")
    t.send("Enter")
    screen = t.wait_text(f"#{tid}  ")
    assert "Status" in screen and "Priority" in screen
    screen = t.wait_text("Comments (")
    # Page down until the internal comment shows (long descriptions).
    for _ in range(10):
        if "[INTERNAL]" in screen:
            break
        t.send("NPage")
        screen = t.wait_for(lambda s, old=screen: s != old, what="scrolling")
    assert "[INTERNAL] " + comment["author"]["name"] in screen
    assert "Esc back" in screen
    t.send("Escape")
    t.wait_text("TITLE")
    t.wait_for(lambda s: selected_id(t) == tid, what="same row after Escape")


def test_task_queue__live__new_urgent_task_appears_without_moving_cursor(
        tui, service):
    t = open_queue(tui)
    # Newest first, so the new task belongs at the top of the screen.
    command(t, "sort -created_at")
    # The old rows stay until the new first page is in.
    t.wait_for(lambda s: "sort -created_at |" in s and "loading" not in s,
               what="the newest-first page")
    # The cursor stays near its task, which may be anywhere: to the top.
    t.send("g")
    t.send("j")
    t.wait_for(lambda s: selected_id(t) == rows(s)[1][1],
               what="second row selected")
    before = selected_id(t)
    title = f"Live urgent {uuid.uuid4().hex[:8]}"
    created = service.ctl("create-task", "--client-id", "1", "--title", title,
                          "--priority", "urgent")
    new_id = created["task"]["id"]
    screen = t.wait_text(title, timeout=20)
    top = rows(screen)[0]
    assert top[1] == new_id
    assert top[0] == "*"  # marked until seen
    assert selected_id(t) == before
    # Reaching it marks it seen.
    t.send("g")
    t.wait_for(lambda s: rows(s)[0][0] == "", what="mark cleared")

"""A queue of several pages (#18): pages of 500 fetched ahead of the
cursor, and `G` showing the end at once while the gap fills behind.

Runs the real binary in tmux against a throwaway service seeded with
3,000 tasks (about 1,800 open: four pages of 500), with the client's
trace on (SITECARE_TRACE): the requests are asserted through the trace's
`tasks.fetch` and `tasks.page` events, never through time. The expected
orders come from the service itself, walked through the API.
"""

import re
import time

import pytest

from conftest import Accounts, _cleanup, _new_state
from e2e.conftest import tui_on
from e2e.test_task_queue import command, rows, selected_id
from helpers.service import Service

OPEN = {"status": "new,in_progress,waiting_on_client"}
PAGE = 500
FIRST_PAGE = 100  # a query's first page: the first frame waits for it


@pytest.fixture(scope="module")
def big():
    svc = Service(_new_state("sitecare-load-"), seed="demo",
                  extra_args=["--tasks", "3000"])
    try:
        svc.start()
        yield svc
    finally:
        _cleanup(svc)


tui_big = tui_on("big")


def events(trace):
    """The trace's events, in order, without their times."""
    try:
        text = trace.read_text()
    except FileNotFoundError:
        return []
    return [line.split(" ", 1)[1] for line in text.splitlines()
            if " " in line]


def wait_event(trace, pred, what, timeout=30.0):
    """Polls the trace until an event matches pred; the events then."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        evs = events(trace)
        if any(pred(e) for e in evs):
            return evs
        time.sleep(0.05)  # poll interval, the deadline above decides
    raise AssertionError(f"no {what} in the trace:\n" +
                         "\n".join(events(trace)[-30:]))


def ids_in_order(service, **params):
    """Every open task's id in the service's order for params."""
    api = Accounts(service).staff("admin")
    return [x["id"] for x in api.all("/tasks", params={**OPEN, **params})]


def open_traced(tui, tmp_path):
    """The queue at 100x30 with the trace on; (terminal, trace path)."""
    trace = tmp_path / "trace"
    tui.env["SITECARE_TRACE"] = str(trace)
    t = tui.open(width=100, height=30, signed_in="admin")
    t.wait_for(lambda s: len(rows(s)) > 5, timeout=30, what="task rows")
    return t, trace


def first_pages(trace):
    """The trace's first pages (a load or a reload), in order."""
    return [e for e in events(trace)
            if e.startswith("tasks.page") and "first=1" in e]


def above(screen):
    """The footer's count of rows scrolled off the top (0: none said)."""
    m = re.search(r"\| (\d+) above", screen)
    return int(m.group(1)) if m else 0


def test_task_queue_load__G__end_at_once_then_every_task_once_in_order(
        tui_big, big, tmp_path):
    order = ids_in_order(big, sort="created_at")
    assert len(order) > 3 * PAGE
    t, trace = open_traced(tui_big, tmp_path)
    command(t, "sort created_at")
    deadline = time.monotonic() + 30
    while len(first_pages(trace)) < 2:
        assert time.monotonic() < deadline, events(trace)
        time.sleep(0.05)  # poll interval, the deadline above decides
    t.wait_for(lambda s: "sort created_at |" in s, what="the created_at order")
    start = len(events(trace))
    # The head's pages (sort=created_at) are held back until the cursor
    # is on the last task: with 1,100 rows in before G, the head could
    # otherwise reach the end before the tail's page (a slow client, as
    # under the sanitizer), and the cursor would land there by walking.
    big.ctl("delay", "2", "--match", r"^GET /api/v1/tasks$",
            "--query", r"(^|&)sort=created_at(&|$)")
    try:
        t.send("G")
        # The last task, under the cursor, from the reversed sort's first
        # page.
        t.wait_for(lambda s: selected_id(t) == order[-1], timeout=20,
                   what=f"the cursor on the last task #{order[-1]}")
    finally:
        big.ctl("delay", "0")
    evs = wait_event(trace, lambda e: e.startswith("tasks.complete"),
                     "tasks.complete")[start:]
    fetches = [e for e in evs if e.startswith("tasks.fetch")]
    # G asked the reversed sort's first page at once: the head's prefetch
    # may have been asked just before G was read (the pane fetches ahead
    # of a cursor near its end), nothing else.
    tails = [e for e in fetches if "tail=1" in e]
    assert tails and "first=1" in tails[0], evs
    assert fetches.index(tails[0]) <= 1, evs
    # Then pages of 500 filled the gap (the head walking forward, the
    # tail backwards near the cursor), one request per direction at once.
    # Which part reaches the other first depends on the service's pace
    # (the head may even be at the end before the tail's first page is
    # in), so each part is checked on its own: at least one page besides
    # the tail's first, each part's pages of 500 but its last.
    pages = [e for e in evs if e.startswith("tasks.page")]
    head = [e for e in pages if "tail=1" not in e]
    tail = [e for e in pages if "tail=1" in e]
    assert tail and len(head) + len(tail) >= 2, evs
    for part in (head, tail):
        assert all(f"n={PAGE}" in e for e in part[:-1]), evs
    for part in (True, False):
        asked = [e for e in evs if e.startswith(("tasks.fetch", "tasks.page"))
                 and ("tail=1" in e) == part]
        for a, b in zip(asked, asked[1:]):
            assert not (a.startswith("tasks.fetch")
                        and b.startswith("tasks.fetch")), asked
    assert f"tasks.complete n={len(order)}" in evs, evs
    t.wait_for(lambda s: f"| {len(order)} tasks" in s
               and "loading the tasks between" not in s,
               what="every task loaded, no gap row")
    # Up from the end over the former gap to the top: every row is the
    # service's task at that place, so each shows once and in order.
    shown = {}
    while True:
        screen = t.screen()
        top = above(screen)
        for i, (_, tid, _) in enumerate(rows(screen)):
            shown[top + i] = tid
        if top == 0:
            break
        was = selected_id(t)
        t.send("PPage")
        t.wait_for(lambda s: selected_id(t) not in (None, was),
                   what="a page up")
    assert sorted(shown) == list(range(len(order)))
    assert [shown[i] for i in range(len(order))] == order


def test_task_queue_load__prefetch__paging_down_never_waits(
        tui_big, big, tmp_path):
    order = ids_in_order(big)
    t, trace = open_traced(tui_big, tmp_path)
    first = selected_id(t)
    assert first == order[0]
    pos, step = 0, None
    # Page down to the end, each key seen before the next: the cursor
    # moves a whole page every time, never stopping at the loaded end to
    # wait for a page.
    while pos < len(order) - 1:
        t.send("NPage")
        t.wait_for(lambda s: selected_id(t) not in (None, order[pos]),
                   what=f"a page down from row {pos}")
        new = order.index(selected_id(t))
        if step is None:
            step = new - pos
        assert new == min(pos + step, len(order) - 1), (pos, new, step)
        pos = new
    evs = events(trace)
    pages = [e for e in evs if e.startswith("tasks.page")]
    assert f"n={FIRST_PAGE} first=1" in pages[0], pages
    assert all(f"n={PAGE} first=0" in e for e in pages[1:-1]), pages
    # Each next page was asked for while the cursor was more than a page
    # from the loaded end, one request at a time.
    ahead = [e for e in evs
             if e.startswith("tasks.fetch first=0") and "tail=1" not in e]
    assert len(ahead) >= 3, evs
    # (The first page holds 100 rows: the second is asked at the first
    # move.)
    for e in ahead[1:]:
        cursor = int(re.search(r"cursor=(\d+)", e).group(1))
        end = int(re.search(r"end=(\d+)", e).group(1))
        assert end - cursor > PAGE, e
    asked = [e for e in evs if e.startswith(("tasks.fetch", "tasks.page"))
             and "tail=1" not in e]
    for a, b in zip(asked, asked[1:]):
        assert not (a.startswith("tasks.fetch")
                    and b.startswith("tasks.fetch")), asked

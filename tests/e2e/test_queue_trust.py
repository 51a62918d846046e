"""What a key acts on is what the screen shows (#16): the task queue's
cursor after a sort, a filter and a live change; Esc ends a search;
`:filter default`; `client=` by name; the overdue filter.

Tests that change tasks make their own (ctl create-task, a word of their
own in the title) and search for that word, so the shared demo data stays
as the other tests expect it. The cursor is the row in reverse video in
`capture-pane -e`.
"""

import re
from datetime import datetime, timezone

from e2e.test_task_queue import command, open_queue, rows, styled
from e2e.test_triage import open_on, own_tasks, task

OPEN = "status=new,in_progress,waiting_on_client"
SGR = re.compile(r"\x1b\[[0-9;]*m")
# Reverse video: SGR 7, alone or among other parameters.
REVERSE = re.compile(r"^(?:\x1b\[[0-9;]*m)*\x1b\[(?:[0-9;]*;)?7[;m]")
ROW = re.compile(r"^ ?[*+]?\s+(?:urgent|high|normal|low)\s+(\d+)\s")


def reverse_rows(t):
    """The ids of every task row drawn in reverse video."""
    out = []
    for line in styled(t).splitlines():
        m = ROW.match(SGR.sub("", line))
        if m and REVERSE.match(line):
            out.append(int(m.group(1)))
    return out


def cursor_on(t, task_id, what="the cursor"):
    """Waits until task_id's row, and only it, is in reverse video."""
    t.wait_for(lambda s: reverse_rows(t) == [task_id],
               what=f"{what} on #{task_id}")


def enter_opens(t, task_id):
    """Enter opens task_id, the task of the row in reverse video."""
    t.send("Enter")
    t.wait_text(f"#{task_id}  ")
    t.send("Escape")
    t.wait_text("TITLE")


def sorted_ids(accounts, sort):
    """The open tasks' ids in the service's order, the first page."""
    r = accounts.staff("admin").get(f"/tasks?{OPEN}&sort={sort}&limit=100")
    assert r.status == 200, r
    return [x["id"] for x in r.data["results"]]


def test_queue_trust__sort__cursor_row_shown_rows_above_said(tui, accounts):
    t = open_queue(tui)
    first = rows(t.screen())[0][1]
    cursor_on(t, first)
    t.send("s")
    t.type("due_at")
    t.send("Enter")
    screen = t.wait_for(lambda s: "sort due_at |" in s
                        and "loading" not in s, what="the due_at order")
    # One highlighted row, on the task the cursor was on, on screen.
    cursor_on(t, first, "the cursor after the sort")
    shown = [i for _, i, _ in rows(t.screen())]
    assert first in shown
    # The rows scrolled off the top are said, with their number.
    order = sorted_ids(accounts, "due_at")
    above = order.index(shown[0])
    if above > 0:
        assert re.search(rf"\| {above} above", t.screen()), screen
    enter_opens(t, first)


def test_queue_trust__filter__cursor_on_the_nearest_row_left(tui, service):
    # Made in the default order: high, high, normal, low, low.
    word, ids = own_tasks(service, priority="high")
    ids += [own_in(service, word, prio)
            for prio in ("high", "normal", "low", "low")]
    t = open_on(tui, "admin", word, 5, width=100)
    assert [i for _, i, _ in rows(t.screen())] == ids
    t.send("j")
    t.send("j")
    cursor_on(t, ids[2])
    # The cursor's task leaves the view: it goes to the row after it.
    command(t, "filter priority=high,low")
    t.wait_for(lambda s: len(rows(s)) == 4 and "loading" not in s,
               what="the four high and low tasks")
    cursor_on(t, ids[3], "the cursor on the nearest row")
    enter_opens(t, ids[3])


def own_in(service, word, priority):
    """One more task titled with word; its id."""
    made = service.ctl("create-task", "--client-id", 1, "--title",
                       f"{word} more {priority}", "--priority", priority)
    return made["task"]["id"]


def test_queue_trust__live__cursor_kept_and_shown_as_rows_move(
        tui, service, accounts):
    word, ids = own_tasks(service, n=4, priority="normal")
    t = open_on(tui, "admin", word, 4, width=100)
    assert [i for _, i, _ in rows(t.screen())] == ids
    t.send("j")
    t.send("j")
    cursor_on(t, ids[2])
    other = accounts.staff("manager")

    def close(tid):
        seen = task(accounts, tid, "manager")
        r = other.patch(f"/tasks/{tid}", json={"status": "done"},
                        headers={"If-Match": f'"{seen["version"]}"'})
        assert r.status == 200, r

    # A row above leaves: the cursor keeps its task.
    close(ids[0])
    t.wait_for(lambda s: len(rows(s)) == 3, what="the first row gone")
    cursor_on(t, ids[2], "the cursor after a row above left")
    # Its own task leaves: the cursor goes to the nearest row.
    close(ids[2])
    t.wait_for(lambda s: len(rows(s)) == 2, what="the cursor's row gone")
    cursor_on(t, ids[3], "the cursor after its row left")
    enter_opens(t, ids[3])


def test_queue_trust__esc__ends_the_search_cursor_kept(tui):
    t = open_queue(tui)
    t.send("/")
    t.type("hero")
    t.send("Enter")
    t.wait_for(lambda s: "q=hero |" in s and "loading" not in s and rows(s),
               what="the hero tasks")
    t.send("j")
    hero = t.wait_for(lambda s: len(reverse_rows(t)) == 1, what="a cursor")
    tid = reverse_rows(t)[0]
    assert len(rows(hero)) >= 2
    t.send("Escape")
    screen = t.wait_for(lambda s: "q=hero" not in s and "loading" not in s,
                        what="the search ended")
    assert f"{OPEN} | sort default |" in screen
    assert "search ended" in screen
    assert len(rows(screen)) > len(rows(hero))
    cursor_on(t, tid, "the cursor after Esc")
    enter_opens(t, tid)


def test_queue_trust__filter_default__back_to_the_first_view(tui):
    t = open_queue(tui)
    command(t, "filter status=done assignee=me priority=low")
    t.wait_text("status=done, assignee=me, priority=low |")
    command(t, "sort -created_at")
    t.wait_text("sort -created_at |")
    command(t, "filter default")
    screen = t.wait_for(lambda s: f"{OPEN} | sort -created_at |" in s
                        and "loading" not in s, what="the default filter")
    assert "assignee=me" not in screen
    assert len(rows(screen)) > 5


def test_queue_trust__filter_client__by_name_or_said_why_not(tui, accounts):
    # Wide enough for the status line to hold the names.
    t = open_queue(tui, width=190)
    admin = accounts.staff("admin")
    # Several clients have the name: they are named, nothing is guessed.
    nguyens = [c for c in admin.get("/clients?q=nguyen").data["results"]
               if "nguyen" in c["name"].lower()]
    assert 1 < len(nguyens) <= 4
    command(t, "filter client=nguyen")
    screen = t.wait_text("give client=ID")
    assert f"client=nguyen matches {len(nguyens)} clients: " in screen
    for c in nguyens:
        assert f"{c['name']} ({c['id']})" in screen
    assert f"{OPEN} | sort default |" in screen
    command(t, "filter client=zzqx")
    t.wait_text("filter: no client is named zzqx")
    # One client, any case: its tasks, and its name in the line below.
    carla = [c for c in admin.get("/clients?q=carla").data["results"]
             if "carla" in c["name"].lower()]
    assert len(carla) == 1
    command(t, "filter client=CARLA")
    screen = t.wait_for(lambda s: f"client={carla[0]['name']} |" in s
                        and "loading" not in s and rows(s),
                        what="Carla's tasks")
    assert all(carla[0]["name"] in line for _, _, line in rows(screen))


def overdue_ids(accounts):
    """The open tasks past their due date, most overdue first."""
    now = datetime.now(timezone.utc)
    tasks = accounts.staff("admin").all(
        "/tasks", params={"status": OPEN.split("=")[1], "sort": "due_at"})
    return [x["id"] for x in tasks if x["due_at"] is not None
            and datetime.fromisoformat(x["due_at"].replace("Z", "+00:00"))
            < now]


def test_queue_trust__filter_overdue__the_open_tasks_past_due(tui, accounts):
    t = open_queue(tui)
    # Offered by Tab on the :filter line.
    t.send(":")
    t.type("filter ov")
    t.send("Tab")
    t.wait_text(":filter overdue")
    t.send("Enter")
    want = overdue_ids(accounts)
    assert 0 < len(want) < 26
    screen = t.wait_for(lambda s: f"{OPEN}, overdue | sort due_at | "
                        f"{len(want)} tasks" in s and "loading" not in s,
                        what="the overdue tasks")
    shown = rows(screen)
    assert [i for _, i, _ in shown] == want
    assert all("overdue" in line for _, _, line in shown)
    # The cursor is on one of them (the nearest to where it was).
    t.wait_for(lambda s: len(reverse_rows(t)) == 1
               and reverse_rows(t)[0] in want, what="a cursor")
    command(t, "filter default")
    # Its first page (100 at most) of the open tasks, and the next (500
    # at most), asked as soon as the first is in.
    n = len(accounts.staff("admin").all(
        "/tasks", params={"status": OPEN.split("=")[1]}))
    first = f"{n} tasks" if n <= 600 else "600+ tasks"
    t.wait_for(lambda s: f"{OPEN} | sort default | {first}" in s,
               what="the first view again")

"""Triage in a real terminal: take, assign, status, priority, undo, bulk,
conflicts (412), comments through the outbox, attachments.

Each test makes its own tasks (ctl create-task, with a word of its own in
the title) and searches for that word, so the shared demo data stays as
the other tests expect it. What the screen says is checked against what
the service stored, read back through the API.
"""

import uuid

import pytest

from e2e.conftest import Tui
from e2e.test_task_queue import command, cursor_to, rows, selected_id
from e2e.waits import poll


def own_tasks(service, n=1, priority="low", client_id=1):
    """n new tasks whose titles share a new word; (word, [ids])."""
    word = "tri" + uuid.uuid4().hex[:8]
    ids = []
    for i in range(n):
        made = service.ctl("create-task", "--client-id", client_id,
                           "--title", f"{word} task {i}",
                           "--priority", priority)
        ids.append(made["task"]["id"])
    return word, ids


def start_on_tasks(tui):
    """Makes sitecare start on Tasks whatever the role (support starts
    on Chat by default)."""
    cfg = tui.home / "cfg" / "sitecare" / "config"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    with cfg.open("a") as f:
        f.write("start-pane = tasks\n")


def open_on(tui, role, word, count, width=110, height=30):
    """sitecare signed in as role, showing only the tasks titled word."""
    start_on_tasks(tui)
    t = tui.open(width=width, height=height, signed_in=role)
    t.wait_for(lambda s: len(rows(s)) > 0, timeout=20, what="task rows")
    t.send("/")
    t.type(word)
    t.send("Enter")
    t.wait_for(lambda s: f"q={word}" in s and len(rows(s)) == count,
               timeout=20, what=f"the {count} tasks titled {word}")
    return t


def task(accounts, task_id, role="admin"):
    r = accounts.staff(role).get(f"/tasks/{task_id}")
    assert r.status == 200, r
    return r.data


def row_of(screen, task_id):
    for _, i, line in rows(screen):
        if i == task_id:
            return line
    return None


def eventually(check, timeout=15.0, what="condition"):
    """check's first true value, polled until the deadline."""
    return poll(check, timeout, what)


def test_triage__take__assigns_to_me_then_undo_puts_it_back(tui, service,
                                                            accounts):
    word, (tid,) = own_tasks(service)
    t = open_on(tui, "tech", word, 1)
    t.send("t")
    t.wait_for(lambda s: "Theo Tech" in (row_of(s, tid) or ""),
               what="the row assigned to Theo Tech")
    t.wait_text(f"#{tid} assigned to Theo Tech (u undoes)")
    stored = task(accounts, tid)
    assert stored["assignee"]["name"] == "Theo Tech"
    t.send("u")
    t.wait_text(f"#{tid} undone (assigned to Theo Tech)")
    eventually(lambda: task(accounts, tid)["assignee"] is None,
               what="the assignment undone on the service")
    screen = t.wait_for(lambda s: (row_of(s, tid) or "").rstrip()
                        .endswith("-") or " - " in (row_of(s, tid) or ""),
                        what="the row unassigned again")
    assert "Theo Tech" not in row_of(screen, tid)


def test_triage__status_picker__type_to_filter_then_enter(tui, service,
                                                          accounts):
    word, (tid,) = own_tasks(service)
    t = open_on(tui, "support", word, 1)
    t.send("S")
    t.wait_text(f"Status of #{tid}")
    t.type("wait")
    screen = t.wait_for(lambda s: "1/5" in s and "> wait" in s,
                        what="the filtered picker")
    assert "waiting_on_client" in screen and "cancelled" not in screen
    t.send("Enter")
    t.wait_text(f"#{tid} status waiting_on_client (u undoes)")
    assert task(accounts, tid)["status"] == "waiting_on_client"


def test_triage__priority__command_and_escape_changes_nothing(tui, service,
                                                              accounts):
    word, (tid,) = own_tasks(service)
    t = open_on(tui, "tech", word, 1)
    t.send("P")
    t.wait_text(f"Priority of #{tid}")
    t.send("Escape")
    t.wait_text("nothing changed")
    assert task(accounts, tid)["priority"] == "low"
    command(t, "priority urgent")
    t.wait_text(f"#{tid} priority urgent (u undoes)")
    t.wait_for(lambda s: "urgent" in (row_of(s, tid) or ""),
               what="the row urgent")
    assert task(accounts, tid)["priority"] == "urgent"
    command(t, "priority bogus")
    t.wait_text('no priority "bogus"')


def test_triage__assign_picker__manager_assigns_someone_else(tui, service,
                                                             accounts):
    word, (tid,) = own_tasks(service)
    t = open_on(tui, "manager", word, 1)
    t.send("A")
    t.wait_text(f"Assign #{tid} to")
    t.wait_text("Theo Tech")
    t.type("theo")
    t.wait_for(lambda s: "Sue Support" not in s, what="the filtered staff")
    t.send("Enter")
    t.wait_text(f"#{tid} assigned to Theo Tech (u undoes)")
    assert task(accounts, tid)["assignee"]["name"] == "Theo Tech"
    # By name on the command line, and unassign.
    command(t, "assign sue")
    t.wait_text(f"#{tid} assigned to Sue Support (u undoes)")
    assert task(accounts, tid)["assignee"]["name"] == "Sue Support"
    t.send("U")
    t.wait_text(f"#{tid} unassigned (u undoes)")
    assert task(accounts, tid)["assignee"] is None


def test_triage__assign_picker__support_is_not_offered_it(tui, service,
                                                          accounts):
    word, (tid,) = own_tasks(service)
    t = open_on(tui, "support", word, 1)
    t.send("A")
    screen = t.wait_text("needs tasks.assign_any")
    assert f"Assign #{tid} to" not in screen
    command(t, "assign Theo Tech")
    t.wait_text("needs tasks.assign_any")
    assert task(accounts, tid)["assignee"] is None
    # Taking it is allowed.
    t.send("t")
    t.wait_text(f"#{tid} assigned to Sue Support (u undoes)")
    assert task(accounts, tid)["assignee"]["name"] == "Sue Support"


def conflict_setup(tui, service, accounts):
    """A status picker open on a task that a second session then changes."""
    word, (tid,) = own_tasks(service)
    t = open_on(tui, "tech", word, 1)
    t.send("S")
    t.wait_text(f"Status of #{tid}")
    # A second session (the manager's) raises the priority meanwhile.
    other = accounts.staff("manager")
    seen = task(accounts, tid, "manager")
    r = other.patch(f"/tasks/{tid}", json={"priority": "urgent"},
                    headers={"If-Match": f'"{seen["version"]}"'})
    assert r.status == 200, r
    t.type("done")
    t.send("Enter")
    # The question is drawn in one pass, but tmux may be read mid-way.
    screen = t.wait_for(lambda s: "Changed by someone else since you "
                        "loaded it" in s and "Your change: status done" in s,
                        what="the conflict question")
    assert "priority: low -> urgent" in screen
    return t, tid


def test_triage__conflict__412_shows_the_change_and_reapplies(tui, service,
                                                              accounts):
    t, tid = conflict_setup(tui, service, accounts)
    t.send("r")
    t.wait_text(f"#{tid} status done (again) (u undoes)")
    stored = task(accounts, tid)
    # Re-applied on top of the other change: both hold.
    assert stored["status"] == "done"
    assert stored["priority"] == "urgent"


def test_triage__conflict__412_drop_changes_nothing(tui, service, accounts):
    t, tid = conflict_setup(tui, service, accounts)
    t.send("d")
    t.wait_text("dropped: status done")
    stored = task(accounts, tid)
    assert stored["status"] == "new"
    assert stored["priority"] == "urgent"
    t.wait_for(lambda s: "urgent" in (row_of(s, tid) or ""),
               what="the row showing the other session's change")


def test_triage__bulk__marks_then_summary_of_partial_failure(tui, service,
                                                             accounts):
    word, ids = own_tasks(service, n=4)
    t = open_on(tui, "tech", word, 4)
    # Space marks the first and moves down (as in mutt); V marks from
    # the last marked row to the cursor.
    first = selected_id(t)
    t.send("Space")
    t.wait_text("1 marked")
    t.send("V")
    t.wait_text("2 marked")
    t.send("j")
    t.send("V")
    screen = t.wait_text("3 marked")
    marked = [i for m, i, _ in rows(screen) if m == "+"]
    assert len(marked) == 3 and first in marked
    # One of them disappears on the server without an event.
    gone = marked[1]
    service.ctl("delete-task", "--id", gone)
    command(t, "priority high")
    screen = t.wait_text("priority high: 2 done, 1 failed")
    screen = t.wait_text("2 of 3 done")
    assert f"#{gone} failed: not_found" in screen
    t.send("o")
    t.wait_gone("2 of 3 done")
    for i in marked:
        if i != gone:
            assert task(accounts, i)["priority"] == "high"
    unmarked = [i for i in ids if i not in marked][0]
    assert task(accounts, unmarked)["priority"] == "low"
    # The failed row is rolled back, the others show the change.
    screen = t.screen()
    assert "low" in row_of(screen, gone)
    # The marks were spent by the change.
    assert not [i for m, i, _ in rows(screen) if m == "+"]


def status_line(screen):
    return screen.rstrip("\n").splitlines()[-1]


def mark_all(t, n):
    """Space on each of the n rows from the top."""
    for _ in range(n):
        t.send("Space")
    t.wait_text(f"{n} marked")


def marks_spent(t):
    """Waits until no row is marked and the status line counts none."""
    screen = t.wait_for(
        lambda s: not [i for m, i, _ in rows(s) if m == "+"],
        what="the marks spent")
    assert "marked" not in status_line(screen)


def test_triage__bulk__a_picker_spends_the_marks_and_counts_them(
        tui, service, accounts):
    word, ids = own_tasks(service, n=3)
    t = open_on(tui, "tech", word, 3)
    mark_all(t, 3)
    # The count stays in the status line while the marks exist, whatever
    # the notice beside it says.
    t.send("P")
    t.wait_text("Priority of 3 marked tasks")
    t.send("Escape")
    screen = t.wait_text("nothing changed")
    assert "| 3 marked" in status_line(screen)
    assert len([i for m, i, _ in rows(screen) if m == "+"]) == 3
    # A change chosen in the picker spends them.
    t.send("P")
    t.wait_text("Priority of 3 marked tasks")
    t.type("urg")
    t.send("Enter")
    t.wait_text("priority urgent: all 3 tasks")
    marks_spent(t)
    for i in ids:
        assert task(accounts, i)["priority"] == "urgent"
    # The next picker is for the task under the cursor.
    t.send("P")
    screen = t.wait_for(lambda s: "Priority of #" in s,
                        what="a picker for one task")
    assert "marked tasks" not in screen
    t.send("Escape")


def give_to(accounts, tid, role):
    """Assigns task tid to role's staff member, as that member."""
    seen = task(accounts, tid)
    r = accounts.staff(role).patch(
        f"/tasks/{tid}", json={"assignee_id": accounts.me(role)["id"]},
        headers={"If-Match": f'"{seen["version"]}"'})
    assert r.status == 200, r


def test_triage__take__a_colleagues_task_asks_first(tui, service, accounts):
    word, (tid,) = own_tasks(service)
    give_to(accounts, tid, "support")
    t = open_on(tui, "tech", word, 1)
    t.wait_for(lambda s: "Sue Support" in (row_of(s, tid) or ""),
               what="the row assigned to Sue Support")
    t.send("t")
    t.wait_text(f"#{tid} is Sue Support's. Take it?")
    assert task(accounts, tid)["assignee"]["name"] == "Sue Support"
    t.send("n")
    t.wait_text("not taken")
    assert task(accounts, tid)["assignee"]["name"] == "Sue Support"
    t.send("t")
    t.wait_text(f"#{tid} is Sue Support's. Take it?")
    t.send("Escape")
    t.wait_text("not taken")
    t.send("t")
    t.wait_text(f"#{tid} is Sue Support's. Take it?")
    t.send("y")
    t.wait_text(f"#{tid} assigned to Theo Tech (u undoes)")
    assert task(accounts, tid)["assignee"]["name"] == "Theo Tech"


def test_triage__take__marked_tasks_of_others_ask_once(tui, service,
                                                       accounts):
    word, ids = own_tasks(service, n=3)
    give_to(accounts, ids[0], "support")
    give_to(accounts, ids[1], "manager")
    t = open_on(tui, "tech", word, 3)
    mark_all(t, 3)
    t.send("t")
    t.wait_text("2 of the 3 marked tasks are others'. Take them?")
    t.send("y")
    t.wait_text("assigned to Theo Tech: all 3 tasks")
    for i in ids:
        assert task(accounts, i)["assignee"]["name"] == "Theo Tech"
    marks_spent(t)


def test_triage__readonly__changes_are_refused(tui, service, accounts):
    word, (tid,) = own_tasks(service)
    t = tui.open(width=110, height=30, signed_in="admin",
                 extra=["--readonly"])
    t.wait_for(lambda s: len(rows(s)) > 0, timeout=20, what="task rows")
    t.send("t")
    t.wait_text("read-only: t (take the task) is turned off")
    t.send("c")
    t.wait_text("read-only: c (add an internal note) is turned off")


def comments(accounts, tid):
    return task(accounts, tid)["comments"]


def test_triage__note__internal_on_the_line_is_pending_then_sent(
        tui, service, accounts):
    word, (tid,) = own_tasks(service)
    t = open_on(tui, "support", word, 1)
    t.send("Enter")
    t.wait_text("Comments (0)")
    t.send("c")
    t.wait_text(f"note on #{tid} (internal, staff only):")
    body = "checked the DNS " + uuid.uuid4().hex[:6]
    t.type(body)
    t.send("Enter")
    t.wait_text("note sent")
    screen = t.wait_text("Comments (1)")
    assert "[INTERNAL] Sue Support" in screen
    stored = comments(accounts, tid)
    assert [c["body"] for c in stored] == [body]
    assert stored[0]["internal"] is True


def test_triage__reply__client_visible_prompt_is_told_apart(tui, service,
                                                            accounts):
    word, (tid,) = own_tasks(service)
    t = open_on(tui, "support", word, 1)
    t.send("R")
    screen = t.wait_text("THE CLIENT SEES THIS")
    assert "REPLY to Carla Client" in screen
    t.type("We are on it.")
    t.send("Enter")
    t.wait_text("reply sent")
    stored = comments(accounts, tid)
    assert [(c["body"], c["internal"]) for c in stored] == [
        ("We are on it.", False)]


def write_editor(tmp_path, text):
    """An $EDITOR that writes text into the file it is given."""
    script = tmp_path / "fake-editor"
    script.write_text("#!/bin/sh\n"
                      f"printf '%s\\n# a comment line\\n' {text!r} > \"$1\"\n")
    script.chmod(0o755)
    return script


def test_triage__note_editor__text_from_editor_comments_stripped(
        tui, service, accounts, tmp_path):
    word, (tid,) = own_tasks(service)
    tui.env["EDITOR"] = str(write_editor(tmp_path, "Long note, line one"))
    t = open_on(tui, "tech", word, 1)
    t.send("C")
    t.wait_text("note sent")
    assert [c["body"] for c in comments(accounts, tid)] == [
        "Long note, line one"]


def test_triage__note_editor__unchanged_template_cancels(tui, service,
                                                         accounts, tmp_path):
    word, (tid,) = own_tasks(service)
    tui.env["EDITOR"] = "true"  # exits at once, the file untouched
    t = open_on(tui, "tech", word, 1)
    t.send("C")
    t.wait_text("nothing sent")
    assert comments(accounts, tid) == []


def test_triage__note__line_moves_to_editor_with_ctrl_x_ctrl_e(
        tui, service, accounts, tmp_path):
    word, (tid,) = own_tasks(service)
    script = tmp_path / "append-editor"
    # Keeps what the line had typed and adds a second line.
    script.write_text("#!/bin/sh\nsed -i '1s/$/ and more/' \"$1\"\n")
    script.chmod(0o755)
    tui.env["EDITOR"] = str(script)
    t = open_on(tui, "tech", word, 1)
    t.send("c")
    t.wait_text("(internal, staff only):")
    t.type("started here")
    t.send("C-x")
    t.send("C-e")
    t.wait_text("note sent")
    assert [c["body"] for c in comments(accounts, tid)] == [
        "started here and more"]


def test_triage__note__written_while_service_down_arrives_once(
        fresh_service, sitecare_bin, tmp_path):
    svc = fresh_service(seed="demo")
    tui = Tui(sitecare_bin, svc, tmp_path / "home")
    try:
        word, (tid,) = own_tasks(svc)
        t = open_on(tui, "support", word, 1)
        t.send("Enter")
        t.wait_text("Comments (0)")
        svc.stop()
        t.wait_for(lambda s: "reconnecting" in s or "offline" in s,
                   timeout=30, what="the client noticing")
        body = "written offline " + uuid.uuid4().hex[:6]
        t.send("c")
        t.type(body)
        t.send("Enter")
        # The body shows on the line before Enter is read: wait for the
        # pending comment itself.
        t.wait_for(lambda s: "[INTERNAL] you, " in s and
                   body in s.split("note on #")[0], what="the note pending")
        svc.start()
        t.wait_text("note sent", timeout=60)
        t.wait_text("Comments (1)", timeout=30)
        s = svc.session()
        assert s.login("support@example.com").status == 200
        stored = s.get(f"/tasks/{tid}").data["comments"]
        assert [c["body"] for c in stored] == [body]
    finally:
        tui.close()


def hostile_task(accounts):
    """The demo task with an attachment named ../../etc/passwd."""
    s = accounts.staff("admin")
    for tk in s.all("/tasks", {"status": "new,in_progress,waiting_on_client,"
                                          "done,cancelled"}):
        if tk["attachment_count"] == 0:
            continue
        d = s.get(f"/tasks/{tk['id']}").data
        for a in d["attachments"]:
            if a["filename"] == "../../etc/passwd":
                return d, a
    pytest.fail("no demo task has the hostile attachment")


def test_triage__attachment__hostile_name_saved_inside_the_dir(
        tui, service, accounts, tmp_path):
    d, a = hostile_task(accounts)
    downloads = tmp_path / "dl"
    downloads.mkdir()
    tui.env["XDG_DOWNLOAD_DIR"] = str(downloads)
    t = tui.open(width=160, height=30, signed_in="admin")
    t.wait_for(lambda s: len(rows(s)) > 0, timeout=20, what="task rows")
    command(t, f"filter status=new,in_progress,waiting_on_client,done,"
               f"cancelled")
    t.wait_for(lambda s: "loading" not in s and len(rows(s)) > 0,
               what="all tasks")
    command(t, "filter client=%d" % d["client"]["id"])
    t.wait_for(lambda s: row_of(s, d["id"]) is not None, timeout=20,
               what="the hostile task's row")
    cursor_to(t, d["id"])
    t.send("Enter")
    t.wait_text("Attachments (")
    n = [x["id"] for x in d["attachments"]].index(a["id"]) + 1
    command(t, f"save-attachment {n}")
    screen = t.wait_text("save to: ")
    assert str(downloads / "passwd") in screen
    t.send("Enter")
    t.wait_text("saved " + str(downloads / "passwd"))
    saved = downloads / "passwd"
    served = accounts.staff("admin").get(
        f"/tasks/{d['id']}/attachments/{a['id']}")
    assert saved.read_bytes() == served.body
    assert sorted(p.name for p in downloads.iterdir()) == ["passwd"]
    # Again: the default is a new name; typed over the old one, it asks.
    command(t, f"save-attachment {n}")
    t.wait_text(str(downloads / "passwd (1)"))
    t.send("C-u")
    t.type(str(saved))
    t.send("Enter")
    t.wait_text("already exists")
    t.send("c")
    t.wait_text("not saved")
    assert saved.read_bytes() == served.body
    assert sorted(p.name for p in downloads.iterdir()) == ["passwd"]

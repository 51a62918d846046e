"""Faults in a real terminal, against the reference service: killed
mid-response, slow (8 s per answer), session revoked, disk full.

Each test has a throwaway service of its own (`fresh_service`, or
`quiet_service` with rare pings), since it kills, slows or revokes it.
`ctl delay` holds answers back after the view ran, so a kill (SIGKILL of
serve, gunicorn and its worker at once: `Service.kill`) drops the
connection with the change stored and its answer unsent; `--hold-events`
also keeps the change's event from the client. The disk-full test mounts
a small tmpfs as the client's $XDG_STATE_HOME (outbox, drafts) and fills
it: a real ENOSPC.

Existing fault coverage not repeated here: a reply or comment written
while the service is stopped arrives once (test_chat.py, test_triage.py),
and a chat draft survives a session expiry (test_chat.py).
"""

import os
import re
import shutil
import sqlite3
import subprocess
import time
import uuid

import pytest

from conftest import _cleanup, _new_state
from e2e.conftest import Tui
from e2e.test_chat import open_chat, open_conversation
from e2e.test_task_queue import rows, selected_id
from e2e.test_triage import eventually, open_on, own_tasks, start_on_tasks
from helpers.service import Service

# The client says it lost the service: the status line's state, or the
# notice that covers that line for 8 s at each failed reconnect
# (tui/tui.c), which on a loaded machine can come more often than that.
DOWN = re.compile(r"reconnecting|offline|live updates lost")


def tui_for(svc, sitecare_bin, tmp_path, home="home"):
    return Tui(sitecare_bin, svc, tmp_path / home)


def delayed(svc, method_path, status=None, timeout=20.0):
    """Waits until the service holds back the answer to method_path
    (e.g. "GET /api/v1/tasks"): the request has arrived and its view ran."""
    want = f"delay: 8s before answering {method_path} "
    if status is not None:
        want += f"({status})"

    def seen():
        try:
            return want in svc.log.read_text(errors="replace")
        except FileNotFoundError:
            return False
    eventually(seen, timeout=timeout, what=f"the service holding {want!r}")


def log_count(svc, text):
    try:
        return svc.log.read_text(errors="replace").count(text)
    except FileNotFoundError:
        return 0


def still_responsive(t, home="1"):
    """Keys work while the network is in trouble: the other pane, help,
    and back to pane home (1 Tasks or 2 Chat)."""
    away = "2" if home == "1" else "1"
    t.send(away)
    t.wait_for(lambda s: ("PRIO" in s) if away == "1" else
               ("Chat with" in s or "LAST MESSAGE" in s),
               what=f"pane {away}")
    t.send("?")
    t.wait_text("Help: ")
    t.send("Escape")
    t.wait_gone("Help: ")
    t.send(home)


def stored_comments(svc, tid):
    s = svc.session()
    assert s.login("admin@example.com").status == 200
    r = s.get(f"/tasks/{tid}")
    assert r.status == 200, r
    return [c["body"] for c in r.data["comments"]]


def stored_comments_offline(svc, tid):
    """The task's comment bodies read from the database (service down)."""
    db = sqlite3.connect(f"file:{svc.state / 'db.sqlite3'}?mode=ro",
                         uri=True)
    try:
        return [r[0] for r in db.execute(
            "SELECT body FROM tasks_comment WHERE task_id = ? ORDER BY id",
            (tid,))]
    finally:
        db.close()


def posts_answered(svc, tid):
    """How many comment POSTs on tid the service answered (access log)."""
    return log_count(svc, f'"POST /api/v1/tasks/{tid}/comments ')



def note_stored_then_killed(svc, tui, words):
    """Support writes a note on a task of its own; the service stores it
    (201), holds the answer and its comment.created event, and is
    SIGKILLed meanwhile: (terminal, task id, the note's body)."""
    word, (tid,) = own_tasks(svc)
    t = open_on(tui, "support", word, 1)
    t.send("Enter")
    t.wait_text("Comments (0)")
    svc.ctl("delay", "8", "--hold-events", "--match",
            r"^POST /api/v1/tasks/\d+/comments$")
    body = f"{words} {uuid.uuid4().hex[:6]}"
    t.send("c")
    t.wait_text("(internal, staff only):")
    t.type(body)
    t.send("Enter")
    delayed(svc, f"POST /api/v1/tasks/{tid}/comments", 201)
    svc.kill()
    return t, tid, body

# -- killed mid-response -----------------------------------------------------

def test_faults__killed_mid_list__offline_then_back_by_itself(
        fresh_service, sitecare_bin, tmp_path):
    svc = fresh_service(seed="demo")
    tui = tui_for(svc, sitecare_bin, tmp_path)
    try:
        word, (tid,) = own_tasks(svc)
        t = open_on(tui, "support", word, 1)
        t.wait_text("online")
        # A refresh whose answer the service is sitting on when it dies.
        svc.ctl("delay", "8", "--match", r"^GET /api/v1/tasks$")
        t.send("r")
        t.wait_text("loading...")
        delayed(svc, "GET /api/v1/tasks", 200)
        svc.kill()
        t.wait_for(lambda s: DOWN.search(s), timeout=20,
                   what="the client saying it lost the connection")
        screen = t.wait_gone("loading...", timeout=40)
        # The refresh gave up; the rows it had stay.
        assert [i for _, i, _ in rows(screen)] == [tid], screen
        still_responsive(t)
        t.wait_for(lambda s: [i for _, i, _ in rows(s)] == [tid],
                   what="back on the task list")
        # While it is down a task is filed (straight into its database).
        svc.ctl("delay", "0")
        made = svc.ctl("create-task", "--client-id", 1, "--title",
                       f"{word} filed while down")["task"]["id"]
        svc.start()
        # No key pressed: the stream comes back and brings the new task.
        t.wait_for(lambda s: "online" in s and
                   sorted(i for _, i, _ in rows(s)) == sorted([tid, made]),
                   timeout=60, what="online with the task filed meanwhile")
        assert t.exit_status() is None
    finally:
        tui.close()


def test_faults__killed_after_note_stored_unannounced__resent_once(
        fresh_service, sitecare_bin, tmp_path):
    svc = fresh_service(seed="demo")
    tui = tui_for(svc, sitecare_bin, tmp_path)
    try:
        t, tid, body = note_stored_then_killed(svc, tui, "stored then killed")
        assert stored_comments_offline(svc, tid) == [body]
        t.wait_for(lambda s: DOWN.search(s), timeout=20,
                   what="the client saying it lost the connection")
        # Nothing came back: as far as the client knows it is not sent.
        screen = t.wait_for(lambda s: re.search(
            r"you, (pending|sending\.\.\.|waiting to retry)", s),
            timeout=20, what="the note still pending")
        assert "Comments (0)" in screen and screen.count(body) == 1
        still_responsive(t)
        t.wait_text(f"#{tid} ")
        assert posts_answered(svc, tid) == 0
        svc.ctl("delay", "0")
        svc.start()
        # Sent again by itself, deduplicated by its client_msg_id.
        screen = t.wait_for(lambda s: "online" in s and "Comments (1)" in s
                            and not re.search(r"you, (pending|sending|"
                                              r"waiting)", s),
                            timeout=60, what="online with the note sent")
        assert screen.count(body) == 1, screen
        assert stored_comments(svc, tid) == [body]
        assert posts_answered(svc, tid) == 1
        assert not list(tui.state_for_service("outbox")
                        .glob("*.json"))
    finally:
        tui.close()


def test_faults__killed_after_reply_announced__settled_not_resent(
        fresh_service, sitecare_bin, tmp_path):
    svc = fresh_service(seed="demo")
    tui = tui_for(svc, sitecare_bin, tmp_path)
    try:
        t = open_chat(tui)
        open_conversation(t)
        svc.ctl("delay", "8", "--match",
                r"^POST /api/v1/conversations/\d+/messages$")
        body = "announced then killed " + uuid.uuid4().hex[:6]
        t.send("r")
        t.wait_text("reply to Carla Client:")
        t.type(body)
        t.send("Enter")
        delayed(svc, "POST /api/v1/conversations/1/messages", 201)
        # Its message.created (which carries the client_msg_id) arrives
        # at once; the answer to the POST is held for 8 s and never will.
        t.wait_text("message sent", timeout=6)
        svc.kill()
        t.wait_for(lambda s: DOWN.search(s), timeout=20,
                   what="the client saying it lost the connection")
        still_responsive(t, home="2")
        screen = t.wait_text("Chat with Carla Client")
        # Shown once, as sent; nothing left pending or on disk.
        assert screen.count(body) == 1, screen
        assert not re.search(r"you\s+(pending|sending|waiting)", screen)
        assert not list(tui.state_for_service("outbox")
                        .glob("*.json"))
        svc.ctl("delay", "0")
        svc.start()
        screen = t.wait_for(lambda s: "online" in s, timeout=60,
                            what="online again")
        assert screen.count(body) == 1, screen
        # Never sent again: the service answered no POST of it.
        assert log_count(svc, '"POST /api/v1/conversations/1/messages ') == 0
        s = svc.session()
        assert s.login("support@example.com").status == 200
        bodies = [m["body"] for m in s.get(
            "/conversations/1/messages?limit=100").data["results"]]
        assert bodies.count(body) == 1
    finally:
        tui.close()


# -- slow: 8 s per answer ----------------------------------------------------

def test_faults__slow_8s_answers__keys_work_and_data_arrives(
        fresh_service, sitecare_bin, tmp_path):
    svc = fresh_service(seed="demo")
    tui = tui_for(svc, sitecare_bin, tmp_path)
    try:
        word, ids = own_tasks(svc, n=3)
        start_on_tasks(tui)
        tui.login("support")  # before the service slows down
        svc.ctl("delay", "8")
        began = time.monotonic()
        t = tui.open(width=110, height=30)
        t.wait_text("connecting")
        # Nothing has come back yet, and the interface answers keys.
        t.send("?")
        t.wait_text("Help: ")
        t.send("Escape")
        t.wait_gone("Help: ")
        screen = t.wait_for(lambda s: rows(s), timeout=40,
                            what="the first tasks")
        assert time.monotonic() - began >= 8, "the service was not slow"
        t.send("/")
        t.type(word)
        t.send("Enter")
        # The search is out for 8 s: the footer says so, and panes,
        # the cursor and help still answer at once meanwhile.
        asked = time.monotonic()
        t.wait_text("loading...")
        t.send("2")
        t.wait_text("LAST MESSAGE")
        t.send("1")
        t.wait_text("PRIO")
        t.send("G")
        t.wait_for(lambda s: rows(s) and selected_id(t) == rows(s)[-1][1],
                   what="the cursor at the bottom during the search")
        t.send("g")
        t.wait_for(lambda s: rows(s) and selected_id(t) == rows(s)[0][1],
                   what="the cursor at the top during the search")
        assert "loading..." in t.screen(), "the search was not slow"
        screen = t.wait_for(lambda s: f"q={word}" in s and
                            "loading..." not in s, timeout=40,
                            what="the search's answer")
        assert time.monotonic() - asked >= 8
        assert sorted(i for _, i, _ in rows(screen)) == sorted(ids)
        # A note takes 8 s to be confirmed: pending, then sent.
        t.send("Enter")
        t.wait_text("Comments (0)", timeout=40)
        body = "slow but sure " + uuid.uuid4().hex[:6]
        t.send("c")
        t.wait_text("(internal, staff only):")
        t.type(body)
        t.send("Enter")
        t.wait_for(lambda s: re.search(r"you, (pending|sending)", s),
                   what="the note on its way")
        t.wait_text("note sent", timeout=40)
        screen = t.wait_text("Comments (1)", timeout=40)
        # Nothing was cut off by a timeout, retried or lost on the way.
        assert t.exit_status() is None
        for bad in ("timed out", "timeout", "could not", "reconnecting",
                    "NOT SENT"):
            assert bad not in screen, screen
        tid = int(re.search(r"^ #(\d+) ", screen, re.M).group(1))
        assert tid in ids
        assert log_count(svc, "before answering POST /api/v1/tasks/") == 1
        svc.ctl("delay", "0")
        assert stored_comments(svc, tid) == [body]
    finally:
        tui.close()


# -- session revoked ---------------------------------------------------------

def test_faults__session_revoked__note_line_kept_through_sign_in(
        fresh_service, sitecare_bin, tmp_path):
    svc = fresh_service(seed="demo")
    tui = tui_for(svc, sitecare_bin, tmp_path)
    try:
        word, (tid,) = own_tasks(svc)
        t = open_on(tui, "support", word, 1)
        t.send("Enter")
        t.wait_text("Comments (0)")
        t.send("c")
        t.wait_text(f"note on #{tid} (internal, staff only):")
        note = "typed before the revocation " + uuid.uuid4().hex[:6]
        t.type(note)
        t.wait_text(note)
        # Revoked while the interface is open: no restart, the service
        # ends the stream and the client's next request is refused.
        assert svc.ctl("expire-sessions", "--email",
                       "support@example.com")["deleted"] >= 1
        screen = t.wait_text("your session expired: sign in again",
                             timeout=30)
        assert "support@example.com" in screen
        # The form took over: the closed line is not left on screen.
        assert note not in screen, screen
        t.type("sitecare-demo")
        t.send("Enter")
        t.wait_for(lambda s: "Sign in to" not in s and "online" in s,
                   timeout=30, what="signed in again")
        # The note comes back on the line, as it was typed.
        t.send("c")
        t.wait_text(f"note on #{tid} (internal, staff only): {note}")
        t.send("Enter")
        t.wait_text("note sent", timeout=30)
        assert stored_comments(svc, tid) == [note]
    finally:
        tui.close()


@pytest.fixture
def quiet_service():
    """A throwaway demo service whose streams ping only every 10 min. A
    revoked session's stream ends at its next ping, so here it stays
    open (until the client's own 45 s liveness limit) and the client
    learns of the revocation from its next request instead."""
    svc = Service(_new_state("sitecare-faults-"), seed="demo",
                  ping_seconds="600")
    try:
        svc.start()
        yield svc
    finally:
        _cleanup(svc)


def test_faults__session_revoked__note_sent_after_sign_in(
        quiet_service, sitecare_bin, tmp_path):
    svc = quiet_service
    tui = tui_for(svc, sitecare_bin, tmp_path)
    try:
        word, (tid,) = own_tasks(svc)
        t = open_on(tui, "support", word, 1)
        t.send("Enter")
        t.wait_text("Comments (0)")
        assert svc.ctl("expire-sessions", "--email",
                       "support@example.com")["deleted"] >= 1
        # Written after the revocation, before the client knows of it:
        # its POST is the request that meets the 401.
        note = "sent into a revoked session " + uuid.uuid4().hex[:6]
        t.send("c")
        t.wait_text(f"note on #{tid} (internal, staff only):")
        t.type(note)
        t.send("Enter")
        t.wait_text("your session expired: sign in again", timeout=30)
        # Kept in the outbox meanwhile, not dropped and not refused.
        outbox = tui.state_for_service("outbox")
        assert [f.read_text().count(note) for f in outbox.glob("*.json")] \
            == [1]
        assert stored_comments(svc, tid) == []
        t.type("sitecare-demo")
        t.send("Enter")
        t.wait_text("note sent", timeout=30)
        screen = t.wait_text("Comments (1)", timeout=30)
        assert screen.count(note) == 1, screen
        assert stored_comments(svc, tid) == [note]
        assert not list(outbox.glob("*.json"))
    finally:
        tui.close()


# -- disk full for the outbox ------------------------------------------------

class SmallDisk:
    """A tmpfs of `size` mounted at path, which can be filled up and
    emptied again: writes then fail with a real ENOSPC."""

    def __init__(self, path, size="256k"):
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        if os.geteuid() != 0 or shutil.which("mount") is None:
            pytest.skip("mounting a tmpfs needs root and mount(8)")
        r = subprocess.run(["mount", "-t", "tmpfs", "-o",
                            f"size={size},mode=0700", "tmpfs", str(path)],
                           capture_output=True, text=True)
        if r.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
        self.filler = path / "filler"

    def fill(self):
        fd = os.open(self.filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        try:
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError as e:
            assert e.errno == 28, e  # ENOSPC
        finally:
            os.close(fd)
        # Nothing more fits: even one small file fails.
        with pytest.raises(OSError):
            (self.path / "probe").write_bytes(b"x" * 4096)
        (self.path / "probe").unlink(missing_ok=True)

    def free(self):
        self.filler.unlink()

    def unmount(self):
        subprocess.run(["umount", "-l", str(self.path)], capture_output=True)


def test_faults__disk_full__reply_and_note_kept_then_sent(
        fresh_service, sitecare_bin, tmp_path):
    svc = fresh_service(seed="demo")
    tui = tui_for(svc, sitecare_bin, tmp_path)
    disk = SmallDisk(tui.home / "state")  # $XDG_STATE_HOME: the outbox
    try:
        word, (tid,) = own_tasks(svc)
        # Wide enough for the whole notice after the status.
        t = open_on(tui, "support", word, 1, width=160)
        t.send("Enter")
        t.wait_text("Comments (0)")
        outbox = tui.state_for_service("outbox")
        disk.fill()
        # A note: refused by the disk, said so, and kept.
        note = "note on a full disk " + uuid.uuid4().hex[:6]
        t.send("c")
        t.wait_text(f"note on #{tid} (internal, staff only):")
        t.type(note)
        t.send("Enter")
        t.wait_text("note not queued: no space left on the disk for the "
                    "outbox; it is kept (c or R brings it back)")
        assert not list(outbox.glob("*.json"))
        # A chat reply: the same, and its draft is kept in memory.
        t.send("2")
        t.wait_text("LAST MESSAGE")
        t.send("/")
        t.type("Carla Client")
        t.send("Enter")
        t.wait_text('client ~ "Carla Client" | 1 conversation')
        t.send("Enter")
        t.wait_for(lambda s: "Chat with Carla Client" in s and
                   "loading" not in s, what="Carla's conversation")
        reply = "reply on a full disk " + uuid.uuid4().hex[:6]
        t.send("r")
        t.wait_text("reply to Carla Client:")
        t.type(reply)
        t.send("Enter")
        t.wait_text("reply not queued: no space left on the disk for the "
                    "outbox; it is kept as the draft (r brings it back)")
        assert not list(outbox.glob("*.json"))
        assert t.exit_status() is None
        # Space again: both come back where they were typed, and go.
        disk.free()
        t.send("r")
        t.wait_text(f"reply to Carla Client: {reply}")
        t.send("Enter")
        t.wait_text("message sent", timeout=30)
        t.send("1")
        t.wait_text(f"#{tid} ")
        t.send("c")
        t.wait_text(f"note on #{tid} (internal, staff only): {note}")
        t.send("Enter")
        t.wait_text("note sent", timeout=30)
        assert stored_comments(svc, tid) == [note]
        s = svc.session()
        assert s.login("support@example.com").status == 200
        bodies = [m["body"] for m in s.get(
            "/conversations/1/messages?limit=100").data["results"]]
        assert bodies.count(reply) == 1
        assert t.exit_status() is None
    finally:
        tui.close()
        disk.unmount()

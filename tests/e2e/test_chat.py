"""Client chat in a real terminal: the list, live messages, history,
read marking, replies through the outbox, drafts, pastes, notifications.

Messages come from the demo client's own session (client@example.com,
Carla Client, conversation 1), as a client's browser would post them;
what the screen says is checked against what the service stored.
"""

import re
import subprocess
import uuid
from datetime import datetime

from e2e.conftest import Tui, client_says
from e2e.notify_bus import notify_bus  # noqa: F401
from e2e.test_notify import wait_bytes
from e2e.test_task_queue import rows
from e2e.test_triage import eventually, start_on_tasks
from e2e.waits import handled, raw_settled, settled, started, trace_lines

CARLA = "Carla Client"
TAB = re.compile(r"2 Chat \((\d+)\)")


def conversations(session):
    return session.all("/conversations")


def unread_total(session):
    return sum(c["unread_count"] for c in conversations(session))


def conversation(session, cid):
    for c in conversations(session):
        if c["id"] == cid:
            return c
    raise AssertionError(f"no conversation {cid}")


def messages(session, cid):
    return session.get(f"/conversations/{cid}/messages?limit=100") \
        .data["results"]


def open_chat(tui, role="support", width=110, height=30):
    """sitecare signed in as role, on the Chat tab with rows loaded."""
    t = tui.open(width=width, height=height, signed_in=role)
    t.wait_text("Tasks", timeout=20)
    t.send("2")
    t.wait_for(lambda s: "LAST MESSAGE" in s and "conversations" in s and
               "loading" not in s, timeout=20, what="the conversations")
    return t


def open_conversation(t, name=CARLA):
    """Filters the list to name and opens its conversation."""
    t.send("/")
    t.type(name)
    t.send("Enter")
    t.wait_for(lambda s: f'client ~ "{name}" | 1 conversation' in s,
               what=f"the list filtered to {name}")
    t.send("Enter")
    return t.wait_for(lambda s: f"Chat with {name}" in s and
                      "loading" not in s, what=f"{name}'s conversation")


def test_chat__thread__thousands_of_lines_open_at_once(tui, accounts):
    """Messages that lay out as thousands of lines (the service takes up
    to 10,000 characters: newlines alone, short lines) open like any
    other. The layout grew its line array by one at each line: the
    sanitiser build's realloc copied it every time, and the conversation
    stayed "loading messages..." past the wait (a CI failure)."""
    tail = "last of the long ones " + uuid.uuid4().hex[:6]
    for body in ["\n" * 9_999 + "x", "\n" * 9_999 + "y", "\n" * 9_999 + "z",
                 "line\n" * 2_000, tail]:
        client_says(accounts, body)
    t = open_chat(tui)
    open_conversation(t)
    t.wait_text(tail)


def test_chat__list__unread_first_and_total_in_tab(tui, accounts):
    s = accounts.staff("support")
    total = unread_total(s)
    assert total > 0, "the demo data has unread conversations"
    t = open_chat(tui)
    screen = t.wait_for(lambda s: TAB.search(s) and
                        int(TAB.search(s).group(1)) == total,
                        what=f"the tab saying {total} unread")
    assert f"unread {total}" in screen  # the status line too
    body = screen.splitlines()
    first = next(i for i, l in enumerate(body) if "LAST MESSAGE" in l) + 1
    # Unread conversations come first, each with its count.
    unread = [c for c in conversations(s) if c["unread_count"] > 0]
    for line in body[first:first + min(len(unread), 5)]:
        assert re.match(r"^\s+\d+\s", line), line


def test_chat__live__client_message_appears_and_is_read(tui, accounts):
    t = open_chat(tui)
    open_conversation(t)
    body = "live hello " + uuid.uuid4().hex[:6]
    sent = client_says(accounts, body)
    screen = t.wait_text(body, timeout=5)
    assert CARLA in screen
    # Open and in front: read on the service, and no unread for it.
    s = accounts.staff("support")
    eventually(lambda: conversation(s, 1)["unread_count"] == 0,
               what="conversation 1 marked read")
    assert sent["id"] == messages(s, 1)[-1]["id"]


def test_chat__history__older_pages_load_without_moving_the_view(
        tui, accounts):
    tag = uuid.uuid4().hex[:4]
    for i in range(70):
        client_says(accounts, f"hist {tag} {i:03d}")
    t = open_chat(tui, height=24)
    open_conversation(t)
    t.wait_text(f"hist {tag} 069")
    # The newest page is 020..069: g goes to its top, which fetches the
    # page before. The view is kept counted from the bottom, so when
    # the older page lands the screen still shows 020, not 000.
    t.send("g")
    settled(t)  # g handled: the older page's load has started
    screen = t.wait_for(lambda s: "loading" not in s and
                        f"hist {tag} 020" in s, what="the older page in")
    assert f"hist {tag} 020" in screen and f"hist {tag} 000" not in screen
    # g again and again reaches the conversation's first message.
    s = accounts.staff("support")
    oldest = s.get("/conversations/1/messages?limit=1&after=0").data
    first = oldest["results"][0]["body"]
    day = datetime.fromisoformat(oldest["results"][0]["created_at"]
                                 .replace("Z", "+00:00")).astimezone() \
        .strftime("%a %d %b %Y")
    sep = f"── {day} ──"
    for _ in range(60):
        t.send("g")
        settled(t)  # g handled: a load it starts is on the screen
        screen = t.wait_for(lambda x: "loading" not in x, what="loaded")
        if sep in screen and "(older messages" not in screen:
            break
    assert first in screen and sep in screen
    t.send("G")
    t.wait_text(f"hist {tag} 069")


def tab_count(screen):
    m = TAB.search(screen)
    return int(m.group(1)) if m else 0


def test_chat__read_elsewhere__unread_count_follows(tui, accounts):
    s = accounts.staff("admin")
    client_says(accounts, "unread " + uuid.uuid4().hex[:6])
    mine = conversation(s, 1)["unread_count"]
    assert mine > 0
    t = open_chat(tui)
    total = unread_total(s)
    t.wait_for(lambda x: tab_count(x) == total, what=f"{total} unread")
    last = messages(s, 1)[-1]["id"]
    r = s.post("/conversations/1/read", json={"last_read_message_id": last})
    assert r.status == 204, r
    # Another staff member read it: the conversation.read event.
    t.wait_for(lambda x: tab_count(x) == total - mine,
               what=f"{total - mine} unread after the read elsewhere")


def reply_while_down(t, svc, words):
    """Stops svc and replies in the open conversation (Carla's) once the
    client says so: the reply (words and a tag) waits in the outbox."""
    svc.stop()
    t.wait_for(lambda s: "reconnecting" in s or "offline" in s,
               timeout=30, what="the client noticing")
    body = f"{words} {uuid.uuid4().hex[:6]}"
    t.send("r")
    t.wait_text("reply to Carla Client:")
    t.type(body)
    t.send("Enter")
    t.wait_for(lambda s: re.search(
        r"you\s+(pending|sending\.\.\.|waiting to retry)", s) and
        body in s.split("reply to")[0], what="the reply pending")
    return body

def test_chat__reply__typed_while_down_arrives_once(
        fresh_service, sitecare_bin, tmp_path):
    svc = fresh_service(seed="demo")
    tui = Tui(sitecare_bin, svc, tmp_path / "home")
    try:
        t = open_chat(tui)
        open_conversation(t)
        body = reply_while_down(t, svc, "offline reply")
        svc.start()
        t.wait_text("message sent", timeout=60)
        t.wait_for(lambda s: "(you)" in s and body in s, timeout=20,
                   what="the reply shown as sent")
        s = svc.session()
        assert s.login("support@example.com").status == 200
        bodies = [m["body"] for m in messages(s, 1)]
        assert bodies.count(body) == 1
    finally:
        tui.close()


def leave_draft(tui):
    """Types a reply to Carla, leaves it as the draft and quits; the text."""
    t = open_chat(tui)
    open_conversation(t)
    draft = "half a thought " + uuid.uuid4().hex[:6]
    t.send("r")
    t.wait_text("reply to Carla Client:")
    t.type(draft)
    t.send("Escape")
    t.wait_text("kept as the draft")
    t.send("Escape")
    t.wait_text("[draft]")
    t.send("q")
    assert t.wait_exit() == 0
    return draft


def test_chat__draft__survives_quitting(tui, accounts):
    draft = leave_draft(tui)
    t2 = open_chat(tui)
    open_conversation(t2)
    t2.send("r")
    t2.wait_text("reply to Carla Client: " + draft)
    # Sending it removes the draft; nothing else was sent meanwhile.
    t2.send("Enter")
    t2.wait_text("message sent", timeout=20)
    s = accounts.staff("support")
    assert [m["body"] for m in messages(s, 1)].count(draft) == 1
    t2.send("Escape")
    t2.wait_gone("[draft]")


def test_chat__draft__hangup_with_the_line_open_keeps_it(tui):
    t = open_chat(tui)
    open_conversation(t)
    draft = "typed then quit " + uuid.uuid4().hex[:6]
    t.send("r")
    t.wait_text("reply to Carla Client:")
    t.type(draft)
    t._tmux("kill-session", "-t", "t", check=False)  # the terminal goes
    drafts = tui.state_for_service("drafts")
    eventually(lambda: (drafts / "1.txt").exists(),
               what="the draft written on hangup")
    assert (drafts / "1.txt").read_text() == draft


def test_chat__paste__several_lines_become_one_message(tui, accounts):
    t = open_chat(tui)
    open_conversation(t)
    tag = uuid.uuid4().hex[:6]
    text = "\n".join(f"pasted {tag} line {i}" for i in range(5))
    t.send("r")
    t.wait_text("reply to Carla Client:")
    t._tmux("set-buffer", "-b", "p", text)
    t._tmux("paste-buffer", "-p", "-b", "p", "-t", "t")
    t.wait_text("The paste has 5 lines")
    t.send("y")
    t.send("Enter")
    t.wait_text("message sent", timeout=20)
    s = accounts.staff("support")
    mine = [m["body"] for m in messages(s, 1) if tag in m["body"]]
    assert mine == [text]


def test_chat__reply__control_characters_never_leave(tui, accounts):
    t = open_chat(tui)
    open_conversation(t)
    tag = uuid.uuid4().hex[:6]
    t.send("r")
    t.wait_text("reply to Carla Client:")
    t.type(f"ctl {tag} ")
    t.send("C-v")
    t.send("Escape")  # a literal ESC typed with readline's quoted-insert
    t.type("[31mred")
    t.send("Enter")
    t.wait_text("message sent", timeout=20)
    s = accounts.staff("support")
    [body] = [m["body"] for m in messages(s, 1) if tag in m["body"]]
    assert "\x1b" not in body
    assert "red" in body


def test_chat__hostile_message__drawn_inert(tui, accounts, tmp_path):
    t = open_chat(tui)
    open_conversation(t)
    raw = tmp_path / "pane.raw"
    raw.touch()
    t._tmux("pipe-pane", "-o", "-t", "t", f"cat >> {raw}")
    tag = uuid.uuid4().hex[:6]
    client_says(accounts, f"evil {tag} \x1b]0;pwned\x07 \x1b[2J \u202e"
                          f"txet\u202c \x9b31m end")
    screen = t.wait_text(f"evil {tag}")
    assert "^[]0;pwned^G" in screen
    data = raw_settled(t, raw)  # every byte of that drawing is in
    assert b"\x1b]0;pwned" not in data and b"\xe2\x80\xae" not in data


def test_chat__notify__desktop_gets_client_message(
        tui, accounts, notify_bus):  # noqa: F811
    cfg = tui.home / "cfg" / "sitecare" / "config"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text("notifications = desktop\n")
    tui.env["DBUS_SESSION_BUS_ADDRESS"] = notify_bus.address
    t = tui.open(width=110, height=30, signed_in="support")
    t.wait_for(lambda s: "2 Chat" in s and "online" in s, timeout=20,
               what="online with the Chat tab")
    body = "ping " + uuid.uuid4().hex[:6]
    client_says(accounts, body)
    [n] = notify_bus.wait_for(lambda ns: len(ns) >= 1)
    assert n.summary == f"New message from {CARLA}"
    assert n.body == body


def test_chat__notify__terminal_osc_and_muted(tui, accounts, tmp_path):
    cfg = tui.home / "cfg" / "sitecare" / "config"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text("notifications = terminal\nnotification-text = false\n")
    tui.env["DBUS_SESSION_BUS_ADDRESS"] = ""
    t = open_chat(tui)
    raw = tmp_path / "pane.raw"
    raw.touch()
    t._tmux("pipe-pane", "-o", "-t", "t", f"cat >> {raw}")
    client_says(accounts, "secret words " + uuid.uuid4().hex[:6])
    title = f"New message from {CARLA}".encode()
    data = wait_bytes(raw, b"]777;notify;" + title)
    # notification-text = false: the OSCs carry the title only.
    oscs = re.findall(rb"\](?:777|9);[^\x07]*\x07", data)
    assert oscs and not any(b"secret words" in o for o in oscs), oscs
    # Muted: no more notifications for conversation 1.
    open_conversation(t)
    t.send("m")
    t.wait_text("conversation 1 muted for this session")
    # Back on the list, not in front of the conversation (Escape then a
    # key at once can read as Alt-key and leave it open, in front, where
    # nothing is announced anyway and the check below would prove
    # nothing).
    t.send("Escape")
    t.wait_for(lambda s: "LAST MESSAGE" in s, what="the list")
    count = raw.read_bytes().count(b"]777;")
    client_says(accounts, "after mute")
    t.wait_for(lambda s: "after mute" in s, what="the message in the list")
    data = raw_settled(t, raw)  # all it wrote for the message is in
    assert data.count(b"]777;") == count


def test_chat__jump__from_task_to_conversation_and_back(tui, accounts):
    start_on_tasks(tui)
    t = tui.open(width=110, height=30, signed_in="support")
    t.wait_for(lambda s: "2 Chat" in s and "online" in s, timeout=20,
               what="online")
    t.send(":")
    t.type("filter client=1 assignee=any")
    t.send("Enter")
    t.wait_for(lambda s: "Carla" in s and "loading" not in s, timeout=20,
               what="Carla's tasks")
    t.send("M")
    t.wait_text(f"Chat with {CARLA}", timeout=20)
    t.send("T")
    t.wait_for(lambda s: "client=1" in s and "1 Tasks" in s, timeout=20,
               what="back to Carla's tasks")


def test_chat__draft__survives_session_expiry_and_sign_in(
        fresh_service, sitecare_bin, tmp_path):
    svc = fresh_service(seed="demo")
    tui = Tui(sitecare_bin, svc, tmp_path / "home")
    try:
        t = open_chat(tui)
        open_conversation(t)
        draft = "before expiry " + uuid.uuid4().hex[:6]
        t.send("r")
        t.wait_text("reply to Carla Client:")
        t.type(draft)
        # The session dies; the event stream's reconnection finds out.
        svc.ctl("expire-sessions")
        svc.restart()
        t.wait_text("your session expired: sign in again", timeout=60)
        t.type("sitecare-demo")
        t.send("Enter")
        t.wait_for(lambda s: "Sign in to" not in s and "online" in s,
                   timeout=30, what="signed in again")
        t.send("Escape")  # back from the conversation to the list
        t.wait_text("[draft]", timeout=20)
        open_conversation(t)
        t.send("r")
        t.wait_text("reply to Carla Client: " + draft)
    finally:
        tui.close()


def test_chat__outbox__another_members_reply_held_back_and_said(
        fresh_service, sitecare_bin, tmp_path):
    """A reply queued as one member is not sent when another signs in on
    the same machine and service: the status line says so, and the
    service never gets it."""
    svc = fresh_service(seed="demo")
    tui = Tui(sitecare_bin, svc, tmp_path / "home")
    try:
        tui.login("support")
        body = "support's queued reply " + uuid.uuid4().hex[:6]
        svc.stop()
        try:
            r = subprocess.run([tui.bin, *tui.flags(), "reply", "1", body],
                               capture_output=True, text=True, timeout=60,
                               env={**tui.env, "PATH": "/usr/bin:/bin"})
            assert r.returncode == 1 and "kept in the outbox" in r.stderr, r
        finally:
            svc.start()
        t = tui.open(width=200, signed_in="admin")
        t.wait_text("outbox: 1 item held back, not sent as you (queued as "
                    "support@example.com, not as admin@example.com",
                    timeout=20)
        s = svc.session()
        assert s.login("admin@example.com").status == 200
        assert body not in [m["body"] for m in messages(s, 1)]
        assert len(list(tui.state_for_service("outbox").glob("*.json"))) == 1
    finally:
        tui.close()


def test_chat__terminal_focus__away_notifies_and_keeps_unread(
        tui, accounts, tmp_path):
    """With tmux telling focus (an attached client, focus-events on), the
    open conversation counts as seen only while its pane has the focus."""
    cfg = tui.home / "cfg" / "sitecare" / "config"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text("notifications = terminal\n")
    tui.env["DBUS_SESSION_BUS_ADDRESS"] = ""
    t = open_chat(tui)
    t.attach()
    open_conversation(t)
    raw = tmp_path / "pane.raw"
    raw.touch()
    t._tmux("pipe-pane", "-o", "-t", "t:0", f"cat >> {raw}")
    s = accounts.staff("support")
    notice = f"]777;notify;New message from {CARLA}".encode()
    # Looking: drawn, read at once, no notification.
    seen = "while looking " + uuid.uuid4().hex[:6]
    client_says(accounts, seen)
    t.wait_text(seen, timeout=5)
    eventually(lambda: conversation(s, 1)["unread_count"] == 0,
               what="conversation 1 read while in front")
    assert notice not in raw_settled(t, raw)
    # Another tmux window in front: tmux sends ESC [O, and the client has
    # read it once a key sent after it is handled.
    t.away()
    handled(t)
    before = len(trace_lines(t))
    missed = "while away " + uuid.uuid4().hex[:6]
    client_says(accounts, missed)
    wait_bytes(raw, notice + b";" + missed.encode())
    t.wait_text(missed, timeout=5)  # drawn, in the window behind
    # Marking read starts right after the draw that showed it: by a frame
    # drawn after a later key, it would have started.
    handled(t)
    since = trace_lines(t)[before:]
    assert not started(since, "POST", "/api/v1/conversations/1/read"), since
    assert conversation(s, 1)["unread_count"] == 1
    # Back (ESC [I): what is on screen is read now.
    t.back()
    eventually(lambda: conversation(s, 1)["unread_count"] == 0,
               what="conversation 1 read once back")
    # :checkhealth says so too.
    t.send(":")
    t.type("checkhealth")
    t.send("Enter")
    t.wait_for(lambda s: "focus-events on: a conversation" in s and
               "focus reports arrive" in s, timeout=15,
               what="the focus lines of :checkhealth")


def test_chat__nul_in_a_message__shown_as_replacement_not_refused(
        tui, accounts):
    """JSON allows \\u0000; one client's message with it must not make
    the conversation list or the conversation unreadable."""
    body = "before\x00after " + uuid.uuid4().hex[:6]
    client_says(accounts, body)
    t = open_chat(tui)
    shown = body.replace("\x00", "\ufffd")
    t.wait_text(shown[:12])  # the list's preview
    open_conversation(t)
    t.wait_text(shown)
    later = "and then " + uuid.uuid4().hex[:6]
    client_says(accounts, later)  # live, through the event stream
    t.wait_text(later, timeout=5)
    assert "malformed" not in t.screen()


def test_chat__crlf_message__lines_without_carriage_returns(tui, accounts):
    tag = uuid.uuid4().hex[:6]
    client_says(accounts, f"first {tag}\r\nsecond {tag}\r\n")
    t = open_chat(tui)
    screen = open_conversation(t)
    screen = t.wait_text(f"second {tag}")
    lines = screen.splitlines()
    first = next(i for i, x in enumerate(lines) if f"first {tag}" in x)
    assert f"second {tag}" in lines[first + 1], screen
    assert "^M" not in screen


def write_config(tui, text):
    cfg = tui.home / "cfg" / "sitecare" / "config"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text(text)


def quit_client(t):
    """q, and the client is gone (exit status 0). The start-pane tests
    sign another member in with the same home: a client still running
    with the old session can make the new one fail (README, known
    limits), which is not what they test."""
    t.send("q")
    assert t.wait_exit() == 0


def test_chat__start_pane__support_starts_on_chat_others_on_tasks(tui):
    t = tui.open(width=110, height=30, signed_in="support")
    t.wait_for(lambda s: "(support)" in s and "LAST MESSAGE" in s,
               timeout=20, what="support on the Chat pane, no key pressed")
    quit_client(t)
    t = tui.open(width=110, height=30, signed_in="admin")
    screen = t.wait_for(lambda s: "(admin)" in s and rows(s), timeout=20,
                        what="admin on the Tasks pane")
    assert "LAST MESSAGE" not in screen


def test_chat__start_pane__config_chooses_and_is_checked(tui):
    write_config(tui, "start-pane = chat\n")
    t = tui.open(width=110, height=30, signed_in="admin")
    t.wait_for(lambda s: "(admin)" in s and "LAST MESSAGE" in s,
               timeout=20, what="admin on Chat, as the config says")
    quit_client(t)
    # A pane the role cannot see: said, and the role's own used.
    write_config(tui, "start-pane = credentials\n")
    t = tui.open(width=160, height=30, signed_in="support")
    t.wait_for(lambda s: "LAST MESSAGE" in s and
               "start-pane = credentials: not available to support; "
               "starting on chat" in s, timeout=20,
               what="the refused start pane said")
    quit_client(t)
    # A name that is no pane: said, and the default used.
    write_config(tui, "start-pane = inbox\n")
    t = tui.open(width=160, height=30, signed_in="admin")
    t.wait_for(lambda s: rows(s) and
               'start-pane: "inbox" is not one of auto, tasks, chat' in s,
               timeout=20, what="the unknown start pane said")


def read_everything(session):
    """Marks every conversation read for session's member."""
    for c in conversations(session):
        if c["unread_count"] > 0:
            last = messages(session, c["id"])[-1]["id"]
            r = session.post(f"/conversations/{c['id']}/read",
                             json={"last_read_message_id": last})
            assert r.status == 204, r


def test_chat__next_unread__from_any_pane_wraps_then_says_none(
        tui, accounts):
    s = accounts.staff("support")
    read_everything(s)
    body = "hotlist " + uuid.uuid4().hex[:6]
    client_says(accounts, body)
    start_on_tasks(tui)
    t = tui.open(width=110, height=30, signed_in="support")
    t.wait_for(lambda s: "(support)" in s and rows(s) and
               tab_count(s) == 1, timeout=20,
               what="on Tasks with one unread conversation")
    # From the Tasks pane: to Chat, into the one unread conversation
    # (the first row, the cursor's own: found by wrapping round).
    t.send("]")
    t.wait_for(lambda s: body in s and "LAST MESSAGE" not in s,
               timeout=20, what="the unread conversation opened")
    t.wait_for(lambda s: tab_count(s) == 0, what="read once opened")
    t.send("]")
    t.wait_text("no unread conversations")


LISTED = re.compile(r"(\d+)\+? conversations? \|")


def test_chat__read__a_page_asked_before_the_read_keeps_it_read(
        tui, accounts, service):
    """Over HTTP/2 and several workers a list page and the read run side by
    side: a page the service computed before it took the read still counts
    the message unread, and must not bring the count back."""
    read_everything(accounts.staff("support"))
    body = "stale page " + uuid.uuid4().hex[:6]
    client_says(accounts, body)
    start_on_tasks(tui)
    log = service.state / "front" / "access.log"
    before = log.read_text().count("GET /api/v1/conversations?limit=")
    # Every list page is answered 4 s after its view ran: the recent
    # conversations' page, asked for as the unread one arrives, is computed
    # before the read below and arrives after it.
    service.ctl("delay", "4", "--match", r"^GET /api/v1/conversations$")
    try:
        t = tui.open(width=110, height=30, signed_in="support")
        t.wait_for(lambda s: "(support)" in s and tab_count(s) == 1,
                   timeout=30, what="one unread conversation")
        t.send("]")
        t.wait_for(lambda s: body in s and "LAST MESSAGE" not in s,
                   timeout=20, what="the unread conversation opened")
        t.wait_for(lambda s: tab_count(s) == 0, what="read once opened")
        eventually(lambda: log.read_text().count(
            "GET /api/v1/conversations?limit=") > before, timeout=30,
            what="the recent page answered (the front's access log)")
        t.send("Escape")
        screen = t.wait_for(lambda s: (m := LISTED.search(s)) and
                            int(m.group(1)) > 1, timeout=20,
                            what="the recent page merged into the list")
        assert tab_count(screen) == 0, screen
        t.send("]")
        t.wait_text("no unread conversations")
    finally:
        service.ctl("delay", "0")

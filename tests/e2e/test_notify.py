"""Notifications from the real binary: desktop through D-Bus, terminal
through tmux.

The :checkhealth page's `n` key sends a test notification through the
notify module by the route the config's `notifications` chose. Desktop
tests give the pane a private session bus (notify_bus.py: dbus-run-session
and python3-dbusmock's notification daemon) and read back the Notify
calls; terminal tests read the pane's raw output with `pipe-pane`.

The hostile tests send what a client controls (a message's text, through
the reference service; through the hostile server also the client's name,
raw bytes and a 200 KB line) and check what the daemon received: plain,
valid UTF-8, bounded text with no control that could drive anything, and
markup escaped exactly when the daemon reads markup.

The stalled test stops the mock daemon (SIGSTOP) while notifications are
due: the interface must keep taking keys (libnotify's calls run off the
loop), drop the oldest waiting past the queue's bound and say so, and
deliver the rest when the daemon answers again.
"""

import html
import re
import time
import unicodedata
import uuid

from e2e.notify_bus import NotifyBus, notify_bus  # noqa: F401
from e2e.conftest import client_says
from e2e.test_hostile import (EVERY_POISON, assert_inert, assert_untouched,
                              hostile, quits_cleanly, shim,
                              tls)  # noqa: F401
from e2e.test_task_queue import rows, selected_id
from e2e.waits import raw_settled

ROW = re.compile(r"^ ?([*+])?\s+(urgent|high|normal|low)\s+(\d+)\s")
NOTE = "sitecare checkhealth test notification"
# What the terminal route writes inside tmux: each OSC in a DCS
# passthrough (ESC doubled), then a plain bell.
OSC777 = b"\x1bPtmux;\x1b\x1b]777;notify;sitecare;" + NOTE.encode() + \
    b"\x07\x1b\\"
OSC9 = b"\x1bPtmux;\x1b\x1b]9;sitecare: " + NOTE.encode() + b"\x07\x1b\\"


def configure(tui, mode, bus_address):
    """Writes `notifications = mode` and gives the pane bus_address
    ("" for no bus: the pane must not inherit one)."""
    cfg = tui.home / "cfg" / "sitecare" / "config"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text(f"notifications = {mode}\n")
    tui.env["DBUS_SESSION_BUS_ADDRESS"] = bus_address


def open_checkhealth(tui, tmp_path):
    """Opens sitecare signed in, starts recording the pane's raw output,
    opens :checkhealth; returns the terminal and the output file."""
    t = tui.open(width=140, height=70, signed_in="admin")
    t.wait_for(lambda s: sum(bool(ROW.match(x)) for x in s.splitlines()) > 3,
               timeout=20, what="task rows")
    raw = tmp_path / "pane.raw"
    raw.touch()
    t._tmux("pipe-pane", "-o", "-t", "t", f"cat >> {raw}")
    t.send(":")
    t.type("checkhealth")
    t.send("Enter")
    t.wait_for(lambda s: "Escape or q closes" in s and "n: send a test" in s,
               timeout=15, what="the checkhealth page")
    return t, raw


def wait_bytes(raw, *needles, count=1, timeout=10.0):
    """Waits until the pane's raw output holds every needle count times."""
    deadline = time.monotonic() + timeout
    data = b""
    while time.monotonic() < deadline:
        data = raw.read_bytes()
        if all(data.count(n) >= count for n in needles):
            return data
        time.sleep(0.05)  # poll interval, the deadline above decides
    raise AssertionError(f"pane output lacks {needles!r}; it ends with "
                         f"{data[-400:]!r}")


def test_notify__desktop__mock_daemon_receives_summary_and_body(
        tui, tmp_path, notify_bus):  # noqa: F811
    configure(tui, "desktop", notify_bus.address)
    t, raw = open_checkhealth(tui, tmp_path)
    t.wait_text("n: send a test notification (desktop (libnotify))")
    t.send("n")
    t.wait_text("sent a test notification by desktop (libnotify)")
    [n] = notify_bus.wait_for(lambda ns: len(ns) >= 1)
    assert n.app_name == "sitecare"
    assert n.summary == "sitecare"
    assert n.body == NOTE
    assert n.urgency == 1
    assert n.timeout == 5000
    t.send("n")
    ns = notify_bus.wait_for(lambda ns: len(ns) >= 2)
    assert [(x.summary, x.body) for x in ns] == [("sitecare", NOTE)] * 2
    # Desktop only, no OSC: none in all the client wrote by now.
    assert b"]777;" not in raw_settled(t, raw)
    # Closing releases libnotify cleanly (the sanitised build checks).
    t.send("Escape")
    t.wait_gone("Checkhealth")
    t.send("q")
    assert t.wait_exit() == 0


def mapped(pid, name):
    """True when the process maps a library whose file name starts so."""
    with open(f"/proc/{pid}/maps") as f:
        return any(line.rsplit("/", 1)[-1].startswith(name) for line in f)


def test_notify__desktop__libnotify_is_mapped_only_once_used(
        tui, tmp_path, notify_bus):  # noqa: F811
    # libnotify and GLib cost every session resident memory when mapped
    # at start: they are opened at the first desktop notification.
    configure(tui, "desktop", notify_bus.address)
    t, raw = open_checkhealth(tui, tmp_path)
    pid = t.pid()
    for lib in ("libnotify.so", "libglib-2.0.so", "libgio-2.0.so"):
        assert not mapped(pid, lib), f"{lib} mapped before any notification"
    t.send("n")
    notify_bus.wait_for(lambda ns: len(ns) >= 1)
    assert mapped(pid, "libnotify.so") and mapped(pid, "libglib-2.0.so")
    t.send("Escape")
    t.wait_gone("Checkhealth")
    t.send("q")
    assert t.wait_exit() == 0


def test_notify__terminal__osc_reaches_tmux_without_bus(tui, tmp_path):
    configure(tui, "terminal", "")
    t, raw = open_checkhealth(tui, tmp_path)
    t.wait_text("notification (terminal (OSC 777/9, tmux passthrough))")
    t.send("n")
    t.wait_text("sent a test notification by terminal (OSC 777/9, tmux "
                "passthrough)")
    data = wait_bytes(raw, OSC777, OSC9)
    assert data.index(OSC777) < data.index(OSC9)
    assert b"\x07" in data[data.index(OSC9) + len(OSC9):]  # the bell
    assert t.exit_status() is None


def test_notify__desktop__stale_bus_falls_back_to_terminal(tui, tmp_path):
    configure(tui, "desktop", f"unix:path={tmp_path}/no-such-bus")
    t, raw = open_checkhealth(tui, tmp_path)
    t.wait_text("n: send a test notification (desktop (libnotify))")
    t.send("n")
    screen = t.wait_text("sent a test notification by terminal (desktop "
                         "failed:")
    assert "desktop failed: no notification service" in screen
    wait_bytes(raw, OSC777, OSC9)
    # libnotify's warnings must not reach the screen.
    assert "WARNING" not in t.screen()
    t.send("n")
    wait_bytes(raw, OSC777, OSC9, count=2)
    assert t.exit_status() is None


def test_notify__desktop__bus_without_daemon_falls_back(tui, tmp_path):
    with NotifyBus(start_daemon=False) as bus:
        configure(tui, "desktop", bus.address)
        t, raw = open_checkhealth(tui, tmp_path)
        t.send("n")
        t.wait_text("sent a test notification by terminal (desktop "
                    "failed:")
        wait_bytes(raw, OSC777, OSC9)
        assert t.exit_status() is None


# -- hostile text on the desktop route --------------------------------------

CARLA = "Carla Client"
# What tui/notify.c passes on at most: columns of the summary and of the
# body, lines of the body; a column is never more than one 4-byte
# character (or a 4-column <9B> escape), and a cut adds "…".
TITLE_COLS, BODY_COLS, BODY_LINES = 80, 240, 6
COL_BYTES, DOTS = 4, "\u2026"

# Never in a notification: C0 controls (ESC and BEL among them) but the
# body's newlines, DEL, C1 controls, bidi embeddings/overrides/isolates.
FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f\u0080-\u009f"
                       "\u202a-\u202e\u2066-\u2069]")
# What g_markup_escape_text writes ("'" as &apos; or, in some GLib
# versions, &#39;).
ENTITY = re.compile(r"&(?:amp|lt|gt|quot|apos|#39);")

# Terminal controls of every kind, written as a client can (the
# reference service takes JSON, so valid UTF-8 only), and how the
# sanitiser shows them: visibly, never obeyed.
CONTROLS = ("\x1b]0;PWN-T0\x07 \x1b]52;c;cm0gLXJmIH4K\x07 \x1b[2J\x1b[3J "
            "bell\x07 \u009b31m \u0085\u009d0;x\u009c "
            "\u202egnp.exe\u202c \u2066iso\u2069 del\x7f tab\tcr\rend")
CONTROLS_SHOWN = ("^[]0;PWN-T0^G ^[]52;c;cm0gLXJmIH4K^G ^[[2J^[[3J "
                  "bell^G <9B>31m <85><9D>0;x<9C> "
                  "gnp.exe iso del^? tab cr^Mend")
MARKUP = ('<b>x</b> <a href="https://tracker.example/x">link</a> '
          '<img src="https://tracker.example/p.png"> &amp; \'q\'')
MARKUP_ESCAPED = ("&lt;b&gt;x&lt;/b&gt; &lt;a href=&quot;https://tracker."
                  "example/x&quot;&gt;link&lt;/a&gt; &lt;img src=&quot;"
                  "https://tracker.example/p.png&quot;&gt; &amp;amp; "
                  "&apos;q&apos;")
# Broken UTF-8 as raw bytes (hostile_server.dump): a bad continuation,
# an encoded surrogate, an overlong '/', a 5-byte form, a lone 0xff.
BROKEN = "\udcc3( \udced\udca0\udc80 \udcc0\udcaf " \
    "\udcf8\udc88\udc80\udc80\udc80 \udcff"
# Each maximal broken part becomes one U+FFFD.
BROKEN_SHOWN = "\ufffd( \ufffd\ufffd\ufffd \ufffd\ufffd " \
    "\ufffd\ufffd\ufffd\ufffd\ufffd \ufffd"


def columns(text):
    """About what wcwidth() adds up to: combining marks and format
    characters take none, wide ones two, newlines none."""
    width = 0
    for ch in text:
        if ch == "\n" or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return width


def assert_plain(text, cols, lines, what):
    """text is valid UTF-8, holds nothing that could drive a terminal or
    reorder the text around it, and is as short as notify.c promises."""
    text.encode("utf-8")  # strict: a lone surrogate would raise
    bad = FORBIDDEN.search(text)
    assert bad is None, f"{what} holds {bad.group()!r}: {text[:300]!r}"
    assert text.count("\n") < lines, f"{what}: {text.count(chr(10))} lines"
    assert columns(text) <= cols, f"{what}: {columns(text)} columns"
    assert len(text.encode()) <= cols * COL_BYTES + len(DOTS.encode()), \
        f"{what}: {len(text.encode())} bytes"


def unmarkup(body):
    """The text a daemon that reads markup shows for body; fails on any
    tag or on an '&' that starts no entity g_markup_escape_text makes."""
    assert "<" not in body and ">" not in body, f"a tag in {body!r}"
    assert body.count("&") == len(ENTITY.findall(body)), body
    return html.unescape(body)


def assert_notification_inert(n, markup):
    """Summary and body of Notify call n as assert_plain wants them; the
    body unescaped first when the daemon reads markup. Returns the shown
    body."""
    assert_plain(n.summary, TITLE_COLS, 1, "the summary")
    body = unmarkup(n.body) if markup else n.body
    assert_plain(body, BODY_COLS, BODY_LINES, "the body")
    return body


def desktop_tui(tui, bus, role="support", text=True):
    """sitecare signed in as role with desktop notifications on bus,
    online with its event stream."""
    cfg = tui.home / "cfg" / "sitecare" / "config"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text("notifications = desktop\n" +
                   ("" if text else "notification-text = false\n"))
    tui.env["DBUS_SESSION_BUS_ADDRESS"] = bus.address
    t = tui.open(width=110, height=30, signed_in=role)
    t.wait_for(lambda s: "2 Chat" in s and "online" in s, timeout=20,
               what="online with the Chat tab")
    return t


def client_notifications(bus, bodies, accounts):
    """The demo client says each of bodies; the Notify calls they made,
    in order."""
    for body in bodies:
        client_says(accounts, body)
    ns = bus.wait_for(lambda ns: len(ns) >= len(bodies))
    assert len(ns) == len(bodies), ns
    assert all(n.summary == f"New message from {CARLA}" for n in ns), ns
    return ns


def test_notify__desktop__client_controls_and_markup_arrive_inert(
        tui, accounts, notify_bus):  # noqa: F811
    assert "body-markup" in notify_bus.server_capabilities()
    desktop_tui(tui, notify_bus)
    tag = uuid.uuid4().hex[:6]
    controls, markup = client_notifications(
        notify_bus, [f"ctl {tag} {CONTROLS}", f"mk {tag} {MARKUP}"],
        accounts)
    assert assert_notification_inert(controls, markup=True) == \
        f"ctl {tag} {CONTROLS_SHOWN}"
    # The daemon reads markup: every tag arrives escaped, once.
    assert markup.body.replace("&#39;", "&apos;") == \
        f"mk {tag} {MARKUP_ESCAPED}"
    assert "&lt;img" in markup.body and "&lt;a href" in markup.body
    assert assert_notification_inert(markup, markup=True) == \
        f"mk {tag} {MARKUP}"


def test_notify__desktop__daemon_without_markup_gets_plain_text(
        tui, accounts):
    with NotifyBus(capabilities=["body"]) as bus:
        assert bus.server_capabilities() == ["body"]
        desktop_tui(tui, bus)
        tag = uuid.uuid4().hex[:6]
        controls, markup = client_notifications(
            bus, [f"ctl {tag} {CONTROLS}", f"mk {tag} {MARKUP}"], accounts)
        # No markup read, none escaped: the text as the client wrote it.
        assert markup.body == f"mk {tag} {MARKUP}"
        assert assert_notification_inert(markup, markup=False) == \
            markup.body
        assert assert_notification_inert(controls, markup=False) == \
            f"ctl {tag} {CONTROLS_SHOWN}"


def test_notify__desktop__long_messages_are_bounded(
        tui, accounts, notify_bus):  # noqa: F811
    desktop_tui(tui, notify_bus)
    # The service takes at most 10,000 characters: a long line, many
    # lines, nothing but newlines, wide characters, zero-width marks,
    # and escapes that grow when shown.
    longs = ["W" * 10_000, "line\n" * 2_000, "\n" * 9_999 + "x",
             "\u4e00" * 10_000, "e" + "\u0301" * 9_999,
             "\x1b" * 5_000 + "\u009b" * 5_000, "<&>" * 3_333]
    ns = client_notifications(notify_bus, longs, accounts)
    shown = [assert_notification_inert(n, markup=True) for n in ns]
    assert shown[0] == "W" * (BODY_COLS - 1) + DOTS
    # The lines after the sixth run on, joined by spaces.
    assert shown[1].startswith("line\n" * (BODY_LINES - 1) + "line line ")
    assert shown[2] == "\n" * (BODY_LINES - 1) + " " * (BODY_COLS - 1) + DOTS
    assert shown[3] == "\u4e00" * (BODY_COLS // 2 - 1) + DOTS
    # Marks take no column but bytes: cut at 4 bytes a column.
    assert shown[4] == "e" + "\u0301" * 478 + DOTS
    assert shown[5] == "^[" * (BODY_COLS // 2 - 1) + "^" + DOTS
    assert shown[6] == "<&>" * (BODY_COLS // 3 - 1) + "<&" + DOTS


def test_notify__desktop__hidden_text_sends_no_message_text(
        tui, accounts, notify_bus):  # noqa: F811
    desktop_tui(tui, notify_bus, text=False)
    secret = "secret " + uuid.uuid4().hex[:6]
    [n] = client_notifications(notify_bus, [f"{secret} {MARKUP}"],
                               accounts)
    assert n.body == ""
    assert secret not in repr(n) and "tracker.example" not in repr(n)
    assert_notification_inert(n, markup=True)


def test_notify__desktop__hostile_urgent_task_arrives_inert(
        tui, service, notify_bus):  # noqa: F811
    desktop_tui(tui, notify_bus, role="admin")
    tag = uuid.uuid4().hex[:6]
    task = service.ctl("create-task", "--client-id", "1", "--title",
                       f"urgent {tag} {CONTROLS}", "--priority",
                       "urgent")["task"]
    [n] = notify_bus.wait_for(lambda ns: len(ns) >= 1, timeout=20)
    assert n.summary == f"Urgent task #{task['id']}"
    assert n.urgency == 2
    assert assert_notification_inert(n, markup=True) == \
        f"{CARLA}: urgent {tag} {CONTROLS_SHOWN}"


# -- a stalled daemon ---------------------------------------------------------

# How many notifications wait behind the one being shown
# (tui/notify_queue.h's NOTIFY_QUEUE_MAX).
QUEUE_MAX = 8
TAB_UNREAD = re.compile(r"2 Chat \((\d+)\)")


def unread(screen):
    """The Chat tab's unread count (0 when it shows none)."""
    m = TAB_UNREAD.search(screen)
    return int(m.group(1)) if m else 0


def test_notify__desktop__stalled_daemon_never_stalls_keys(
        tui, accounts, notify_bus):  # noqa: F811
    t = desktop_tui(tui, notify_bus, role="admin")
    t.wait_for(lambda s: len(rows(s)) > 5, timeout=20, what="task rows")
    notify_bus.stall()  # every D-Bus call to the daemon now waits
    before, tag = unread(t.screen()), uuid.uuid4().hex[:6]
    client_says(accounts, f"stalled 0 {tag}")
    # The message is counted, though its notification waits on the
    # daemon (the count comes after the notification is sent).
    t.wait_for(lambda s: unread(s) > before, timeout=10,
               what="the new message counted while the daemon is stalled")
    first = selected_id(t)
    assert first is not None
    t.send("j")
    deadline = time.monotonic() + 2.0
    while selected_id(t) in (first, None):
        assert time.monotonic() < deadline, \
            "j did not move the cursor while the daemon was stalled"
        time.sleep(0.02)  # poll interval, the deadline above decides
    # More than wait behind the stalled one: the oldest waiting two go,
    # and the status line says so.
    for i in range(1, QUEUE_MAX + 3):
        client_says(accounts, f"stalled {i} {tag}")
    t.wait_text("the desktop is not answering: 2 notifications dropped")
    notify_bus.resume()
    kept = [0] + list(range(3, QUEUE_MAX + 3))
    notify_bus.wait_for(lambda ns: len(ns) >= len(kept), timeout=30)
    # Nothing more arrives: one message sent once the queue has drained
    # (sooner, it would push the oldest waiting out) is notified after
    # the rest, and nothing came between (the queue keeps its order).
    client_says(accounts, f"stalled last {tag}")
    ns = notify_bus.wait_for(lambda ns: any(n.body == f"stalled last {tag}"
                                            for n in ns), timeout=30)
    assert [n.body for n in notify_bus.notifications()] == \
        [f"stalled {i} {tag}" for i in kept] + [f"stalled last {tag}"], ns
    t.send("q")
    assert t.wait_exit() == 0


def hostile_desktop(hostile, bus, poison):  # noqa: F811
    """The client on the hostile server (every string carrying poison)
    with desktop notifications on bus, online with its event stream."""
    h = hostile(poison)
    cfg = h.home / "cfg" / "sitecare" / "config"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    with cfg.open("a") as f:  # after the fixture's start-pane
        f.write("notifications = desktop\n")
    h.env["DBUS_SESSION_BUS_ADDRESS"] = bus.address
    t = h.open(width=120)
    t.wait_text("3 tasks", timeout=20)
    t.wait_for(lambda s: h.server.streams == 1, what="the event stream")
    return h, t


def test_notify__desktop__hostile_name_and_body_arrive_inert(
        hostile, notify_bus):  # noqa: F811
    # The client's name (the summary) and the message carry broken
    # UTF-8 (raw bytes), markup and every terminal poison.
    h, t = hostile_desktop(hostile, notify_bus,
                           f"{BROKEN} {MARKUP} {EVERY_POISON}")
    h.server.push("message.created", {
        "conversation_id": 2,
        "message": h.server.message(21, 2, body=h.server.text("Live21"))},
        event_id=5)
    [n] = notify_bus.wait_for(lambda ns: len(ns) >= 1)
    # The summary is plain text (the specification has no markup there).
    assert n.summary.startswith(
        f"New message from Client2 {BROKEN_SHOWN} {MARKUP[:30]}")
    assert n.summary.endswith(DOTS)
    shown = assert_notification_inert(n, markup=True)
    assert shown.startswith(f"Live21 {BROKEN_SHOWN} {MARKUP} ^[]0;PWN-T0^G")
    # Desktop only: nothing of it went to the terminal.
    assert b"]777;" not in h.raw.read_bytes()
    assert_untouched(h)
    quits_cleanly(t)
    assert_inert(h.raw_text())


def test_notify__desktop__hostile_200kb_lines_are_bounded(
        hostile, notify_bus):  # noqa: F811
    # Names and bodies of 200 KB: zero-width marks, then a long word.
    huge = "\u0301" * 50_000 + "W" * 100_000
    h, t = hostile_desktop(hostile, notify_bus, "PWNHUGE" + huge)
    for i, body in enumerate(["W" * 200_000, "\u0301" * 100_000,
                              "\n" * 200_000, h.server.text("Live")]):
        h.server.push("message.created", {
            "conversation_id": 2,
            "message": h.server.message(21 + i, 2, body=body)},
            event_id=5 + i)
    ns = notify_bus.wait_for(lambda ns: len(ns) >= 4, timeout=20)
    assert len(ns) == 4, ns
    shown = [assert_notification_inert(n, markup=True) for n in ns]
    for n in ns:
        assert n.summary.startswith("New message from Client2 PWNHUGE\u0301")
        assert n.summary.endswith(DOTS)
    assert shown[0] == "W" * (BODY_COLS - 1) + DOTS
    assert shown[2].startswith("\n" * (BODY_LINES - 1) + "   ")
    assert shown[3].startswith("Live PWNHUGE\u0301")
    quits_cleanly(t)
    assert_inert(h.raw_text())

"""The real client against a hostile server (helpers/hostile_server.py).

The server speaks the contract, but every string the client draws carries
terminal escape sequences, C1 controls, bidi overrides or a huge line, and
chosen paths answer with malformed JSON, wrong types, deep nesting,
endless or oversized bodies, or nothing at all. Each test proves that the
program keeps running and obeys keys (panes switch, q quits with status
0), that the screen shows the hostile text sanitised, that the raw bytes
written to the terminal (tmux pipe-pane, from the very first byte) hold
none of the server's sequences, that what the client itself handed
curses to draw holds none either (helpers/drawn.py: ncurses would turn an
ESC into ^[ by itself, so the terminal's bytes alone cannot tell), and that
a broken answer is reported in words.
"""

import json
import re
import shlex
import subprocess

import pytest

from e2e.tmux import Terminal
from helpers.drawn import assert_drawn_inert, build_shim, preload_env
from helpers.hostile_server import (ENDLESS, HostileServer, dump,
                                    make_certificates)
from integration.fault_server import trickle_then_stall

TASKS = "/api/v1/tasks"

# What a terminal must never receive from server text: title sets (OSC 0,
# 1, 2), clipboard writes (OSC 52), screen clears and resets (ESC c, ED),
# C1 controls in any encoding, and bidi embeddings, overrides, isolates.
OSC_TITLE = re.compile(rb"\x1b\][012];")
OSC_52 = re.compile(rb"\x1b\]52;")
RIS = re.compile(rb"\x1bc")
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
C1 = re.compile("[\u0080-\u009f]")

POISONS = {
    "osc_title": "\x1b]0;PWN-T0\x07\x1b]2;PWN-T2\x1b\\\x1b]1;PWN-T1\x07",
    "osc52": "\x1b]52;c;cm0gLXJmIH4K\x07\x1b]52;p;?\x1b\\",
    "clear": "PWNCLR\x1b[2J\x1b[3J\x1bc\x1b[H\x1b[?1049l\x1b[?25l",
    "c1": "PWNC1\u009b2J\u009d0;PWN-C1\u009c\u0085\u0090q\u009c",
    "bidi": "PWN\u202egnp.exe\u202c\u2066iso\u2069\u202a\u202b\u202d\u2067\u2068",
    # Raw bytes, not UTF-8: a lone C1 CSI, OSC and ST (0x9b, 0x9d, 0x9c).
    "raw_c1": "PWNRAW\udc9b2J\udc9d0;PWN-RAW\udc9c",
}

# How each poison is drawn: visibly, never obeyed.
SHOWN = {
    "osc_title": "^[]0;PWN-T0^G",
    "osc52": "^[]52;c;cm0gLXJmIH4K^G",
    "clear": "PWNCLR^[[2J^[[3J^[c",
    "c1": "PWNC1<9B>2J<9D>0;PWN-C1<9C>",
    "bidi": "PWNgnp.exeiso",
    "raw_c1": "PWNRAW\ufffd2J\ufffd0;PWN-RAW\ufffd",
}


@pytest.fixture(scope="module")
def tls(tmp_path_factory):
    """A throwaway CA and a certificate for 127.0.0.1; no service needed."""
    return make_certificates(tmp_path_factory.mktemp("hostile-tls"))


@pytest.fixture(scope="module")
def shim(sitecare_bin, tmp_path_factory):
    """The library that logs what the client hands curses to draw."""
    return build_shim(sitecare_bin, tmp_path_factory.mktemp("drawn-shim"))


class Hostile:
    """A hostile server and the client pointed at it, signed in."""

    def __init__(self, tls, shim, sitecare_bin, home, poison=""):
        self.server = HostileServer(tls / "server.pem", tls / "server.key",
                                    poison)
        self.bin, self.home = str(sitecare_bin), home
        self.flags = ["--url", self.server.url,
                      "--ca-file", str(tls / "ca.pem")]
        self.env = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / "cfg"),
                    "XDG_STATE_HOME": str(home / "state"),
                    "XDG_DATA_HOME": str(home / "data")}
        self.raw = home / "pane.raw"
        self.drawn = home / "drawn"
        self.env.update(preload_env(shim, sitecare_bin, self.drawn))
        self.t = None
        # The server's member is support, who starts on Chat by default;
        # these tests begin in the task queue.
        cfg = home / "cfg" / "sitecare" / "config"
        cfg.parent.mkdir(parents=True, exist_ok=True)
        cfg.write_text("start-pane = tasks\n")

    def login(self):
        r = subprocess.run([self.bin, *self.flags, "login", "--email",
                            "hal@example.com", "--password-stdin"],
                           input="pw\n", capture_output=True, text=True,
                           env={**self.env, "PATH": "/usr/bin:/bin"},
                           timeout=30)
        assert r.returncode == 0, r.stderr
        return r

    def open(self, width=100, height=30):
        """Starts the client once pipe-pane records, so no byte escapes."""
        gate = self.home / "go"
        wait = (f"until [ -e {shlex.quote(str(gate))} ]; do sleep 0.02; "
                f"done; exec \"$@\"")
        self.t = Terminal(["sh", "-c", wait, "sh", self.bin, *self.flags],
                          env=self.env, width=width, height=height)
        self.raw.touch()
        self.t._tmux("pipe-pane", "-o", "-t", "t",
                     f"cat >> {shlex.quote(str(self.raw))}")
        # tmux obeys what reaches it: an OSC 52 would make a buffer.
        self.t._tmux("set", "-g", "set-clipboard", "on")
        gate.touch()
        return self.t

    def tmux_state(self):
        """What a leaked sequence would have changed in tmux itself."""
        title = self.t._tmux("display-message", "-p", "-t", "t",
                             "#{pane_title}").stdout
        buffers = self.t._tmux("list-buffers", check=False).stdout
        return title, buffers

    def raw_text(self):
        return self.raw.read_bytes().decode("utf-8", "surrogateescape")

    def close(self):
        try:
            if self.t is not None:
                self.t.close()
        finally:
            self.server.close()


@pytest.fixture
def hostile(tls, shim, sitecare_bin, tmp_path):
    made = []

    def make(poison="", login=True):
        h = Hostile(tls, shim, sitecare_bin, tmp_path / f"home{len(made)}",
                    poison)
        made.append(h)
        if login:
            h.login()
        return h

    try:
        yield make
    finally:
        for h in made:
            h.close()


def assert_untouched(h):
    """No title and no clipboard buffer came from the server's text."""
    title, buffers = h.tmux_state()
    assert "PWN" not in title, title
    assert buffers == "", buffers


def quits_cleanly(t):
    """q ends the program with status 0: it was alive and obeying keys."""
    t.send("q")
    rc = t.wait_exit(timeout=10)
    assert rc == 0, t._tmux("capture-pane", "-p", "-S", "-200", "-t", "t").stdout


def quits_untouched(t, raw):
    """Nothing that t drew changed tmux's title or paste buffers, q ends
    it with status 0, and the bytes it wrote (recorded in the file raw
    with pipe-pane) drive nothing."""
    title = t._tmux("display-message", "-p", "-t", "t",
                    "#{pane_title}").stdout
    assert "PWN" not in title, title
    assert t._tmux("list-buffers", check=False).stdout == ""
    quits_cleanly(t)
    assert_inert(raw.read_bytes().decode("utf-8", "surrogateescape"))


def assert_inert(data: str):
    """No server-originated terminal control in what reached the terminal."""
    raw = data.encode("utf-8", "surrogateescape")
    for bad in (OSC_TITLE, OSC_52, RIS):
        assert not bad.search(raw), bad.search(raw)
    assert not BIDI.search(data), repr(BIDI.search(data))
    # C1 controls, UTF-8 encoded (U+0080-U+009F) or as raw bytes.
    assert not C1.search(data), repr(C1.search(data))
    assert not re.search("[\udc80-\udc9f]", data)
    # The client's own clears are ncurses' `clear` (home, then erase the
    # screen); the scrollback is never erased, the alternate screen is
    # left once, at the end.
    assert raw.count(b"\x1b[2J") == raw.count(b"\x1b[H\x1b[2J")
    assert b"\x1b[3J" not in raw
    assert raw.count(b"\x1b[?1049l") <= 1
    assert "PWNCLR\x1b" not in data


# -- hostile text, everywhere it is drawn ----------------------------------


@pytest.mark.parametrize("kind", sorted(POISONS))
def test_hostile__text__drawn_inert_everywhere(hostile, kind):
    h = hostile(POISONS[kind])
    t = h.open()
    shown = SHOWN[kind]
    # The queue: titles, clients, the status line's own name.
    screen = t.wait_for(lambda s: "Task1" in s and "3 tasks" in s,
                        what="the task queue")
    assert "online" in screen
    # A task's detail: title, description, comments, attachments.
    t.send("Enter")
    screen = t.wait_text("Comment1")
    assert shown in screen, screen
    t.send("Escape")
    t.wait_gone("Comment1")
    # The chat list and a conversation.
    t.send("2")
    t.wait_text("Client2")
    t.send("Enter")
    screen = t.wait_text("Msg10")
    assert shown in screen, screen
    # A live message, through the event stream.
    h.server.push("message.created", {
        "conversation_id": 1,
        "message": h.server.message(11, 1, body=h.server.text("Live11"))},
        event_id=1)
    screen = t.wait_text("Live11")
    assert shown in screen, screen
    # Still obeying keys: back to the queue; a live task joins it.
    t.send("1")
    t.wait_text("Task1")
    h.server.push("task.created", {"task": h.server.task(4)}, event_id=2)
    t.wait_text("Task4")
    assert_untouched(h)
    quits_cleanly(t)
    assert_inert(h.raw_text())
    assert_drawn_inert(h.drawn.read_bytes(), shown)


def test_hostile__huge_lines__cut_to_fit_and_still_responsive(hostile):
    h = hostile("PWNHUGE" + "W" * 200_000)
    t = h.open()
    screen = t.wait_for(lambda s: "Task1" in s and "3 tasks" in s,
                        what="the task queue")
    assert all(len(line) <= 100 for line in screen.splitlines())
    assert "Task1 PWNHUGEWWW" in screen
    # The detail wraps title, description and comment over some 2000
    # lines each; once the comments came, G reaches the attachments.
    t.send("Enter")
    t.wait_for(lambda s: "#1  Task1" in s and int(
        (re.search(r"of (\d+)", s) or [0, 0])[1]) > 6000,
        what="the wrapped detail with its comment")
    t.send("G")
    t.wait_text("Attachments (1)")
    t.send("Escape")
    t.wait_gone("Attachments (1)")
    t.send("2")
    t.wait_text("Client2")
    t.send("Enter")
    # Oldest at the top, the newest line at the bottom: the huge message
    # is wrapped, so its end shows.
    t.wait_for(lambda s: "WWW end" in s and "Msg" not in s.splitlines()[-3],
               what="the wrapped message's end")
    t.send("g")
    t.wait_text("Msg9")
    quits_cleanly(t)
    assert_inert(h.raw_text())
    assert_drawn_inert(h.drawn.read_bytes(), "Msg9")


EVERY_POISON = "".join(POISONS.values())


def test_hostile__pickers_and_prompts__drawn_inert(hostile):
    h = hostile(EVERY_POISON)
    h.server.permissions.append("tasks.assign_any")
    h.login()  # again, for the new permission
    t = h.open(width=120)
    t.wait_text("3 tasks")
    # The assignee picker lists the staff by name.
    t.send("A")
    screen = t.wait_text("Assign #1 to")
    assert "Hal ^[]0;PWN-T0^G" in screen
    t.send("Escape")
    t.wait_gone("Assign #1 to")
    # The reply prompt names the client; the save prompt the file.
    t.send("Enter")
    t.wait_text("Comment1")
    t.send("R")
    screen = t.wait_text("REPLY to Client1 ^[]0;PWN-T0^G")
    t.send("Escape")
    t.wait_gone("REPLY to")
    t.send("w")
    screen = t.wait_text("save to: ")
    assert "PWNgnp.exeiso" in screen.splitlines()[-1]
    t.send("Escape")
    t.wait_gone("save to: ")
    # The chat reply line.
    t.send("2")
    t.wait_text("Client2")
    t.send("Enter")
    t.wait_text("Msg10")
    t.send("r")
    t.wait_text("reply to Client1 ^[]0;PWN-T0^G")
    t.send("Escape")
    t.wait_gone("reply to Client1")
    assert_untouched(h)
    t.send("1")
    t.wait_text("Task1")
    quits_cleanly(t)
    assert_inert(h.raw_text())
    assert_drawn_inert(h.drawn.read_bytes(), "Hal ^[]0;PWN-T0^G")


def test_hostile__terminal_notification__payload_inert(hostile):
    h = hostile(EVERY_POISON)
    cfg = h.home / "cfg" / "sitecare" / "config"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    with cfg.open("a") as f:
        f.write("notifications = terminal\n")
    h.env["DBUS_SESSION_BUS_ADDRESS"] = ""
    t = h.open(width=120)
    t.wait_text("3 tasks")
    t.wait_for(lambda s: h.server.streams == 1, what="the event stream")
    h.server.push("message.created", {
        "conversation_id": 2,
        "message": h.server.message(21, 2, body=h.server.text("Live21"))},
        event_id=5)
    t.wait_for(lambda s: b"]9;New message from" in h.raw.read_bytes(),
               what="the OSC 9 notification")
    raw = h.raw.read_bytes()
    oscs = re.findall(rb"\x1b\]((?:777|9);[^\x07]*)\x07", raw)
    assert len(oscs) >= 2, raw[-2000:]
    for osc in oscs:
        text = osc.decode("utf-8", "surrogateescape")
        assert "\x1b" not in text and "Live21" in text, text
        assert not BIDI.search(text) and not C1.search(text), text
        assert not re.search("[\udc80-\udcff]", text), text
    # OSC 777's title field holds no ';' to end it early.
    title = oscs[0].split(b";")[2]
    assert title.startswith(b"New message from Client2 ^[]0,PWN-T0^G")
    assert_untouched(h)
    quits_cleanly(t)
    assert_inert(h.raw_text())
    assert_drawn_inert(h.drawn.read_bytes(), "3 tasks")


# -- answers that break the contract ---------------------------------------

BROKEN = {
    "truncated": (b'{"results": [{"id": 1, "title": "x"', "response: not valid JSON"),
    "html": (b"<html>\x1b]0;PWN\x07 oops</html>", "response: not valid JSON"),
    "trailing": (b'{"results": [], "next": null} {"x": 1}',
                 "response: text after the JSON value"),
    "nul": (b'{"results": [], "next": "a\x00b"}',
            "response: contains a NUL character"),
    "id_is_text": (b'{"results": [{"id": "seven"}], "next": null}',
                   "results[0].id: expected an integer"),
    "results_is_object": (b'{"results": {}, "next": null}',
                          "results: expected an array"),
    "title_is_number": (None, "results[0].title: expected a string"),
    "deep_arrays": (b"[" * 100_000, "response: nested too deeply"),
    "deep_objects": (b'{"a":' * 100_000, "response: nested too deeply"),
    "deep_inside": (b'{"results": [' + b'[' * 100_000 + b']' * 100_000
                    + b'], "next": null}', "response: nested too deeply"),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_hostile__broken_json__reported_then_recovers(hostile, kind):
    h = hostile()
    body, said = BROKEN[kind]
    if body is None:
        task = h.server.task(1)
        task["title"] = 42
        body = json.dumps({"results": [task], "next": None}).encode()
    h.server.script(TASKS, (200, {}, body))
    t = h.open()
    screen = t.wait_text(f"could not load tasks: {said}")
    assert "Task1" not in screen
    # The rest works: the chat, then the queue once the server behaves.
    t.send("2")
    t.wait_text("Client2")
    h.server.heal(TASKS)
    t.send("1")
    t.wait_text(said)
    t.send("r")
    t.wait_for(lambda s: "Task1" in s and "3 tasks" in s,
               what="the queue after a retry")
    quits_cleanly(t)
    assert_inert(h.raw_text())
    assert_drawn_inert(h.drawn.read_bytes(), "Task1")


@pytest.mark.parametrize("body", [ENDLESS, ("huge", 10 ** 12)],
                         ids=["endless", "huge_length"])
def test_hostile__oversized_body__refused_and_reported(hostile, body):
    h = hostile()
    h.server.script(TASKS, (200, {}, body))
    t = h.open()
    t.wait_text("could not load tasks: the server's answer is larger than "
                "the 32 MiB allowed", timeout=20)
    t.send("2")
    t.wait_text("Client2")
    quits_cleanly(t)


def test_hostile__error_message__drawn_inert(hostile):
    h = hostile()
    h.server.script(TASKS, (403, {}, dump({"error": {
        "code": "forbidden",
        "message": "no " + "".join(POISONS.values()) + " way"}})))
    t = h.open()
    screen = t.wait_text("could not load tasks: no ^[]0;PWN-T0^G")
    assert "way" in screen or "\u2026" in screen
    # Exactly what the client draws: the pane's line is cut to its 98
    # columns (100 less a margin each side) with an ellipsis, each ESC
    # and BEL two columns wide (^[, ^G); the status line's notice is cut
    # before its hint. A wrong width, a control let through (ncurses
    # would draw it as ^[ too, but not where the client counted) or a
    # missing ellipsis changes one of them.
    lines = screen.splitlines()
    said = ("no ^[]0;PWN-T0^G^[]2;PWN-T2^[\\^[]1;PWN-T1^G"
            "^[]52;c;cm0gLXJmIH4K^G^[]52;p;?^")
    assert lines[2] == " could not load tasks: " + said + "\u2026", lines[2]
    assert len(lines[2]) == 1 + 98
    status = " tasks: " + said + "[\\PW\u2026 (:messages)"
    assert lines[-1] == status, lines[-1]
    t.send("2")
    t.wait_text("Client2")
    quits_cleanly(t)
    assert_inert(h.raw_text())
    assert_drawn_inert(h.drawn.read_bytes(),
                       "could not load tasks: no ^[]0;PWN-T0^G")


ELSEWHERE = {
    "chat_list": ("/api/v1/conversations",
                  b'{"results": [{"id": 1, "client": 5}], "next": null}',
                  [("2", None)], "could not load conversations: results[0].client: "
                  "expected an object"),
    "thread": ("/api/v1/conversations/1/messages",
               b'{"results": [{"id": 1}], "has_more": false}',
               [("2", "Client2"), ("Enter", None)], "could not load messages: "
               "results[0].conversation_id: missing"),
    "detail": ("/api/v1/tasks/1", b"[" * 100_000, [("Enter", None)],
               "task #1: response: nested too deeply"),
}


@pytest.mark.parametrize("kind", sorted(ELSEWHERE))
def test_hostile__broken_answer_in_a_pane__reported(hostile, kind):
    path, body, keys, said = ELSEWHERE[kind]
    h = hostile()
    h.server.script(path, (200, {}, body))
    t = h.open(width=120)
    t.wait_for(lambda s: "Task1" in s and "online" in s, what="online")
    for key, then in keys:
        t.send(key)
        if then:
            t.wait_text(then)
    t.wait_text(said)
    # The pane goes back, the others still work.
    if kind == "detail":
        t.send("Escape")
        t.wait_text("3 tasks")
    t.send("1")
    t.wait_text("Task3")
    quits_cleanly(t)


@pytest.mark.parametrize("body", [b"[" * 100_000, b'{"id": 7, "name": 5}',
                                  b"\x1b]0;PWN\x07"],
                         ids=["deep", "wrong_type", "not_json"])
def test_hostile__broken_me__offline_says_why(hostile, body):
    # A broken answer to GET /me is not the service saying the session is
    # gone (#16): the interface opens offline, says why, and retries.
    h = hostile()
    h.server.script("/api/v1/me", (200, {}, body))
    t = h.open()
    said = {b"[": "response: nested too deeply",
            b"{": "name: expected a string",
            b"\x1b": "response: not valid JSON"}[body[:1]]
    screen = t.wait_text(said)
    assert "offline, retrying in" in screen, screen
    assert "Sign in to SiteCarePlusPro" not in screen
    t.send("q")
    assert t.wait_exit(timeout=10) == 0
    assert_inert(h.raw_text())
    assert_drawn_inert(h.drawn.read_bytes(), said)


ODD_ERRORS = {
    "deep": (b"[" * 100_000, "could not load tasks: you are not allowed to "
             "do that"),
    "not_json": (b"\x1b]0;PWN-T0\x07\x1b[2J", "could not load tasks: you are "
                 "not allowed to do that"),
    "huge_message": (dump({"error": {"code": "forbidden",
                                     "message": "M" * (4 << 20)}}),
                     "could not load tasks: MMMMMMMM"),
}


@pytest.mark.parametrize("kind", sorted(ODD_ERRORS))
def test_hostile__odd_error_body__status_still_said(hostile, kind):
    body, said = ODD_ERRORS[kind]
    h = hostile()
    h.server.script(TASKS, (403, {}, body))
    t = h.open()
    t.wait_text(said)
    t.send("2")
    t.wait_text("Client2")
    quits_cleanly(t)
    assert_inert(h.raw_text())
    assert_drawn_inert(h.drawn.read_bytes(), "Client2")


def test_hostile__stalled_answer__keys_still_work(hostile):
    h = hostile()
    h.server.script(TASKS, (200, {}, h.server.stall))
    t = h.open()
    t.wait_for(lambda s: "loading" in s and "online" in s,
               what="the queue loading, the stream online")
    # Nothing comes for the queue; everything else still answers keys.
    t.send("2")
    t.wait_text("Client2")
    t.send("Enter")
    t.wait_text("Msg10")
    t.send("Escape")
    t.wait_gone("Chat with")
    t.send("1")
    t.wait_text("loading")
    t.send("?")
    t.wait_text("Help: Tasks")
    t.send("Escape")
    t.wait_gone("Help: Tasks")
    assert "loading" in t.screen()
    quits_cleanly(t)


@pytest.mark.slow
def test_hostile__stalled_answer__reported_after_30s(hostile):
    h = hostile()
    h.server.script(TASKS, (200, {}, h.server.stall))
    t = h.open(width=160)
    t.wait_text("loading tasks...")
    t.send("2")
    t.wait_text("Client2")
    t.send("1")
    t.wait_text("could not load tasks: the server stopped answering",
                timeout=45)
    h.server.heal(TASKS)
    t.send("r")
    t.wait_for(lambda s: "Task1" in s and "3 tasks" in s,
               what="the queue after a retry")
    quits_cleanly(t)


@pytest.mark.slow
def test_hostile__stalled_attachment__stopped_after_30s(hostile):
    h = hostile()
    dest = h.home / "dl"
    dest.mkdir()

    h.server.script(TASKS + "/1/attachments/1",
                    (200, {}, trickle_then_stall(h.server.closing)))
    def save_first_attachment():
        t.send("Enter")
        t.wait_text("Comment1")
        t.send("w")
        t.wait_text("save to: ")
        t.send("C-u")
        t.type(str(dest / "f.bin"))
        t.send("Enter")

    t = h.open(width=160)
    t.wait_text("3 tasks")
    save_first_attachment()
    t.wait_text("saving")
    # While it hangs, the interface is the staff member's.
    t.send("2")
    t.wait_text("Client2")
    t.send("1")
    t.wait_text("Task1")
    t.wait_text("not saved: nothing arrived for 30 s; the download was "
                "stopped", timeout=50)
    assert list(dest.iterdir()) == []
    # Another save may start at once: the stalled one is over.
    h.server.script(TASKS + "/1/attachments/1",
                    (200, {"Content-Type": "text/plain"}, b"0123456789"))
    save_first_attachment()
    t.wait_text("saved " + str(dest / "f.bin"))
    assert (dest / "f.bin").read_bytes() == b"0123456789"
    assert [p.name for p in dest.iterdir()] == ["f.bin"]
    quits_cleanly(t)


# -- the event stream ------------------------------------------------------


def live_message(h, mid, text):
    h.server.push("message.created", {
        "conversation_id": 1,
        "message": h.server.message(mid, 1, body=text)}, event_id=mid)


def open_thread(h):
    t = h.open(width=140)
    t.wait_for(lambda s: "Task1" in s and "online" in s, what="online")
    t.send("2")
    t.wait_text("Client2")
    t.send("Enter")
    t.wait_text("Msg10")
    return t


BAD_EVENTS = {
    "not_json": b"event: message.created\ndata: {\"conversation_id\": 1,\n\n",
    "wrong_type": b"event: message.created\ndata: {\"conversation_id\": \"1\","
                  b" \"message\": []}\n\n",
    "deep": b"event: message.created\ndata: " + b"[" * 100_000 + b"\n\n",
    "nul_type": b"event: message.cre\x00ated\ndata: {}\n\n",
    "escape_type": b"event: \x1b]0;PWN-T0\x07\ndata: {}\n\n",
    "unknown": b"event: task.exploded\ndata: {\"x\": 1}\n\n",
}


@pytest.mark.parametrize("kind", sorted(BAD_EVENTS))
def test_hostile__bad_event__skipped_stream_goes_on(hostile, kind):
    h = hostile()
    t = open_thread(h)
    h.server.push_raw(BAD_EVENTS[kind])
    live_message(h, 11, "after the bad one")
    t.wait_text("after the bad one")
    assert h.server.streams == 1
    t.send("1")
    t.wait_text("Task1")
    quits_cleanly(t)
    assert_inert(h.raw_text())
    assert_drawn_inert(h.drawn.read_bytes(), "after the bad one")


def test_hostile__bad_event__reported(hostile):
    h = hostile()
    t = open_thread(h)
    h.server.push_raw(BAD_EVENTS["wrong_type"])
    t.wait_text("conversation_id: expected an integer", timeout=5)


ENDLESS_EVENTS = {
    # A line that never ends, 8 MiB and counting.
    "line": (b"data: " + b"x" * (8 << 20), "line"),
    # Lines that never make an event: 8 MiB of data, no blank line.
    "data": ((b"data: " + b"x" * 1000 + b"\n") * 8200, "event data"),
}


@pytest.mark.parametrize("kind", sorted(ENDLESS_EVENTS))
def test_hostile__endless_event__reported_and_reconnects(hostile, kind):
    h = hostile()
    t = open_thread(h)
    raw, what = ENDLESS_EVENTS[kind]
    # The server asks for 4 s between reconnections (retry:, which the
    # client keeps across streams): the next stream opens 2 to 4 s after
    # the loss, so the screen that reports it must say "reconnecting".
    h.server.push_raw(b"retry: 4000\n\n")
    h.server.push_raw(raw)
    screen = t.wait_text(f"live updates lost: event stream {what} is longer "
                         "than 4194304 bytes", timeout=20)
    assert "reconnecting" in screen or "online" in screen
    # Read after the screen: no second stream had been asked for when it
    # was drawn, so the client cannot have been online again.
    assert h.server.streams == 1
    assert "reconnecting" in screen and "online" not in screen, screen
    t.wait_for(lambda s: h.server.streams >= 2 and "online" in s,
               timeout=20, what="the stream reopened")
    live_message(h, 12, "after the reconnect")
    t.wait_text("after the reconnect")
    quits_cleanly(t)


@pytest.mark.slow
def test_hostile__stalled_event_stream__reported_and_reconnects(hostile):
    h = hostile()
    h.server.stall_events = True
    t = h.open(width=160)
    t.wait_for(lambda s: "Task1" in s and "online" in s, what="online")
    # Keys work while the stream says nothing at all.
    t.send("2")
    t.wait_text("Client2")
    h.server.stall_events = False
    t.wait_text("live updates lost: no data from the service for 45 s: "
                "the connection is dead", timeout=60)
    t.wait_for(lambda s: h.server.streams >= 2 and "online" in s,
               timeout=20, what="the stream reopened")
    t.send("Enter")
    t.wait_text("Msg10")
    live_message(h, 13, "after the stall")
    t.wait_text("after the stall")
    quits_cleanly(t)

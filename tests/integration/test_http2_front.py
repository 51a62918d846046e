"""HTTP/2 for real: the client behind the nginx front (tests/service/front.py).

The front logs every request with its connection serial, the protocol and
whether TLS resumed a session (front/access.log, one JSON object a line),
so these tests count connections and handshakes from the server's side.
A whole session is the real TUI in tmux: start (sign-in state, the queue,
the event stream), a task opened, an attachment saved, the Chat and
Billing panes, quit.

- over HTTP/2 that whole session is one connection, hence one full TLS
  handshake (net/client/http.c: CURL_HTTP_VERSION_2TLS, PIPEWAIT, one
  shared connection);
- a stalled answer (`ctl delay --match`) does not hold the others back: a
  later request on the same connection is answered meanwhile;
- with `serve --http1` (no h2 in ALPN) the same session still works, over
  HTTP/1.1.

And serve's options themselves: what ALPN picks with the front, with
`--http1` and with `--front none` (gunicorn, no ALPN); a SIGKILL of the
service (`Service.kill()`) leaves no nginx process, and it comes back on
the same port.
"""

import contextlib
import json
import re
import socket
import ssl
import time
from pathlib import Path

import pytest

from e2e.conftest import Tui
from e2e.test_task_queue import command, rows, selected_id
from e2e.test_triage import start_on_tasks
from helpers.service import Service
from integration.cli import scaled

ALL = "new,in_progress,waiting_on_client,done,cancelled"
DELAY = 4  # seconds the stalled answer is held


def front_service(tmp_path_factory, *extra):
    svc = Service(tmp_path_factory.mktemp("front"), seed="demo",
                  extra_args=extra)
    svc.start()
    return svc


@pytest.fixture(scope="module")
def h2(tmp_path_factory):
    svc = front_service(tmp_path_factory)
    try:
        yield svc
    finally:
        svc.stop()


@pytest.fixture(scope="module")
def h1(tmp_path_factory):
    svc = front_service(tmp_path_factory, "--http1")
    try:
        yield svc
    finally:
        svc.stop()


class AccessLog:
    """The front's access log from a point on: what one session did."""

    def __init__(self, svc):
        self.path = svc.state / "front" / "access.log"
        self.start = self.path.stat().st_size

    def entries(self):
        with self.path.open("rb") as f:
            f.seek(self.start)
            return [json.loads(line) for line in f.read().splitlines()]

    def wait_for(self, pattern, timeout=30.0):
        """The entries once a request matching pattern is logged (nginx
        logs a request when it ends: a stream, when the client leaves)."""
        deadline = time.monotonic() + scaled(timeout)
        while True:
            found = self.entries()
            if any(re.search(pattern, e["request"]) for e in found):
                return found
            assert time.monotonic() < deadline, \
                f"no {pattern!r} in the access log: {found}"
            time.sleep(0.1)  # poll interval, the deadline above decides


def task_with_attachment(svc):
    """(task, attachment) of the first demo task that has one."""
    s = svc.session()
    assert s.login("admin@example.com").status == 200
    for tk in s.all("/tasks", {"status": ALL}):
        if tk["attachment_count"]:
            d = s.get(f"/tasks/{tk['id']}").data
            return d, d["attachments"][0]
    pytest.fail("no demo task has an attachment")


def open_task(t, d):
    """Moves the queue's cursor to task d and opens it."""
    command(t, f"filter status={ALL}")
    t.wait_for(lambda s: "loading" not in s and len(rows(s)) > 0,
               timeout=20, what="all tasks")
    command(t, "filter client=%d" % d["client"]["id"])
    t.wait_for(lambda s: d["id"] in [i for _, i, _ in rows(s)], timeout=20,
               what="the task's row")
    deadline = time.monotonic() + scaled(20)
    while selected_id(t) != d["id"]:
        assert time.monotonic() < deadline, "the cursor never reached it"
        t.send("j")
        time.sleep(0.05)  # paces the keys; the deadline above decides
    t.send("Enter")


@contextlib.contextmanager
def tui_session(svc, sitecare_bin, home, env=None):
    """The TUI signed in as admin on the queue, and the access log from
    its start (the sign-in's own connection left out)."""
    tui = Tui(sitecare_bin, svc, home)
    tui.env.update(env or {})
    start_on_tasks(tui)
    tui.login("admin")
    log = AccessLog(svc)
    try:
        t = tui.open(width=160, height=30)
        t.wait_for(lambda s: len(rows(s)) > 0, timeout=20, what="task rows")
        yield t, log
        t.send("q")
        t.wait_exit(timeout=20)
    finally:
        tui.close()


def whole_session(svc, sitecare_bin, home):
    """Runs one TUI session that touches every kind of request; returns
    the access log entries it made (its sign-in excluded)."""
    d, a = task_with_attachment(svc)
    downloads = home / "dl"
    downloads.mkdir(parents=True)
    with tui_session(svc, sitecare_bin, home,
                     {"XDG_DOWNLOAD_DIR": str(downloads)}) as (t, log):
        open_task(t, d)
        t.wait_text("Attachments (", timeout=20)
        command(t, "save-attachment 1")
        t.wait_text("save to: ")
        t.send("Enter")
        t.wait_text("saved ", timeout=20)
        t.send("Escape")
        t.send("2")
        t.send("4")  # Billing fetches when first shown
        log.wait_for(r"^GET /api/v1/billing/")
    saved = list(downloads.iterdir())
    assert len(saved) == 1 and saved[0].stat().st_size == a["size"], saved
    found = log.wait_for(r"^GET /api/v1/events")
    kinds = " ".join(e["request"] for e in found)
    assert f"/tasks/{d['id']}/attachments/{a['id']}" in kinds, found
    return found


def test_http2_front__session__one_connection_one_handshake(
        h2, sitecare_bin, tmp_path):
    found = whole_session(h2, sitecare_bin, tmp_path / "home")
    assert len({e["connection"] for e in found}) == 1, found
    assert {e["protocol"] for e in found} == {"HTTP/2.0"}, found
    # One connection, so one handshake; and it was a full one, never
    # resumed from an earlier process's session.
    first = min(found, key=lambda e: e["connection_requests"])
    assert first["ssl_session_reused"] == ".", found
    assert len(found) == max(e["connection_requests"] for e in found)


def test_http2_front__slow_answer__others_answered_meanwhile(
        h2, sitecare_bin, tmp_path):
    d, _ = task_with_attachment(h2)
    with tui_session(h2, sitecare_bin, tmp_path / "home") as (t, log):
        # Held: the opened task's detail only (GET /tasks/ID, no query).
        h2.ctl("delay", DELAY, "--match", rf"^GET /api/v1/tasks/{d['id']}$")
        open_task(t, d)
        # Billing fetches when first shown: new requests while it is held.
        t.send("4")
        try:
            found = log.wait_for(rf"^GET /api/v1/tasks/{d['id']}$",
                                 timeout=DELAY + 30)
        finally:
            h2.ctl("delay", 0)
    slow = next(e for e in found
                if e["request"] == f"GET /api/v1/tasks/{d['id']}")
    assert slow["request_time"] >= DELAY - 0.5, slow
    slow_start = float(slow["time"]) - slow["request_time"]
    meanwhile = [e for e in found
                 if e is not slow and e["request"].startswith("GET /api/v1/")
                 and slow_start < float(e["time"]) - e["request_time"]
                 and float(e["time"]) < float(slow["time"])]
    assert meanwhile, f"nothing answered while the slow one was held: {found}"
    # ... on the very connection the slow answer was still due on.
    assert {e["connection"] for e in meanwhile} == {slow["connection"]}, found
    assert {e["protocol"] for e in found} == {"HTTP/2.0"}, found


def test_http2_front__http1_only_front__whole_session_works(
        h1, sitecare_bin, tmp_path):
    found = whole_session(h1, sitecare_bin, tmp_path / "home")
    assert {e["protocol"] for e in found} == {"HTTP/1.1"}, found


def alpn(svc):
    """The protocol the service picks when offered h2 and http/1.1."""
    ctx = ssl.create_default_context(cafile=svc.ca)
    ctx.set_alpn_protocols(["h2", "http/1.1"])
    with socket.create_connection(("127.0.0.1", svc.port), timeout=10) as s:
        with ctx.wrap_socket(s, server_hostname="127.0.0.1") as t:
            return t.selected_alpn_protocol()


def nginx_pids(svc):
    """The front's master and its worker(s)."""
    master = int((svc.state / "front" / "nginx.pid").read_text())
    kids = Path(f"/proc/{master}/task/{master}/children").read_text()
    return [master, *map(int, kids.split())]


def alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return state[0] != "Z"


@pytest.mark.parametrize("args,protocol", [
    ((), "h2"), (("--http1",), "http/1.1"), (("--front", "none"), None)])
def test_http2_front__serve_options__alpn_offered(tmp_path, args, protocol):
    svc = Service(tmp_path / "svc", seed="none", extra_args=args).start()
    try:
        assert alpn(svc) == protocol
        assert (svc.state / "front" / "access.log").exists() == bool(protocol)
    finally:
        svc.stop()


def test_http2_front__kill__no_nginx_left_and_back_on_the_same_port(tmp_path):
    svc = Service(tmp_path / "svc", seed="none").start()
    try:
        pids = nginx_pids(svc)
        port = svc.port
        svc.kill()
        assert [p for p in pids if alive(p)] == []
        svc.start()
        assert svc.port == port and alpn(svc) == "h2"
        pids = nginx_pids(svc)
    finally:
        svc.stop()
    assert [p for p in pids if alive(p)] == []

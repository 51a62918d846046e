"""`make bench`: the real binary in a pseudo-terminal against a seeded service.

Seeds the reference service at scale (100,000 tasks, 2,000 conversations,
200,000 messages by default), runs ./sitecare in a pty at 120x40 with
SITECARE_TRACE pointing at a file (net/base/trace.h: monotonic timestamps of
frames, task pages, finished requests and event-stream reads, nothing
secret), and prints one table: each measure with its value, its target
and whether the target was met. Every figure is measured in this run;
nothing is estimated or carried over.

- start -> first complete frame of the task queue, and task data arrived
  (the first page handed to the pane) -> that frame; median of --runs;
- Enter on the sign-in form -> the first frame of the queue, and its
  data -> that frame; median of --runs;
- loading every task (filling.py): one G, then either the client fills
  the queue by itself (until its trace says tasks.complete) or G again
  after each page (a client that loads one page per G); G -> the frame
  that showed the queue's last task, the whole load, and the worst delay
  of keys (k, j) pressed meanwhile;
- resident memory (VmRSS) with every task loaded;
- CPU time (/proc/PID/schedstat, ns) and bytes written to the terminal per
  keystroke, with every task loaded: k on the first row (nothing to do),
  one row down (j), one page down (PageDown), switching panes (Tab, once
  every pane has loaded); a full repaint (C-l) for scale;
- CPU and wake-ups (voluntary context switches) per minute while idle
  with the event stream open, against the stream's reads in that time
  (the service's pings);
- chat delivery: a client posts through the API, through another worker
  than the one serving the client's event stream (the service's
  X-Sitecare-Worker header against its log of who opened the stream; a
  post that landed on the stream's own worker is left out, and counted);
  from the service's 201 (it accepted the message) to the text on the
  terminal, p50 and p99;
  and the client's own share, from the event's bytes reaching the client
  (the trace's last stream read) to the text on the terminal;
- client CPU for 1,000 task.updated events (the admin's PATCHes) with
  every task loaded, for the task at the top of the list and for the
  one at its end;
- requests and TLS handshakes of a session that browses every pane: the
  session goes through a TCP relay here that reads each connection's
  plaintext ServerHello, so it counts connections, full handshakes and
  resumed ones (a TLS 1.3 ServerHello with a pre_shared_key) from
  outside the client;
- billing loaded when looked at (phase billing): a service of its own with
  --billing-clients clients (each a subscription and a year of invoices);
  the requests a signed-in start makes in its first 5 seconds without
  opening the Billing pane (the trace's finished requests and the event
  stream's opening), and how many of them were billing's;
- with --peers, tig and neomutt given the same number of items, in the
  same harness, side by side with sitecare (peers.py).

A run that finished every phase writes its tables into README.md between
its bench markers (readme.py), unless --no-readme.

Usage: /usr/bin/python3 tests/bench/bench.py [--tasks N] [--runs N] ...
"""

import argparse
import datetime
import fcntl
import os
import platform
import pty
import re
import select
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tests"))
# Its own modules, also when a test imports it as bench.bench.
sys.path.insert(0, str(HERE))

from helpers.service import Service  # noqa: E402

import peers  # noqa: E402
import readme  # noqa: E402
from filling import Filling  # noqa: E402

PASSWORD = "sitecare-demo"
COLS, ROWS = 120, 40
ALL_STATUSES = b"new,in_progress,waiting_on_client,done,cancelled"
# The panes Tab goes through.
PANES = ("Tasks", "Chat", "Credentials", "Billing")
# The query whose first task is the queue's last in its default sort.
LAST_TASK = "priority=low&sort=-created_at"


class Pty:
    """sitecare in a pseudo-terminal; every byte it writes is kept."""

    def __init__(self, argv, env, cwd=None):
        self.out = bytearray()
        self.lock = threading.Lock()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            # The size is set before the program starts: no SIGWINCH, so
            # no repaint of everything after its first frame.
            fcntl.ioctl(0, termios.TIOCSWINSZ,
                        struct.pack("HHHH", ROWS, COLS, 0, 0))
            if cwd is not None:
                os.chdir(cwd)
            os.execve(argv[0], argv, env)
        self.closing = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while not self.closing.is_set():
            try:
                r, _, _ = select.select([self.fd], [], [], 0.5)
                if not r:
                    continue
                data = os.read(self.fd, 65536)
            except OSError:
                return
            if not data:
                return
            with self.lock:
                self.out += data

    def size(self):
        with self.lock:
            return len(self.out)

    def find(self, needle, start=0):
        with self.lock:
            return self.out.find(needle, start)

    def send(self, data):
        os.write(self.fd, data)

    def wait_for(self, needle, start=0, timeout=60):
        """The monotonic time at which needle was first seen."""
        deadline = time.monotonic() + timeout
        while self.find(needle, start) < 0:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {needle!r} on the terminal")
            time.sleep(0.0005)
        return time.monotonic()

    def quiet(self, ms=40, timeout=10):
        """Waits until nothing was written for ms milliseconds."""
        deadline = time.monotonic() + timeout
        last, since = self.size(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.002)
            n = self.size()
            if n != last:
                last, since = n, time.monotonic()
            elif time.monotonic() - since >= ms / 1000:
                return

    def cpu_ns(self):
        with open(f"/proc/{self.pid}/schedstat") as f:
            return int(f.read().split()[0])

    def status(self, key):
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
        return 0

    def close(self):
        if self.pid > 0:  # 0 once reaped: never kill(0, ...)
            try:
                os.kill(self.pid, signal.SIGTERM)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            self.pid = 0
        # The reader stops before the descriptor is closed: its number is
        # reused at once (the next test's pipes), and a reader still
        # polling it read from another process's pipe (a login that
        # found its password's stdin empty).
        self.closing.set()
        self.reader.join(timeout=5)
        os.close(self.fd)


class Trace:
    """The client's trace file: (seconds, event) pairs, read as it grows."""

    def __init__(self, path):
        self.path = path
        self.pos = 0
        self.items = []

    def events(self):
        try:
            with open(self.path, "rb") as f:
                f.seek(self.pos)
                chunk = f.read()
        except OSError:
            return self.items
        end = chunk.rfind(b"\n") + 1
        self.pos += end
        for line in chunk[:end].decode().splitlines():
            t, _, ev = line.partition(" ")
            self.items.append((float(t), ev))
        return self.items

    def wait(self, pred, after=0.0, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for t, ev in self.events():
                if t > after and pred(ev):
                    return t
            time.sleep(0.005)
        raise TimeoutError("trace event not seen")


def _tls_hello(buf, want):
    """The body of the first handshake message of type want in the
    records at the start of buf, or None while it is incomplete."""
    data, pos = b"", 0
    while pos + 5 <= len(buf):
        ctype, length = buf[pos], int.from_bytes(buf[pos + 3:pos + 5], "big")
        if pos + 5 + length > len(buf):
            break
        if ctype == 22:
            data += buf[pos + 5:pos + 5 + length]
        pos += 5 + length
        if len(data) >= 4:
            n = int.from_bytes(data[1:4], "big")
            if data[0] != want:
                return b""
            if len(data) >= 4 + n:
                return data[4:4 + n]
    return None


def _hello_fields(body, server):
    """(session id, {extension type: data}) of a Client/ServerHello."""
    p = 2 + 32
    sid = body[p + 1:p + 1 + body[p]]
    p += 1 + body[p]
    if server:
        p += 2 + 1
    else:
        p += 2 + int.from_bytes(body[p:p + 2], "big")
        p += 1 + body[p]
    exts, end = {}, p + 2 + int.from_bytes(body[p:p + 2], "big")
    p += 2
    while p + 4 <= end:
        kind = int.from_bytes(body[p:p + 2], "big")
        n = int.from_bytes(body[p + 2:p + 4], "big")
        exts[kind] = body[p + 4:p + 4 + n]
        p += 4 + n
    return sid, exts


class TlsRelay:
    """A TCP relay in front of the service that counts connections and
    TLS handshakes, full or resumed, from their plaintext hellos."""

    def __init__(self, port):
        self.upstream = port
        self.lock = threading.Lock()
        self.connections = self.full = self.resumed = 0
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def counts(self):
        with self.lock:
            return self.connections, self.full, self.resumed

    def _accept(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            s = socket.create_connection(("127.0.0.1", self.upstream))
            for x in (c, s):
                x.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self.lock:
                self.connections += 1
            hello = {}
            threading.Thread(target=self._pump, args=(c, s, hello, False),
                             daemon=True).start()
            threading.Thread(target=self._pump, args=(s, c, hello, True),
                             daemon=True).start()

    def _pump(self, src, dst, hello, server):
        buf = bytearray()
        while True:
            try:
                data = src.recv(65536)
            except OSError:
                data = b""
            if not data:
                for x in (src, dst):
                    try:
                        x.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                return
            if buf is not None:
                buf += data
                body = _tls_hello(bytes(buf), 2 if server else 1)
                if body is not None:
                    buf = None
                    self._hello(hello, body, server)
            try:
                dst.sendall(data)
            except OSError:
                return

    def _hello(self, hello, body, server):
        if not server:
            hello["client"] = _hello_fields(body, False) if body else None
            return
        if not body:
            return
        sid, exts = _hello_fields(body, True)
        if 43 in exts:  # supported_versions: TLS 1.3
            resumed = 41 in exts  # pre_shared_key accepted
        else:
            client = hello.get("client")
            resumed = bool(sid) and client is not None and client[0] == sid
        with self.lock:
            if resumed:
                self.resumed += 1
            else:
                self.full += 1

    def close(self):
        self.sock.close()


def expand_rep(data):
    """data with ncurses' repeats (a character, then ESC [ n b: n more)
    written out, so a search sees the text as drawn."""
    return re.sub(rb"([ -~])\x1b\[(\d+)b",
                  lambda m: m.group(1) * (int(m.group(2)) + 1), data)


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def pct(xs, q):
    """The q-th percentile (nearest rank) of xs."""
    s = sorted(xs)
    if not s:
        return float("nan")
    return s[min(len(s) - 1, max(0, int(round(q / 100 * len(s) + 0.5)) - 1))]


# The phases --phases takes, in the default order, and what each measures.
PHASES = {
    "startup": "start and sign-in to the first frame",
    "browse": "requests and TLS handshakes of a session through every pane",
    "session": "loading every task, memory, keys, idling, chat delivery",
    "events": "1,000 task.updated with every task loaded",
    "billing": "requests of a start with many clients' billing",
    "peers": "tig and neomutt at the same size (--peers adds it)",
    "scale": "pages, first frame, memory and j at 1k to 1M tasks",
}
DEFAULT_PHASES = "startup,browse,session,events,billing"
# A phase whose method is not named after it.
PHASE_METHODS = {"peers": "peers_phase"}

# Posts per measured chat sample at most: those through the stream's own
# worker are left out (with 2 workers, about half of them).
CROSS_WORKER_TRIES = 4


class Bench:
    def __init__(self, args):
        self.args = args
        self.bin = str(ROOT / "sitecare")
        self.tmp = Path(tempfile.mkdtemp(prefix="sitecare-bench-"))
        self.svc = Service(self.tmp / "service", ready_timeout=1800,
                           ping_seconds=str(args.ping_seconds),
                           extra_args=(
                               "--tasks", str(args.tasks), "--conversations",
                               str(args.conversations), "--messages",
                               str(args.messages)))
        self.rows = []
        self.figures = {}  # sitecare's, for the side-by-side table
        self.peers = None

    def log(self, text):
        print(f"[{time.monotonic() - self.t0:6.1f} s] {text}", flush=True)

    def env(self, home):
        return {"HOME": str(home), "XDG_CONFIG_HOME": str(home / "cfg"),
                "XDG_STATE_HOME": str(home / "state"),
                "XDG_DATA_HOME": str(home / "data"),
                "TERM": "xterm-256color", "LANG": "C.UTF-8",
                "PATH": "/usr/bin:/bin", "SITECARE_TRACE": str(home / "trace")}

    def flags(self, url=None):
        return ["--url", url or self.svc.url, "--ca-file", str(self.svc.ca)]

    def home(self, signed_in=True, url=None):
        home = self.tmp / f"home-{uuid.uuid4().hex[:8]}"
        home.mkdir()
        for attempt in range(3 if signed_in else 0):
            # Signing in is set-up, not a measure: a busy machine may
            # make one attempt fail, which is not worth the whole run.
            r = subprocess.run([self.bin, *self.flags(url), "login",
                                "--email", "admin@example.com",
                                "--password-stdin"],
                               input=PASSWORD + "\n", text=True,
                               capture_output=True, env=self.env(home))
            (home / "trace").unlink(missing_ok=True)
            if r.returncode == 0:
                break
            self.log(f"login failed ({r.stderr.strip()}), again")
            assert attempt < 2, r.stderr
        return home

    def start(self, home, url=None):
        return Pty([self.bin, *self.flags(url)], self.env(home)), \
            Trace(home / "trace")

    @staticmethod
    def pty(argv, env, cwd=None):
        """Another program in the same harness (peers.py)."""
        return Pty(argv, env, cwd)

    def row(self, name, value, target, met):
        self.rows.append((name, value, target,
                          "-" if met is None else "met" if met else "MISSED"))

    # ---- the measurements ----------------------------------------------

    @staticmethod
    def queue_frame(tr, after=0.0):
        """(time of the first tasks page, of the frame that showed it)."""
        page = tr.wait(lambda e: e.startswith("tasks.page")
                       and "first=1" in e, after)
        return page, tr.wait(lambda e: e == "frame", after=page)

    def first_frame(self):
        """(start -> frame, data -> frame) in ms, signed in already."""
        home = self.home()
        t0 = time.monotonic()
        p, tr = self.start(home)
        try:
            # The trace's clock is CLOCK_MONOTONIC, as time.monotonic().
            page, frame = self.queue_frame(tr)
            return (frame - t0) * 1000, (frame - page) * 1000
        finally:
            p.close()

    def after_sign_in(self):
        """(Enter -> frame, data -> frame) in ms, from the sign-in form."""
        home = self.home(signed_in=False)
        p, tr = self.start(home)
        try:
            p.wait_for(b"Password")
            p.quiet(100)
            p.send(b"admin@example.com\t")
            p.send(PASSWORD.encode())
            p.quiet(100)
            sent = time.monotonic()
            p.send(b"\r")
            page, frame = self.queue_frame(tr, sent)
            return (frame - sent) * 1000, (frame - page) * 1000
        finally:
            p.close()

    def startup(self):
        a = self.args
        starts, datas, signs, sdatas = [], [], [], []
        for i in range(a.runs):
            s, d = self.first_frame()
            starts.append(s)
            datas.append(d)
            s, d = self.after_sign_in()
            signs.append(s)
            sdatas.append(d)
            self.log(f"start run {i + 1}: start->frame {starts[-1]:.1f} ms "
                     f"(data->frame {d:.1f}), sign-in->frame {s:.1f} ms")
        self.row(f"start -> first frame of the queue (median of {a.runs})",
                 f"{median(starts):.1f} ms", "-", None)
        self.row("  of which: task data arrived -> that frame",
                 f"{median(datas):.1f} ms", "< 100 ms", median(datas) < 100)
        self.row(f"Enter on sign-in -> first frame of the queue "
                 f"(median of {a.runs})", f"{median(signs):.1f} ms", "-",
                 None)
        self.row("  of which: task data arrived -> that frame",
                 f"{median(sdatas):.1f} ms", "< 100 ms", median(sdatas) < 100)

    def browse(self):
        """A session through the relay that visits every pane, opens a
        task and a conversation, then quits."""
        relay = TlsRelay(self.svc.port)
        url = f"https://127.0.0.1:{relay.port}"
        home = self.home(url=url)
        c0 = relay.counts()
        p, tr = self.start(home, url)
        try:
            self.queue_frame(tr)
            for keys in (b"\r", b"\x1b", b"2", b":filter Carla\r", b"\r",
                         b"\x1b", b"3", b"\r", b"\x1b", b"4", b"v", b"1"):
                p.send(keys)
                p.quiet(400)
            p.send(b"q")
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                if os.waitpid(p.pid, os.WNOHANG)[0] == p.pid:
                    p.pid = 0
                    break
                time.sleep(0.05)
        finally:
            p.close()
        time.sleep(0.2)
        c1 = relay.counts()
        relay.close()
        events = tr.events()
        if os.environ.get("BENCH_DUMP"):
            for t, e in events:
                if e != "frame":
                    print(f"  {t:.3f} {e}")
        http = sum(1 for _, e in events if e.startswith("http "))
        streams = sum(1 for _, e in events if e.startswith("stream.open"))
        conns, full, resumed = (c1[i] - c0[i] for i in range(3))
        self.log(f"browse: {http} requests + {streams} event streams, "
                 f"{conns} connections, {full} full / {resumed} resumed "
                 f"TLS handshakes")
        self.row("session visiting every pane: requests (+ event streams)",
                 f"{http} (+{streams})", "-", None)
        self.row("  connections; TLS handshakes full + resumed",
                 f"{conns}; {full} + {resumed}", "1 handshake",
                 full + resumed <= 1)

    def load_all(self, p, tr, probe=False):
        """Loads every task (all statuses), in either of the client's
        ways (filling.py); (tasks loaded, seconds, the Filling, G's
        time)."""
        f = Filling(p, tr, self.args.tasks)
        loaded, secs, g_sent = f.run(ALL_STATUSES, probe)
        self.log(f"loaded {loaded} tasks in {secs:.1f} s ({f.mode}: "
                 f"{f.pressed} G)")
        return loaded, secs, f, g_sent

    def per_key(self, p, key, n, settle=25):
        """(median CPU ms, median bytes) per keystroke over n presses."""
        p.quiet(150)
        cpus, outs = [], []
        for _ in range(n):
            cpu0, out0 = p.cpu_ns(), p.size()
            p.send(key)
            p.quiet(settle)
            cpus.append((p.cpu_ns() - cpu0) / 1e6)
            outs.append(p.size() - out0)
        return median(cpus), median(outs), max(cpus), max(outs)

    def keys(self, p, tr):
        p.send(b"g")
        p.quiet(150)
        # On the first row `k` has nothing to do: it should cost nothing.
        still = self.per_key(p, b"k", 20)
        # Within the screen first, then scrolling the list.
        down = self.per_key(p, b"j", 100)
        page = self.per_key(p, peers.PAGE_DOWN, 40)
        # Each pane once first, until they have loaded what they show
        # (Billing: every client's invoices): Tab is timed switching, not
        # a pane's first loading.
        for _ in PANES:
            p.send(b"\t")
            p.quiet(150)
        self.settled(tr)
        panes = self.per_key(p, b"\t", 40, settle=150)
        p.send(b"1")
        p.quiet(300)
        full = self.per_key(p, b"\x0c", 10)
        self.log(f"keys: k {still}, j {down}, PageDown {page}, Tab {panes}, "
                 f"C-l {full}")
        self.figures.update(k=still[:2], j=down[:2], pgdn=page[:2])
        self.row("one row down (j): CPU, bytes (median of 100)",
                 f"{down[0]:.3f} ms, {down[1]:.0f} B", "<= 0.30 ms, <= 330 B",
                 down[0] <= 0.30 and down[1] <= 330)
        self.row("one page down (PageDown): CPU, bytes (median of 40)",
                 f"{page[0]:.3f} ms, {page[1]:.0f} B",
                 f"<= 0.5 ms, < C-l ({full[1]:.0f} B)",
                 page[0] <= 0.5 and page[1] < full[1])
        self.row("switch pane (Tab): CPU, bytes (median of 40)",
                 f"{panes[0]:.3f} ms, {panes[1]:.0f} B",
                 f"<= 0.6 ms, < C-l ({full[1]:.0f} B)",
                 panes[0] <= 0.6 and panes[1] < full[1])
        self.row("k on the first row (changes nothing): CPU, bytes (median "
                 "of 20)", f"{still[0]:.3f} ms, {still[1]:.0f} B (worst "
                 f"{still[2]:.3f} ms, {still[3]:.0f} B)",
                 "<= 0.05 ms, 0 B", still[0] <= 0.05 and still[1] == 0)

    @staticmethod
    def settled(tr, quiet=2.0, timeout=120):
        """Waits until the client made no request for quiet seconds: the
        panes Tab visited may still be loading (Billing's invoices take
        tens of seconds on a busy machine), which is not idling."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            last = max((t for t, e in tr.events() if e.startswith("http ")),
                       default=0.0)
            if time.monotonic() - last >= quiet:
                return
            time.sleep(0.1)

    def idle(self, p, tr, seconds):
        self.settled(tr)
        p.quiet(300)
        t0 = time.monotonic()
        cpu0, sw0 = p.cpu_ns(), p.status("voluntary_ctxt_switches")
        time.sleep(seconds)
        cpu1, sw1 = p.cpu_ns(), p.status("voluntary_ctxt_switches")
        t1 = time.monotonic()
        reads = sum(1 for t, e in tr.events()
                    if t0 <= t <= t1 and e.startswith("stream bytes"))
        frames = sum(1 for t, e in tr.events() if t0 <= t <= t1
                     and e == "frame")
        scale = 60.0 / (t1 - t0)
        wake = (sw1 - sw0) * scale
        self.log(f"idle {seconds} s: cpu {(cpu1 - cpu0) / 1e6:.2f} ms, "
                 f"{sw1 - sw0} wake-ups, {reads} stream reads, "
                 f"{frames} frames")
        self.row("idle, event stream open: CPU per minute",
                 f"{(cpu1 - cpu0) / 1e6 * scale:.1f} ms", "-", None)
        self.row("  wake-ups per minute (the stream's reads, pings)",
                 f"{wake:.0f} ({reads * scale:.0f})",
                 f"<= pings ({60 / self.args.ping_seconds:.0f}/min)",
                 sw1 - sw0 <= reads)

    def chat_latency(self, p, tr, n):
        """(accepted -> drawn, stream read -> drawn) lists in ms."""
        client = self.svc.session()
        assert client.client_login("client@example.com").status == 200
        p.send(b"2")
        p.quiet(300)
        p.send(b":filter Carla\r")
        p.quiet(300)
        p.send(b"\r")  # open Carla Client's conversation
        p.quiet(500)
        stream_worker = self.stream_worker()
        assert stream_worker, f"no 'stream: worker' line in {self.svc.log}"
        total, share, service, lost, same = [], [], [], 0, 0
        for _ in range(CROSS_WORKER_TRIES * n):
            if len(total) + lost >= n:
                break
            token = "bench" + uuid.uuid4().hex[:12]
            start = p.size()
            r = client.post("/client/conversation/messages",
                            json={"body": token,
                                  "client_msg_id": str(uuid.uuid4())})
            accepted = time.monotonic()
            assert r.status in (200, 201), r
            try:
                seen = p.wait_for(token.encode(), start, timeout=10)
            except TimeoutError:
                lost += 1
                continue
            if r.headers.get("X-Sitecare-Worker") == stream_worker:
                same += 1  # not what is measured: drawn, left out
                continue
            total.append((seen - accepted) * 1000)
            reads = [t for t, e in tr.events()
                     if e.startswith("stream bytes") and t <= seen]
            if reads:
                share.append((seen - reads[-1]) * 1000)
                service.append((reads[-1] - accepted) * 1000)
            time.sleep(0.05 + (uuid.uuid4().int % 100) / 1000)
        return total, share, service, lost, same

    def stream_worker(self):
        """The pid of the worker serving the newest event stream (the
        service logs each opening), or None if the log says nothing."""
        try:
            log = self.svc.log.read_text(errors="replace")
        except OSError:
            return None
        found = re.findall(r"^stream: worker (\d+) opened", log, re.M)
        return found[-1] if found else None

    def chat(self, p, tr):
        n = self.args.messages_sent
        total, share, service, lost, same = self.chat_latency(p, tr, n)
        self.log(f"chat: {len(total)}/{n} drawn; {same} posts through the "
                 f"stream's own worker left out; accepted->drawn "
                 f"p50 {median(total):.1f} p99 {pct(total, 99):.1f}; "
                 f"on the wire->drawn p50 {median(share):.1f} "
                 f"p99 {pct(share, 99):.1f}")
        p50, p99 = median(total), pct(total, 99)
        self.row(f"chat delivery, accepted (201) -> drawn, {len(total)}/{n} "
                 f"drawn, posted through another worker than the stream's "
                 f"({same} through its own left out): p50, p99",
                 f"{p50:.1f} ms, {p99:.1f} ms", "< 50 ms, < 250 ms",
                 not lost and len(total) == n and p50 < 50 and p99 < 250)
        v50, v99 = median(service), pct(service, 99)
        self.row("  the service's part: 201 -> event on the wire: p50, p99",
                 f"{v50:.1f} ms, {v99:.1f} ms", "-", None)
        s50, s99 = median(share), pct(share, 99)
        self.row("  the client's part: event on the wire -> drawn: p50, p99",
                 f"{s50:.1f} ms, {s99:.1f} ms", "< 50 ms, < 250 ms",
                 bool(share) and s50 < 50 and s99 < 250)

    def task_at(self, api, query):
        """The first task GET /tasks?<query> lists, every status."""
        r = api.get("/tasks?status=" + ALL_STATUSES.decode() + "&limit=1&"
                    + query)
        assert r.status == 200, r
        return r.data["results"][0]

    def updates(self, p, tr, api, task, n):
        """Client CPU ms for n task.updated events of task (PATCHes by
        the admin, the status flipping between two open ones). The
        service holds the events back while the PATCHes are made, then
        lets them go: from there to the client quiet after the last."""
        self.svc.ctl("delay", "0", "--hold-events")
        version = task["version"]
        for i in range(n):
            status = "in_progress" if i % 2 == 0 else "waiting_on_client"
            r = api.patch(f"/tasks/{task['id']}", json={"status": status},
                          headers={"If-Match": f'"{version}"'})
            assert r.status == 200, r
            version = r.data["version"]
        p.quiet(300)
        cpu0 = p.cpu_ns()
        self.svc.ctl("delay", "0")
        sent = time.monotonic()
        # The last event read, then nothing more for a second.
        while True:
            reads = [t for t, e in tr.events()
                     if e.startswith("stream bytes")]
            if reads and time.monotonic() - max(reads[-1], sent) > 1.0:
                break
            time.sleep(0.05)
        p.quiet(100)
        return (p.cpu_ns() - cpu0) / 1e6

    def events(self):
        """1,000 task.updated with every task loaded, for the task at the
        top of the list and for the one at its end (default sort)."""
        n = self.args.updates
        api = self.svc.session()
        assert api.login("admin@example.com").status == 200
        home = self.home()
        p, tr = self.start(home)
        try:
            self.queue_frame(tr)
            loaded, secs = self.load_all(p, tr)[:2]
            self.log(f"events: loaded {loaded} tasks in {secs:.1f} s")
            top = self.task_at(api, "")
            end = self.task_at(api, LAST_TASK)
            for name, task in (("top", top), ("end", end)):
                ms = self.updates(p, tr, api, task, n)
                self.log(f"events: {n} task.updated of #{task['id']} "
                         f"({name}): {ms:.1f} ms")
                self.row(f"{n} task.updated, {loaded} tasks loaded, task "
                         f"at the {name} of the list: client CPU",
                         f"{ms:.1f} ms", "<= 30 ms",
                         ms <= 30 and loaded >= self.args.tasks)
        finally:
            p.close()

    def session(self):
        api = self.svc.session()
        assert api.login("admin@example.com").status == 200
        # The last task of the default sort (-priority, created_at, id):
        # the newest of the lowest priority. (The first of sort=priority
        # is the same only where the service makes it the exact reverse.)
        last = self.task_at(api, LAST_TASK)
        home = self.home()
        p, tr = self.start(home)
        try:
            self.queue_frame(tr)
            loaded, secs, f, g_sent = self.load_all(p, tr, probe=True)
            self.filled(p, f, g_sent, last, loaded, secs)
            rss = p.status("VmRSS") / 1024
            self.log(f"RSS {rss:.1f} MB with {loaded} tasks")
            self.figures.update(rss=rss, whole=secs)
            self.row(f"resident memory, {loaded} tasks loaded",
                     f"{rss:.1f} MB", "<= 30 MB",
                     rss <= 30 and loaded >= self.args.tasks)
            self.keys(p, tr)
            self.idle(p, tr, self.args.idle_seconds)
            self.chat(p, tr)
        finally:
            p.close()

    def shows(self, p, task_id):
        """Whether a repaint (C-l) puts task_id on the terminal."""
        p.quiet(200)
        start = p.size()
        p.send(b"\x0c")
        p.quiet(300)
        with p.lock:
            drawn = expand_rep(bytes(p.out[start:]))
        return re.search(rb"(?<!\d)%d(?!\d)" % task_id, drawn) is not None

    def filled(self, p, f, g_sent, last, loaded, secs):
        """The rows of loading every task: G -> the last task drawn, the
        whole queue, and the keys' delays meanwhile."""
        frame = f.last_frame(g_sent)
        shown = self.shows(p, last["id"])
        n, worst = len(f.delays), max(f.delays, default=float("nan"))
        self.log(f"G -> last task #{last['id']}: frame "
                 f"{(frame or 0) - g_sent:.3f} s after G, on a repaint: "
                 f"{shown}; {n} probe keys, worst {worst * 1000:.0f} ms")
        ms = (frame - g_sent) * 1000 if frame and shown else None
        how = {"fill": "one G, then the client", None: "not seen"}.get(
            f.mode, f"G pressed {f.pressed} times, a page each")
        value = "not drawn" if ms is None else f"{ms:.0f} ms" \
            if ms < 10000 else f"{ms / 1000:.1f} s"
        self.row(f"G on the queue (every status) -> its last task drawn "
                 f"(#{last['id']})", value, "< 1 s",
                 ms is not None and ms < 1000)
        self.row(f"whole queue loaded ({loaded} tasks; {how})",
                 f"{secs:.1f} s", "< 10 s",
                 loaded >= self.args.tasks and secs < 10)
        self.row(f"  meanwhile: worst key (k, j) -> frame, of {n}",
                 f"{worst * 1000:.0f} ms", "< 100 ms", n > 0 and worst < 0.1)

    def billing(self):
        """Requests in the first 5 s of a start, the Billing pane shut,
        with --billing-clients clients' billing in a service of its own."""
        a = self.args
        svc = Service(self.tmp / "billing-service", ready_timeout=1800,
                      ping_seconds=str(a.ping_seconds), extra_args=(
                          "--tasks", "300", "--conversations",
                          str(a.billing_clients), "--messages",
                          str(a.billing_clients)))
        self.log(f"seeding {a.billing_clients} clients' billing...")
        svc.start()
        main, self.svc = self.svc, svc  # flags() use this service's CA
        try:
            home = self.home()
            t0 = time.monotonic()
            p, tr = self.start(home)
            try:
                time.sleep(5)
                reqs = [ev for t, ev in tr.events() if t - t0 <= 5 and
                        (ev.startswith("http ") or
                         ev.startswith("stream.open"))]
            finally:
                p.close()
        finally:
            self.svc = main
            svc.stop()
        bills = [ev for ev in reqs if " /billing/" in ev]
        paths = {}
        for ev in reqs:
            words = ev.split()
            key = words[0] if words[0] == "stream.open" else words[2]
            paths[key] = paths.get(key, 0) + 1
        self.log(f"billing start: {len(reqs)} requests in 5 s, "
                 f"{len(bills)} of them billing's: {paths}")
        self.row(f"start with {a.billing_clients:,} clients' billing, "
                 "Billing pane not opened: requests in the first 5 s",
                 f"{len(reqs)} ({len(bills)} billing)", "<= 10",
                 len(reqs) <= 10)
        self.row("  of which, by path", ", ".join(
            f"{k.replace('/api/v1', '')} {n}" for k, n in
            sorted(paths.items(), key=lambda kv: -kv[1])), "-", None)

    def scale(self):
        from scale import scale  # tests/bench/scale.py: its own services
        scale(self)

    def peers_phase(self):
        """tig and neomutt at the same size (peers.py)."""
        self.peers = peers.run(self)

    def run(self):
        a = self.args
        self.t0 = time.monotonic()
        self.started = datetime.datetime.now(datetime.timezone.utc)
        self.commit = commit()  # before a long run: the tree may move on
        if a.url:
            self.svc.url, self.svc.port = a.url, int(a.url.rsplit(":", 1)[1])
            self.svc.state = Path(a.ca).parent
        else:
            self.log(f"seeding {a.tasks} tasks, {a.conversations} "
                     f"conversations, {a.messages} messages...")
            self.svc.start()
        self.log(f"service ready at {self.svc.url}")
        for phase in a.phases.split(","):
            getattr(self, PHASE_METHODS.get(phase, phase))()
        text = self.report()
        print(f"\n{machine()}\ncommand: {' '.join(sys.argv)}\n\n{text}")
        if not a.no_readme:
            readme.rewrite(ROOT / "README.md", self.readme_block(text))
            self.log("README.md: the table between its bench markers "
                     "rewritten")

    def report(self):
        """The tables of this run, as printed and as the README holds
        them."""
        heads = ("measure", "value", "target", "")
        w = [max(len(r[i]) for r in self.rows + [heads]) for i in range(4)]
        lines = ["| " + " | ".join(h.ljust(w[i]) for i, h in
                                   enumerate(heads)) + " |",
                 "|" + "|".join("-" * (n + 2) for n in w) + "|"]
        for r in self.rows:
            lines.append("| " + " | ".join(c.ljust(w[i]) for i, c in
                                           enumerate(r)) + " |")
        missed = sum(1 for r in self.rows if r[3] == "MISSED")
        if self.peers is not None:
            lines += ["", "Side by side, in the same run and harness "
                      f"({peers.environment_note()}):", ""]
            lines += peers.table(self.figures, self.peers, self.args.tasks)
        lines += ["", f"{missed} target(s) missed in the first table; "
                  f"load average now {os.getloadavg()[0]:.2f}, "
                  f"{os.getloadavg()[1]:.2f}, {os.getloadavg()[2]:.2f}"]
        return "\n".join(lines)

    def readme_block(self, text):
        """The README's block: where and how this run was taken, then its
        tables."""
        took = time.monotonic() - self.t0
        return (f"Taken on {self.started:%Y-%m-%d at %H:%M} UTC on "
                f"{self.commit} with `{' '.join(sys.argv)}` "
                f"({took // 60:.0f} min {took % 60:.0f} s), "
                f"{machine()}:\n\n{text}\n")

    def close(self):
        if not self.args.url:
            self.svc.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)


def commit():
    """The commit measured, and whether the tree differed from it."""
    def git(*argv):
        return subprocess.run(["git", *argv], cwd=ROOT, capture_output=True,
                              text=True).stdout.strip()
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return (git("rev-parse", "--short", "HEAD") or "unknown commit") + \
        (" with uncommitted changes" if dirty else "")


def machine():
    """nproc, CPU model, memory, kernel, date and load: where it ran."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem = int(re.search(r"MemTotal:\s+(\d+)",
                            Path("/proc/meminfo").read_text()).group(1))
    except (OSError, AttributeError):
        mem = 0
    load = os.getloadavg()
    return (f"machine: {os.cpu_count()} CPUs ({model}), "
            f"{mem / 1024 / 1024:.1f} GiB RAM, Linux {platform.release()}; "
            f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} "
            f"UTC; load average {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tasks", type=int, default=100000)
    ap.add_argument("--conversations", type=int, default=2000)
    ap.add_argument("--messages", type=int, default=200000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--messages-sent", type=int, default=100)
    ap.add_argument("--idle-seconds", type=int, default=60)
    ap.add_argument("--ping-seconds", type=int, default=10,
                    help="the service's keep-alive ping (its default: 10)")
    ap.add_argument("--billing-clients", type=int, default=10000,
                    help="phase billing: clients in its own service")
    ap.add_argument("--updates", type=int, default=1000,
                    help="task.updated events of the events phase")
    ap.add_argument("--phases", default=DEFAULT_PHASES,
                    help="which measurements, in order, of: " + ", ".join(
                        f"{k} ({v})" for k, v in PHASES.items()))
    ap.add_argument("--scale-sizes", default="1000,10000,100000,1000000",
                    help="phase scale: tasks in each of its services")
    ap.add_argument("--url", help="a service already running and seeded "
                    "(for development; --tasks must match it)")
    ap.add_argument("--ca", help="with --url: its CA file")
    ap.add_argument("--peers", action="store_true", help="add the peers "
                    "phase: tig and neomutt side by side (peers.py)")
    ap.add_argument("--no-readme", action="store_true", help="leave "
                    "README.md's table as it is (by default a run that "
                    "finished every phase writes its own there)")
    args = ap.parse_args()
    if args.peers and "peers" not in args.phases.split(","):
        args.phases += ",peers"
    b = Bench(args)
    print(machine(), flush=True)
    try:
        b.run()
    finally:
        b.close()


if __name__ == "__main__":
    main()

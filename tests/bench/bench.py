"""`make bench`: the real binary in a pseudo-terminal against a seeded service.

Seeds the reference service at scale (100,000 tasks, 2,000 conversations,
200,000 messages by default), runs ./sitecare in a pty at 120x40 with
SITECARE_TRACE pointing at a file (net/trace.h: monotonic timestamps of
frames, task pages and finished requests, nothing secret), and prints a
table of medians over several runs:

- start -> first complete frame of the task queue, and data -> that frame;
- Enter on the sign-in form -> the first frame of the queue;
- resident memory with every task loaded (G until the last page);
- CPU time (from /proc/PID/schedstat, in ns) and bytes written to the
  terminal per keystroke: one row down, one page down, switching panes;
- CPU and wake-ups (voluntary context switches) per minute while idle
  with the event stream open;
- chat delivery latency: a client posts through the API; the time from
  sending the POST to the message's text reaching the terminal (an upper
  bound of "accepted -> drawn");
- requests made and TLS handshakes (libcurl's new connections) for a
  session that visits every pane.

Usage: /usr/bin/python3 tests/bench/bench.py [--tasks N] [--runs N] ...
"""

import argparse
import fcntl
import os
import pty
import re
import select
import shutil
import signal
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

from helpers.service import Service  # noqa: E402

PASSWORD = "sitecare-demo"
COLS, ROWS = 120, 40


class Pty:
    """sitecare in a pseudo-terminal; every byte it writes is kept."""

    def __init__(self, argv, env):
        self.out = bytearray()
        self.lock = threading.Lock()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(argv[0], argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ,
                    struct.pack("HHHH", ROWS, COLS, 0, 0))
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while True:
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

    def has(self, needle, start=0):
        with self.lock:
            return self.out.find(needle, start) >= 0

    def send(self, data):
        os.write(self.fd, data)

    def wait_for(self, needle, start=0, timeout=60):
        deadline = time.monotonic() + timeout
        while not self.has(needle, start):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {needle!r} on the terminal")
            time.sleep(0.002)
        return time.monotonic()

    def quiet(self, ms=40, timeout=10):
        """Waits until nothing was written for ms milliseconds."""
        deadline = time.monotonic() + timeout
        last, since = self.size(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.005)
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
        try:
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        os.close(self.fd)


class Trace:
    """The client's trace file: (seconds, event) pairs."""

    def __init__(self, path):
        self.path = path

    def events(self):
        try:
            text = Path(self.path).read_text()
        except OSError:
            return []
        out = []
        for line in text.splitlines():
            t, _, ev = line.partition(" ")
            out.append((float(t), ev))
        return out

    def wait(self, pred, after=0.0, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for t, ev in self.events():
                if t > after and pred(ev):
                    return t
            time.sleep(0.01)
        raise TimeoutError("trace event not seen")


class Bench:
    def __init__(self, args):
        self.args = args
        self.bin = str(ROOT / "sitecare")
        self.tmp = Path(tempfile.mkdtemp(prefix="sitecare-bench-"))
        self.svc = Service(self.tmp / "service", extra_args=(
            "--tasks", str(args.tasks), "--conversations",
            str(args.conversations), "--messages", str(args.messages)))

    def env(self, home):
        return {"HOME": str(home), "XDG_CONFIG_HOME": str(home / "cfg"),
                "XDG_STATE_HOME": str(home / "state"),
                "XDG_DATA_HOME": str(home / "data"),
                "TERM": "xterm-256color", "LANG": "C.UTF-8",
                "PATH": "/usr/bin:/bin", "SITECARE_TRACE": str(home / "trace")}

    def flags(self):
        return ["--url", self.svc.url, "--ca-file", str(self.svc.ca)]

    def home(self, signed_in=True):
        home = self.tmp / f"home-{uuid.uuid4().hex[:8]}"
        home.mkdir()
        if signed_in:
            r = subprocess.run([self.bin, *self.flags(), "login", "--email",
                                "admin@example.com", "--password-stdin"],
                               input=PASSWORD + "\n", text=True,
                               capture_output=True, env=self.env(home))
            assert r.returncode == 0, r.stderr
        return home

    def start(self, home):
        return Pty([self.bin, *self.flags()], self.env(home)), \
            Trace(home / "trace")

    # ---- the measurements ----------------------------------------------

    def first_frame(self):
        """(start -> frame, data -> frame) in ms, signed in already."""
        home = self.home()
        t0 = time.monotonic()
        p, tr = self.start(home)
        try:
            page = tr.wait(lambda e: e.startswith("tasks.page")
                           and "first=1" in e)
            frame = tr.wait(lambda e: e == "frame", after=page)
            # The trace's clock is CLOCK_MONOTONIC, as time.monotonic().
            return (frame - t0) * 1000, (frame - page) * 1000
        finally:
            p.close()

    def after_sign_in(self):
        home = self.home(signed_in=False)
        p, tr = self.start(home)
        try:
            p.wait_for(b"Password")
            p.quiet()
            p.send(b"admin@example.com\t")
            p.send(PASSWORD.encode())
            time.sleep(0.2)
            sent = time.monotonic()
            p.send(b"\r")
            page = tr.wait(lambda e: e.startswith("tasks.page"))
            frame = tr.wait(lambda e: e == "frame", after=page)
            # trace times are CLOCK_MONOTONIC, as time.monotonic().
            return (frame - sent) * 1000
        finally:
            p.close()

    def load_all(self, p, tr):
        """Loads every task (all statuses) by pressing G until the end."""
        p.send(b":filter status=new,in_progress,waiting_on_client,done,"
               b"cancelled\r")
        loaded, last = 0, 0.0
        tr.wait(lambda e: e.startswith("tasks.page") and "first=1" in e)
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            pages = [(t, e) for t, e in tr.events()
                     if e.startswith("tasks.page")]
            firsts = [i for i, (_, e) in enumerate(pages) if "first=1" in e]
            tail = pages[firsts[-1]:]
            loaded = sum(int(re.search(r"n=(\d+)", e).group(1))
                         for _, e in tail)
            if loaded >= self.args.tasks:
                return loaded
            if tail[-1][0] != last:
                last = tail[-1][0]
                p.send(b"G")
            time.sleep(0.02)
        return loaded

    def per_key(self, p, key, n):
        p.quiet(100)
        cpu0, out0 = p.cpu_ns(), p.size()
        for _ in range(n):
            p.send(key)
            p.quiet(25)
        return ((p.cpu_ns() - cpu0) / n / 1e6, (p.size() - out0) / n)

    def idle(self, p, seconds):
        p.quiet(200)
        cpu0, sw0 = p.cpu_ns(), p.status("voluntary_ctxt_switches")
        time.sleep(seconds)
        cpu1, sw1 = p.cpu_ns(), p.status("voluntary_ctxt_switches")
        scale = 60.0 / seconds
        return ((cpu1 - cpu0) / 1e6 * scale, (sw1 - sw0) * scale)

    def chat_latency(self, p, n):
        client = self.svc.session()
        assert client.client_login("client@example.com").status == 200
        p.send(b"2")
        p.quiet(200)
        p.send(b"\r")  # open the first conversation
        p.quiet(300)
        out = []
        for _ in range(n):
            token = "bench" + uuid.uuid4().hex[:12]
            start = p.size()
            sent = time.monotonic()
            r = client.post("/client/conversation/messages",
                            json={"body": token,
                                  "client_msg_id": str(uuid.uuid4())})
            assert r.status in (200, 201), r
            try:
                seen = p.wait_for(token.encode(), start, timeout=10)
            except TimeoutError:
                out.append(float("inf"))
                continue
            out.append((seen - sent) * 1000)
            time.sleep(0.05)
        return out

    def session_requests(self, home):
        events = Trace(home / "trace").events()
        http = [e for _, e in events if e.startswith("http ")]
        connects = sum(int(re.search(r"connects=(\d+)", e).group(1))
                       for e in http)
        return len(http), connects

    def run(self):
        a = self.args
        print(f"seeding {a.tasks} tasks, {a.conversations} conversations, "
              f"{a.messages} messages...", flush=True)
        self.svc.start()
        rows = []
        starts, datas, signs = [], [], []
        for _ in range(a.runs):
            s, d = self.first_frame()
            starts.append(s)
            datas.append(d)
            signs.append(self.after_sign_in())
        rows.append(("start -> first frame of the queue",
                     f"{statistics.median(starts):.1f} ms", ""))
        rows.append(("task data arrived -> that frame",
                     f"{statistics.median(datas):.1f} ms", "< 100 ms"))
        rows.append(("Enter on sign-in -> first frame of the queue",
                     f"{statistics.median(signs):.1f} ms", ""))

        home = self.home()
        p, tr = self.start(home)
        try:
            tr.wait(lambda e: e == "frame")
            p.send(b"2")  # visit every pane once: connection reuse
            p.quiet(300)
            p.send(b"3")
            p.quiet(300)
            p.send(b"4")
            p.quiet(300)
            p.send(b"1")
            p.quiet(300)
            reqs, conns = self.session_requests(home)
            lat = self.chat_latency(p, a.messages_sent)
            p.send(b"1")
            p.quiet(300)
            loaded = self.load_all(p, tr)
            rss = p.status("VmRSS") / 1024
            p.send(b"g")
            down = self.per_key(p, b"j", 100)
            page = self.per_key(p, b"\x06", 40)
            panes = self.per_key(p, b"\t", 20)
            idle_cpu, wakeups = self.idle(p, a.idle_seconds)
        finally:
            p.close()
        rows.append((f"resident memory, {loaded} tasks loaded",
                     f"{rss:.1f} MB", "< 64 MB"))
        rows.append(("one row down (j): CPU, bytes",
                     f"{down[0]:.3f} ms, {down[1]:.0f} B",
                     "< 1 ms, < 500 B"))
        rows.append(("one page down (C-f): CPU, bytes",
                     f"{page[0]:.3f} ms, {page[1]:.0f} B", ""))
        rows.append(("switch pane (Tab): CPU, bytes",
                     f"{panes[0]:.3f} ms, {panes[1]:.0f} B", ""))
        rows.append(("idle with the event stream: CPU, wake-ups per minute",
                     f"{idle_cpu:.1f} ms, {wakeups:.0f}",
                     "pings only (4/min)"))
        fin = [x for x in lat if x != float("inf")]
        if fin:
            q = statistics.quantiles(fin, n=100) if len(fin) > 1 else fin * 99
            rows.append((f"chat delivery, {len(fin)}/{len(lat)} drawn: "
                         "p50, p99",
                         f"{statistics.median(fin):.1f} ms, {q[98]:.1f} ms",
                         "< 50 ms, < 250 ms"))
        else:
            rows.append(("chat delivery", "not drawn (no chat pane?)",
                         "< 50 ms, < 250 ms"))
        rows.append(("requests, TLS handshakes visiting every pane",
                     f"{reqs}, {conns}", "1 handshake"))
        self.print(rows)

    def print(self, rows):
        w = max(len(r[0]) for r in rows)
        v = max(len(r[1]) for r in rows)
        print()
        print(f"{'measure':<{w}}  {'median':<{v}}  target")
        print(f"{'-' * w}  {'-' * v}  ------")
        for name, value, target in rows:
            print(f"{name:<{w}}  {value:<{v}}  {target}")

    def close(self):
        self.svc.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tasks", type=int, default=100000)
    ap.add_argument("--conversations", type=int, default=2000)
    ap.add_argument("--messages", type=int, default=200000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--messages-sent", type=int, default=50)
    ap.add_argument("--idle-seconds", type=int, default=60)
    args = ap.parse_args()
    b = Bench(args)
    try:
        b.run()
    finally:
        b.close()


if __name__ == "__main__":
    main()

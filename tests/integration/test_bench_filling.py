"""The bench's load of every task (tests/bench/filling.py) against a
scripted client, for both behaviours it must handle: "walk" (one page
per G, the client before #18) and "fill" (one G brings the last page,
then the client loads the rest by itself and traces tasks.complete).
The scripted client answers keys with trace events a few milliseconds
later, as the real one does; nothing here asserts a duration."""

import sys
import threading
import time

from helpers import ROOT

sys.path.insert(0, str(ROOT / "tests" / "bench"))

from bench import Trace  # noqa: E402
from filling import Filling  # noqa: E402

PAGE = 100
STEP = 0.005  # s between a key and what the scripted client traces


class ScriptedClient(Trace):
    """A Pty and a Trace in one: keys in, trace events out, on a clock
    (Trace.wait polls events() below)."""

    def __init__(self, tasks, fill):
        self.tasks, self.fill = tasks, fill
        self.lock = threading.Lock()
        self.planned = []  # (time, event), not yet visible
        self.items = []
        self.keys = []
        self.loaded = 0

    def plan(self, delay, *events):
        at = time.monotonic() + delay
        with self.lock:
            self.planned += [(at + i * 1e-4, e) for i, e in
                             enumerate(events)]

    def send(self, data):
        self.keys.append(data)
        if data.startswith(b":filter"):
            self.loaded = PAGE
            self.plan(STEP, f"tasks.page n={PAGE} first=1", "frame")
        elif data == b"G" and self.fill and self.keys.count(b"G") == 1:
            self.plan(STEP, f"tasks.page n={PAGE} first=0 tail=1", "frame")
            pages = self.tasks // PAGE - 2
            for i in range(pages):
                self.plan(STEP * (i + 2), f"tasks.page n={PAGE} first=0",
                          "frame")
            self.plan(STEP * (pages + 3), f"tasks.complete n={self.tasks}")
        elif data == b"G" and not self.fill and self.loaded < self.tasks:
            self.loaded += PAGE
            self.plan(STEP, f"tasks.page n={PAGE} first=0", "frame")
        else:
            self.plan(STEP, "frame")

    def events(self):
        now = time.monotonic()
        with self.lock:
            due = sorted(x for x in self.planned if x[0] <= now)
            self.planned = [x for x in self.planned if x[0] > now]
        self.items += due
        return self.items

    def quiet(self, ms=40, timeout=10):
        # Pty.quiet waits for ms of silence; this client writes nothing,
        # so that is ms on the clock: not a wait for an outcome.
        time.sleep(ms / 1000)


def load(tasks, fill):
    client = ScriptedClient(tasks, fill)
    f = Filling(client, client, tasks)
    loaded, secs, g_sent = f.run(b"new,done")
    return client, f, loaded, g_sent


def test_filling__walk__presses_g_per_page_then_once_more():
    client, f, loaded, g_sent = load(1000, fill=False)
    assert f.mode == "walk" and loaded == 1000
    # 9 pages after the first, then the G that shows the end.
    assert client.keys.count(b"G") == f.pressed == 10
    assert f.last_frame(g_sent) == f.end_frame is not None
    assert client.keys[0] == b":filter status=new,done\r"


def test_filling__fill__one_g_until_tasks_complete():
    client, f, loaded, g_sent = load(1000, fill=True)
    assert f.mode == "fill" and loaded == 1000
    assert client.keys.count(b"G") == f.pressed == 1
    tail = next(t for t, e in client.items if "tail=1" in e)
    frame = f.last_frame(g_sent)
    assert frame > tail and frame == min(
        t for t, e in client.items if e == "frame" and t > tail)


def test_filling__probes__k_then_j_each_timed_to_a_frame():
    client, f, loaded, _ = load(3000, fill=True)
    probes = [k for k in client.keys if k in (b"k", b"j")]
    assert probes and probes[0] == b"k"
    assert all(a != b for a, b in zip(probes, probes[1:]))
    assert len(f.delays) >= len(probes) - 1
    assert all(d >= 0 for d in f.delays)

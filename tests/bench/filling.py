"""Loading every task into the client, for either of its behaviours.

After `:filter` (every status) and its first page the bench presses `G`
once. Then:

- "fill": the client loads the rest by itself (#18: `G` fetches the last
  page of the queue, a `tasks.page ... tail=1`, and the head keeps walking
  in the background) and traces `tasks.complete n=N` when nothing is
  missing; no more keys but the probes below;
- "walk" (the client before #18): one page per `G`, so `G` is pressed
  again after each page, until the pages add up to the queue.

Which one runs is seen, not configured: a `tail=1` page, or a second page
arriving without a second `G` (within WALK_GRACE), means "fill".

Throughout, a probe presses `k` then `j` (the cursor leaves the last row
and comes back, so each key changes the screen) and times each key to the
next frame in the trace: the worst of these is how responsive the
interface stayed while loading.
"""

import re
import time

WALK_GRACE = 0.3  # s without a page after one, before "walk" is decided
PROBE_EVERY = 0.15  # s between probe keys
LOAD_TIMEOUT = 900  # s


class Filling:
    """One load of every task: see the module's comment."""

    def __init__(self, p, tr, tasks):
        self.p, self.tr, self.tasks = p, tr, tasks
        self.mode = None
        self.delays = []  # probe key -> next frame, s
        self.probe = None  # (key, sent) of the probe awaiting its frame
        self.probe_next = 0.0
        self.pressed = 0  # G presses
        self.end_frame = None

    def pages(self, since):
        """The task pages of the newest first page on, after since."""
        pages = [(t, e) for t, e in self.tr.events()
                 if t > since and e.startswith("tasks.page")]
        firsts = [i for i, (_, e) in enumerate(pages) if "first=1" in e]
        return pages[firsts[-1]:] if firsts else []

    def complete(self, since):
        """n of the first tasks.complete after since, or None."""
        for t, e in self.tr.events():
            if t > since and e.startswith("tasks.complete"):
                return int(re.search(r"n=(\d+)", e).group(1)), t
        return None

    def press_g(self):
        self.p.send(b"G")
        self.pressed += 1
        self.g_at = time.monotonic()

    def decide(self, pages, now):
        """Sets self.mode once the client's behaviour shows."""
        after = [t for t, e in pages if t > self.g_at]
        if any("tail=1" in e for _, e in pages) or len(after) >= 2:
            self.mode = "fill"
        elif after and now - after[0] > WALK_GRACE:
            self.mode = "walk"

    def step_probe(self, now):
        """Sends the next probe key, or times the one awaiting a frame:
        `k` and at once `j`, then a pause of PROBE_EVERY."""
        if self.probe is not None:
            key, sent = self.probe
            frames = [t for t, e in self.tr.events()
                      if t > sent and e == "frame"]
            if not frames:
                return
            self.delays.append(frames[0] - sent)
            self.probe = None
            if key == b"k":
                self.send_probe(b"j")
            else:
                self.probe_next = now + PROBE_EVERY
        elif now >= self.probe_next:
            self.send_probe(b"k")

    def send_probe(self, key):
        self.probe = (key, time.monotonic())
        self.p.send(key)

    def run(self, statuses, probe=True):
        """(tasks loaded, seconds from the filter, G sent) of one load."""
        t0 = self.t0 = time.monotonic()
        self.p.send(b":filter status=" + statuses + b"\r")
        self.tr.wait(lambda e: e.startswith("tasks.page")
                     and "first=1" in e, t0)
        self.press_g()
        g_sent, seen = self.g_at, 0
        deadline = t0 + LOAD_TIMEOUT
        loaded = 0
        while time.monotonic() < deadline:
            now = time.monotonic()
            pages = self.pages(t0)
            done = self.complete(t0)
            if done:
                loaded = done[0]
                break
            if self.mode != "fill":
                loaded = sum(int(re.search(r"n=(\d+)", e).group(1))
                             for _, e in pages)
                if self.mode == "walk" and loaded >= self.tasks:
                    break
            if self.mode is None:
                self.decide(pages, now)
            elif self.mode == "walk" and len(pages) > seen and \
                    self.probe is None and pages[-1][0] > self.g_at:
                seen = len(pages)
                self.press_g()
            if probe and self.mode is not None:
                self.step_probe(now)
            time.sleep(0.002)
        secs = time.monotonic() - t0
        if self.probe is not None:  # unanswered: as long as it waited
            self.delays.append(time.monotonic() - self.probe[1])
        if self.mode == "walk":
            # The G that brought the last page moved to the end of the
            # page before it: one more shows the last task.
            self.press_g()
            self.end_frame = self.tr.wait(lambda e: e == "frame", self.g_at)
        self.p.quiet(200)
        return loaded, secs, g_sent

    def last_frame(self, g_sent):
        """The trace time of the frame that showed the queue's last task:
        after the tail page (fill), or after the G that followed the
        last page (walk)."""
        if self.mode == "walk":
            return self.end_frame
        pages = [(t, e) for t, e in self.pages(self.t0) if t > g_sent]
        tails = [t for t, e in pages if "tail=1" in e]
        after = tails[0] if tails else pages[-1][0] if pages else None
        if after is None:
            return None
        frames = [t for t, e in self.tr.events() if t > after and
                  e == "frame"]
        return frames[0] if frames else None

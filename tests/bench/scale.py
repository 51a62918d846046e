"""The bench's `scale` phase: the same queue at 1k, 10k, 100k and 1M tasks.

For each size (`--scale-sizes`), a service of its own (few conversations
and messages: tasks are what grows) is seeded and started behind its
front; with all of them running, each is measured over TLS:

- the service: one page of 500 tasks, for every sort and its `-` form,
  unfiltered and with the queue's usual filters (open statuses,
  `assignee=me`), at the first page, the middle of the list and its last
  page; each page asked 5 times, of every size in turn (the machine's
  load drifts: so it weighs on each size alike), the median kept. The
  time is the request's, seen by a client on the same machine
  (keep-alive, so no handshake in it). Walking a million tasks 500 at a
  time for 16 orderings would take longer than the rest of the bench, so
  the cursors of the middle and of the last page are made here: a real
  cursor of the same sort, its values replaced by those of the row before
  that page, read from the service's SQLite database (a cursor is
  base64url JSON of the ordering's columns and the last row's values,
  tests/service/README.md);
- the client: start -> first frame of the queue (its trace's first task
  page, then the frame; the median of 3 starts, each signed in with a
  home of its own, and the first start's on its own: at 1,000,000 tasks
  the first client the service answers waits for a cold first query),
  resident memory right after the last start's frame, and CPU per `j`
  (median of 100).

Rows: the median page at each size and its ratio to 1k (target <= 2x,
and the worst ordering's too), and at the largest size the client's first
frame (< 300 ms), memory (< 64 MB) and `j` against the smallest size.
"""

import base64
import json
import shutil
import sqlite3
import statistics
import time

from helpers.service import SEEDED, Service

SORTS = ["priority", "-priority", "created_at", "-created_at", "updated_at",
         "-updated_at", "due_at", "-due_at"]
OPEN = "new,in_progress,waiting_on_client"
PAGE = 500
REPEAT = 5


def _decode(cursor):
    return json.loads(base64.urlsafe_b64decode(
        cursor + "=" * (-len(cursor) % 4)))


def _cursor(sample, values):
    """A cursor like `sample` (same ordering) holding other values."""
    raw = _decode(sample)
    raw["v"] = values
    data = json.dumps(raw, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _value(text):
    """A database value as a cursor carries it (times as {"dt": ...})."""
    if isinstance(text, str) and len(text) >= 19 and text[4] == "-":
        return {"dt": text.replace(" ", "T") + "+00:00"}
    return text


def _row_before(db, ordering, where, args, offset):
    """The sort values of the row at `offset` in `ordering` ("a,-b,...")."""
    cols = [c.lstrip("-") for c in ordering.split(",")]
    order = ", ".join(f"{c.lstrip('-')} {'DESC' if c[0] == '-' else 'ASC'}"
                      for c in ordering.split(","))
    row = db.execute(f"SELECT {', '.join(cols)} FROM tasks_task {where} "
                     f"ORDER BY {order} LIMIT 1 OFFSET ?",
                     [*args, offset]).fetchone()
    return [_value(v) for v in row]


def _queries(svc, api, me):
    """{(sort, filtered, place): params} for the first, the middle and the
    last page (first only when one page holds them all)."""
    out = {}
    db = sqlite3.connect(f"file:{svc.state / 'db.sqlite3'}?mode=ro", uri=True)
    try:
        for filtered in (False, True):
            base = {"status": OPEN, "assignee": "me"} if filtered else {}
            where, args = ("WHERE status IN ('new', 'in_progress', "
                           "'waiting_on_client') AND assignee_id = ?",
                           [me]) if filtered else ("", [])
            n = db.execute(f"SELECT count(*) FROM tasks_task {where}",
                           args).fetchone()[0]
            for sort in SORTS:
                params = dict(base, sort=sort, limit=PAGE)
                out[sort, filtered, "first"] = params
                sample = api.get("/tasks", params=params).data["next"]
                if not sample:
                    continue
                ordering = _decode(sample)["o"]
                for place, offset in (("middle", n // 2),
                                      ("last", max(0, n - PAGE - 1))):
                    values = _row_before(db, ordering, where, args, offset)
                    out[sort, filtered, place] = dict(
                        params, cursor=_cursor(sample, values))
    finally:
        db.close()
    return out


def page_costs(sizes):
    """{n: {(sort, filtered, place): (median ms, tasks)}}. Each query is
    asked of every size in turn, REPEAT rounds: the machine's load
    drifts, and it then weighs on every size alike."""
    times = {n: {} for n in sizes}
    tasks = {n: {} for n in sizes}
    keys = sorted({k for _, _, queries in sizes.values() for k in queries})
    for _ in range(REPEAT):
        for key in keys:
            for n, (_, api, queries) in sizes.items():
                if key not in queries:
                    continue
                t0 = time.perf_counter()
                r = api.get("/tasks", params=queries[key])
                times[n].setdefault(key, []).append(
                    (time.perf_counter() - t0) * 1000)
                assert r.status == 200 and r.data["results"], r
                tasks[n][key] = len(r.data["results"])
    return {n: {k: (statistics.median(ts), tasks[n][k])
                for k, ts in times[n].items()} for n in sizes}


STARTS = 3


def client_at(bench, svc):
    """((median start -> first frame ms of STARTS, the first start's),
    VmRSS kB after the last start's frame, j CPU ms median). The first
    start is the first client the service answers after the page probes:
    it is kept apart, as the startup phase takes a median too."""
    main, bench.svc = bench.svc, svc  # Bench's helpers use its svc's CA
    try:
        firsts = []
        for i in range(STARTS):
            home = bench.home()
            t0 = time.monotonic()
            p, tr = bench.start(home)
            try:
                _, frame = bench.queue_frame(tr)
                firsts.append((frame - t0) * 1000)
                if i < STARTS - 1:
                    continue
                p.quiet(200)
                rss = p.status("VmRSS")
                down = bench.per_key(p, b"j", 100)
            finally:
                p.close()
        return (statistics.median(firsts), firsts[0]), rss, down[0]
    finally:
        bench.svc = main


def start(bench, n):
    """(service, seconds to seed and start it)."""
    svc = Service(bench.tmp / f"scale-{n}", ready_timeout=1800,
                  ping_seconds=str(bench.args.ping_seconds),
                  extra_args=("--tasks", str(n), "--conversations", "40",
                              "--messages", "400"))
    t0 = time.monotonic()
    svc.start()
    bench.log(f"scale {n}: seeded and ready in {time.monotonic() - t0:.1f} s")
    return svc, time.monotonic() - t0


def measure(bench, services):
    """{n: (seeded s, pages, client)} with every service running."""
    sizes = {}
    for n, (svc, _) in services.items():
        api = svc.session()
        r = api.login("admin@example.com", "sitecare-demo")
        assert r.status == 200, r
        me = api.get("/me").data["id"]
        sizes[n] = (svc, api, _queries(svc, api, me))
    pages = page_costs(sizes)
    got = {}
    for n, (svc, seeded) in services.items():
        client = client_at(bench, svc)
        bench.log(f"scale {n}: pages (ms/tasks) " + ", ".join(
            f"{s}{'/mine' if f else ''}/{w} {ms:.0f}/{k}"
            for (s, f, w), (ms, k) in sorted(pages[n].items())))
        bench.log(f"scale {n}: first frame {client[0][0]:.0f} ms (median "
                  f"of {STARTS}; the first start {client[0][1]:.0f} ms), RSS "
                  f"{client[1] / 1024:.1f} MB, j {client[2]:.3f} ms")
        got[n] = (seeded, pages[n], client)
    return got


def _full(pages):
    """The pages that held (about) 500 tasks: at 1k the filtered queue has
    about 100, a smaller page that would flatter the small size."""
    return {k: ms for k, (ms, n) in pages.items() if n >= PAGE - 1}


def scale(bench):
    """The phase: every size, then the rows."""
    SEEDED.enabled = False  # no copy of a million-task database to keep
    sizes = [int(s) for s in bench.args.scale_sizes.split(",")]
    services = {}
    try:
        for n in sizes:
            services[n] = start(bench, n)
        got = measure(bench, services)
    finally:
        for svc, _ in services.values():
            svc.stop()
            shutil.rmtree(svc.state, ignore_errors=True)
    small, big = sizes[0], sizes[-1]
    base = _full(got[small][1])
    for n in sizes:
        seeded, pages, _ = got[n]
        full = _full(pages)
        med = statistics.median(full.values())
        bench.row(f"page of 500 at {n:,} tasks: median of {len(full)} "
                  f"(sort x filter x place); seeded and ready in "
                  f"{seeded:.0f} s", f"{med:.1f} ms", "-", None)
        if n == small:
            continue
        both = [k for k in full if k in base]
        ratio = statistics.median(full[k] for k in both) / \
            statistics.median(base[k] for k in both)
        # The worst one: the largest ratio of a (sort, filter, place) to
        # the same at the smallest size.
        worst, k = max((full[k] / base[k], k) for k in both)
        bench.row(f"  vs {small:,} (same {len(both)} pages): median; worst "
                  f"({k[0]}{' mine' if k[1] else ''} {k[2]})",
                  f"{ratio:.2f}x; {worst:.2f}x", "<= 2x",
                  ratio <= 2 and worst <= 2)
    first, rss, j = got[big][2]
    j_small = got[small][2][2]
    bench.row(f"first frame at {big:,} tasks (median of {STARTS} starts; "
              f"the first start after the page probes)",
              f"{first[0]:.0f} ms ({first[1]:.0f} ms)", "< 300 ms",
              first[0] < 300)
    bench.row(f"RSS at {big:,} tasks (after the first frame)",
              f"{rss / 1024:.1f} MB", "< 64 MB", rss < 64 * 1024)
    bench.row(f"j at {big:,} vs {small:,} tasks (CPU, median of 100)",
              f"{j:.3f} vs {j_small:.3f} ms", "as fast (<= 1.2x)",
              j <= 1.2 * j_small)

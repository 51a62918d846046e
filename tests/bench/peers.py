"""`bench.py --peers`: tig and neomutt through the bench's own harness.

Each peer gets the same number of items as the bench's tasks (loads.py:
a git repository made with `git fast-import`, a Maildir), runs in the
same `Pty` at the same 120x40 and TERM, and is measured as sitecare is:

- whole list available: from the start until the last item can be shown.
  tig reads `git log` in the background: until that child has exited and
  tig has drawn what it read (the terminal quiet for 100 ms). neomutt
  reads the whole Maildir before it draws its index: until the newest
  message (the one it opens on) is on the terminal;
- resident memory (VmRSS) at that point;
- per key, with the same `Bench.per_key` (CPU from /proc/PID/schedstat,
  bytes from the pty), from the first item (Home, `\\eOH`, bound by
  both): `k` there (nothing to do), `j` 100 times, PageDown (`\\e[6~`:
  tig's move-page-down, neomutt's next-page, sitecare's page-down) 40
  times.

The side-by-side table divides sitecare's figure by the better (lower)
peer's: goals at most 1.0 on CPU per key and RSS, 1.3 on bytes.
"""

import subprocess
import time

import loads

HOME_KEY = b"\x1bOH"
PAGE_DOWN = b"\x1b[6~"


def children(pid):
    """The pids of pid's children, with their command lines."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            kids = f.read().split()
    except OSError:
        return {}
    found = {}
    for kid in kids:
        try:
            with open(f"/proc/{kid}/cmdline", "rb") as f:
                found[kid] = f.read().replace(b"\0", b" ")
        except OSError:
            pass
    return found


def tig_loaded(p, timeout=120):
    """When tig's `git log` child has come and gone (monotonic s)."""
    deadline = time.monotonic() + timeout
    logs = set()
    while time.monotonic() < deadline:
        kids = children(p.pid)
        logs |= {k for k, cmd in kids.items() if cmd.startswith(b"git log")}
        if logs and not logs & set(kids):
            p.quiet(100)
            return time.monotonic()
        time.sleep(0.001)
    raise TimeoutError("tig's git log did not end")


def neomutt_loaded(p, timeout=120):
    """When neomutt's index shows the newest message (monotonic s)."""
    return p.wait_for(loads.LAST_MARK.encode(), timeout=timeout)


def keys(bench, p):
    """{measure: (median CPU ms, median bytes)} of the compared keys."""
    p.send(HOME_KEY)
    p.quiet(150)
    still = bench.per_key(p, b"k", 20)
    down = bench.per_key(p, b"j", 100)
    page = bench.per_key(p, PAGE_DOWN, 40)
    return {"k": still[:2], "j": down[:2], "pgdn": page[:2]}


def measure(bench, name, argv, env, cwd, loaded):
    """A peer's figures: started in the pty, loaded, its keys pressed."""
    t0 = time.monotonic()
    p = bench.pty(argv, env, cwd)
    try:
        whole = loaded(p) - t0
        p.quiet(300)
        figures = {"whole": whole, "rss": p.status("VmRSS") / 1024}
        figures.update(keys(bench, p))
    finally:
        p.close()
    bench.log(f"{name}: {figures}")
    return figures


def prepare(tmp, n, log):
    """(repository, Maildir, muttrc, home) of n items under tmp."""
    home = tmp / "peers-home"
    home.mkdir()
    t0 = time.monotonic()
    repo = loads.make_git_repo(tmp / "peers-repo", n, home)
    log(f"peers: git fast-import of {n} commits in "
        f"{time.monotonic() - t0:.1f} s")
    t0 = time.monotonic()
    maildir = loads.make_maildir(tmp / "peers-mail" / "inbox", n)
    log(f"peers: Maildir of {n} messages in {time.monotonic() - t0:.1f} s")
    muttrc = loads.make_muttrc(tmp / "peers-muttrc", maildir, tmp)
    return repo, maildir, muttrc, home


def run(bench):
    """Measures tig and neomutt; {peer: figures}."""
    repo, maildir, muttrc, home = prepare(bench.tmp, bench.args.tasks,
                                          bench.log)
    tigrc = home / "tigrc"
    tigrc.write_text("")
    env = dict(loads.git_env(home), TERM=bench.env(home)["TERM"],
               TIGRC_USER=str(tigrc))
    return {
        "tig": measure(bench, "tig", ["/usr/bin/tig"], env, repo,
                       tig_loaded),
        "neomutt": measure(bench, "neomutt", [
            "/usr/bin/neomutt", "-n", "-F", str(muttrc), "-f", str(maildir)],
            env, home, neomutt_loaded),
    }


# (figure key, index in a (CPU, bytes) pair or None, row name, unit
# format, goal on sitecare / better peer or None)
ROWS = (
    ("rss", None, "resident memory, every item loaded", "{:.1f} MB", 1.0),
    ("j", 0, "`j` (row down): CPU", "{:.3f} ms", 1.0),
    ("j", 1, "`j`: bytes", "{:.0f} B", 1.3),
    ("pgdn", 0, "PageDown: CPU", "{:.3f} ms", 1.0),
    ("pgdn", 1, "PageDown: bytes", "{:.0f} B", 1.3),
    ("k", 0, "`k` on the first item (nothing to do): CPU", "{:.3f} ms",
     None),
    ("k", 1, "`k` on the first item: bytes", "{:.0f} B", None),
    ("whole", None, "whole list available", "{:.1f} s", None),
)


def figure(figures, key, index):
    """One figure of one program, or None when it was not measured."""
    value = (figures or {}).get(key)
    if value is None or index is None:
        return value
    return value[index]


def ratio_cell(ours, peers, goal):
    """(ratio text, verdict) of sitecare's figure to the better peer's."""
    known = [v for v in peers if v is not None]
    if ours is None or not known:
        return "-", "-"
    best = min(known)
    if best == 0:
        return ("-" if ours == 0 else "inf"), "-" if goal is None else (
            "met" if ours == 0 else "MISSED")
    r = ours / best
    verdict = "-" if goal is None else "met" if r <= goal else "MISSED"
    return f"{r:.2f}", verdict


def table(ours, peers, n):
    """The side-by-side table as markdown lines."""
    names = list(peers)
    heads = ["at " + f"{n:,}" + " items", "sitecare", *names,
             "sitecare / better", "goal", ""]
    lines = [heads]
    for key, index, name, fmt, goal in ROWS:
        mine = figure(ours, key, index)
        theirs = [figure(peers[p], key, index) for p in names]
        cells = [fmt.format(v) if v is not None else "-"
                 for v in [mine, *theirs]]
        r, verdict = ratio_cell(mine, theirs, goal)
        lines.append([name, *cells, r,
                      "-" if goal is None else f"<= {goal:.1f}", verdict])
    w = [max(len(row[i]) for row in lines) for i in range(len(heads))]
    out = ["| " + " | ".join(c.ljust(w[i]) for i, c in enumerate(row)) +
           " |" for row in lines]
    out.insert(1, "|" + "|".join("-" * (x + 2) for x in w) + "|")
    return out


def environment_note():
    """The peers' versions, for the line over the table."""
    versions = []
    for argv in (["tig", "--version"], ["neomutt", "-v"]):
        try:
            out = subprocess.run(argv, capture_output=True, text=True).stdout
        except OSError:
            out = ""
        versions.append(out.splitlines()[0] if out else argv[0] + " (?)")
    return "; ".join(versions)

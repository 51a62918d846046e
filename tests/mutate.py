#!/usr/bin/python3
"""`make mutate`: plants each one-line bug of tests/mutations.txt in a
scratch copy of the tree, builds it and runs the tests that should catch
it; a bug no test catches is a promise of the README with no test.

Every mutation is applied alone to one scratch copy (build/mutate-*,
removed at the end; the file is put back between mutations), the
release build is brought up to date (-j2) and the mutation's selection
runs through tests/run.py against that build. A mutation is KILLED when
a test fails (or the run outlives its bound), SURVIVED when every test
passes. One that does not build, or that clang-format would reformat, is
a bad mutation: counted apart, to be fixed in the list, never as killed.
Before any mutation, the selections all run once on the unchanged tree:
a test that fails there would make every kill meaningless.

Prints each survivor with its why and `mutate: K/N killed (P%)`; exits 0
only when every mutation was killed.

The list's format (tests/mutations.txt): blocks of `key: value` lines
separated by blank lines, `#` lines are comments. Keys: file (a path in
the tree), from (text that must occur exactly once in that file), to (its
replacement), why (what the bug breaks), tests (space-separated: unit
binaries as tests/unit/x/test_y, pytest node ids as tests/...py::name).
Only the one space after the colon is not part of a value.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIST = ROOT / "tests" / "mutations.txt"
BUILD = "build/release"
KEYS = ("file", "from", "to", "why", "tests")
UNIT_PREFIX = "tests/unit/"
BUILD_SECONDS = 900
TEST_SECONDS = 600


class ListError(Exception):
    """A mutation list that cannot be used: the message names the line."""


@dataclass
class Mutation:
    """One planted bug and the tests that should catch it."""
    line: int
    file: str
    orig: str
    repl: str
    why: str
    tests: list = field(default_factory=list)

    @property
    def units(self):
        return [t for t in self.tests if t.startswith(UNIT_PREFIX)]

    @property
    def pytests(self):
        return [t for t in self.tests if not t.startswith(UNIT_PREFIX)]

    def label(self):
        return f"{self.file} (line {self.line} of the list)"


def blocks(text):
    """(first line number, {key: value}) for each block of the list."""
    out, cur, start = [], {}, 0
    for n, raw in enumerate(text.splitlines() + [""], 1):
        if raw.startswith("#"):
            continue
        if not raw.strip():
            if cur:
                out.append((start, cur))
            cur = {}
            continue
        key, sep, value = raw.partition(":")
        if not sep or key not in KEYS:
            raise ListError(f"line {n}: expected one of {', '.join(KEYS)}: "
                            f"{raw!r}")
        if key in cur:
            raise ListError(f"line {n}: {key} given twice")
        if not cur:
            start = n
        cur[key] = value[1:] if value.startswith(" ") else value
    return out


def check(n, b, root):
    """The block as a Mutation, or ListError saying what is wrong with it:
    a key missing, a file not in the tree, a `from` that does not occur
    exactly once (the mutation would be ambiguous or a no-op), a test
    that does not exist."""
    missing = [k for k in KEYS if not b.get(k, "").strip()]
    if missing:
        raise ListError(f"line {n}: missing {', '.join(missing)}")
    path = root / b["file"]
    if not path.is_file():
        raise ListError(f"line {n}: no file {b['file']}")
    count = path.read_text().count(b["from"])
    if count != 1:
        raise ListError(f"line {n}: `from` occurs {count} times in "
                        f"{b['file']}, not exactly once")
    if b["from"] == b["to"]:
        raise ListError(f"line {n}: `to` is the same as `from`")
    m = Mutation(n, b["file"], b["from"], b["to"], b["why"].strip(),
                 b["tests"].split())
    for u in m.units:
        if not (root / (u + ".c")).is_file():
            raise ListError(f"line {n}: no unit test source {u}.c")
    for p in m.pytests:
        if not (root / p.split("::", 1)[0]).is_file():
            raise ListError(f"line {n}: no test file {p.split('::')[0]}")
    return m


def parse(text, root=ROOT):
    """Every mutation of the list's text, checked against the tree."""
    return [check(n, b, root) for n, b in blocks(text)]


# ---- the scratch copy ------------------------------------------------------


def tree_files(root):
    """The files of the tree as git sees them: tracked and new ones, with
    their working contents, not build outputs or ignored state."""
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard",
                          "-z"], cwd=root, capture_output=True, check=True)
    return [f for f in out.stdout.decode().split("\0")
            if f and (root / f).is_file()]


def make_scratch(root, scratch):
    """Copies the tree into scratch, and the release build if there is
    one (with its times, so make rebuilds only what a mutation touches)."""
    for f in tree_files(root):
        dest = scratch / f
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / f, dest)
    if (root / BUILD).is_dir():
        shutil.copytree(root / BUILD, scratch / BUILD, symlinks=True,
                        ignore=shutil.ignore_patterns("pytest*.xml",
                                                      "pytest*.log"))


# Run as root, builds and tests see a /tmp of their own (a folder of the
# scratch copy mounted there in a private mount namespace): unit tests
# that make their folders under /tmp by name, and fail before removing
# them when a bug is planted, leave nothing in the real /tmp.
PRIVATE_TMP = ["unshare", "--mount", "--propagation", "private", "sh", "-c",
               'mount --bind "$0" /tmp && exec "$@"']


def private_tmp_works():
    """Whether PRIVATE_TMP can be used here (root, unshare allowed)."""
    try:
        return subprocess.run([*PRIVATE_TMP, "/", "true"],
                              capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def run_bounded(cmd, cwd, seconds, env):
    """(exit status, output) of cmd, niced, in its own process group, the
    whole group killed when it outlives `seconds` (status None then): a
    hung test's client and service go with it. env["SC_MUTATE_TMP"], when
    set, is mounted on /tmp for it."""
    if env.get("SC_MUTATE_TMP"):
        cmd = [*PRIVATE_TMP, env["SC_MUTATE_TMP"], *cmd]
    p = subprocess.Popen(["nice", "-n", "19", *cmd], cwd=cwd, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         start_new_session=True)
    try:
        out, _ = p.communicate(timeout=seconds)
        return p.returncode, out.decode(errors="replace")
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, _ = p.communicate()
        return None, out.decode(errors="replace")
    finally:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()


def build(scratch, units, env):
    """(ok, output) of bringing the client and these unit binaries up to
    date in the scratch copy."""
    targets = [f"{BUILD}/sitecare"] + [f"{BUILD}/{u}" for u in units]
    rc, out = run_bounded(["make", "--no-print-directory", "-j2", *targets],
                          scratch, BUILD_SECONDS, env)
    return rc == 0, out


def formatted(scratch, m):
    """Whether clang-format leaves the mutated file as it is (else the
    source check, not a test, would fail the run)."""
    r = subprocess.run(["clang-format", "--dry-run", "--Werror", m.file],
                       cwd=scratch, capture_output=True)
    return r.returncode == 0


def run_tests(scratch, units, pytests, env):
    """(exit status, output) of tests/run.py on the selection, against
    the scratch build."""
    cmd = [sys.executable, "tests/run.py", "--build", BUILD, "--binary",
           f"{BUILD}/sitecare"]
    cmd += [f"--unit={u}" for u in units] or ["--unit=none"]
    cmd += pytests or ["--no-pytest"]
    return run_bounded(cmd, scratch, TEST_SECONDS, env)


# ---- the run ---------------------------------------------------------------


def mutate_one(scratch, m, env):
    """'killed', 'survived', 'unbuilt' or 'unformatted', and the seconds
    it took; the file is put back whatever happens."""
    path = scratch / m.file
    orig = path.read_text()
    start = time.monotonic()
    try:
        path.write_text(orig.replace(m.orig, m.repl, 1))
        if not formatted(scratch, m):
            return "unformatted", time.monotonic() - start, ""
        ok, out = build(scratch, m.units, env)
        if not ok:
            return "unbuilt", time.monotonic() - start, out[-2000:]
        rc, out = run_tests(scratch, m.units, m.pytests, env)
        verdict = "survived" if rc == 0 else "killed"
        return verdict, time.monotonic() - start, \
            out[-1500:] if rc is None else ""
    finally:
        path.write_text(orig)


def run_all(muts, root, verbose):
    """Runs every mutation in one scratch copy; the tally by verdict."""
    # In build/, not /tmp: the runs get a /tmp of their own, and the copy
    # must stay visible to them.
    (root / "build").mkdir(exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="mutate-", dir=root / "build"))
    # The tests' own temporary files (run.py's, tmux's, the compiler's)
    # go inside the scratch folder too: a killed run leaves nothing in
    # /tmp.
    tmp = scratch / "tmp"
    tmp.mkdir()
    env = dict(os.environ, TMPDIR=str(tmp), TMUX_TMPDIR=str(tmp))
    if private_tmp_works():
        env["SC_MUTATE_TMP"] = str(tmp)
    else:
        print("mutate: no private /tmp (not root?): unit tests that fail "
              "may leave folders in /tmp", flush=True)
    env.pop("MAKEFLAGS", None)
    env.pop("MFLAGS", None)
    tree = scratch / "tree"
    results = []
    try:
        make_scratch(root, tree)
        units = sorted({u for m in muts for u in m.units})
        pytests = list(dict.fromkeys(p for m in muts for p in m.pytests))
        ok, out = build(tree, units, env)
        if not ok:
            print(out[-3000:])
            print("mutate: the unchanged tree does not build")
            return None
        rc, out = run_tests(tree, units, pytests, env)
        if rc != 0:
            print(out[-5000:])
            print("mutate: the selected tests fail on the unchanged tree")
            return None
        print(f"mutate: the unchanged tree passes the {len(units)} unit "
              f"binaries and {len(pytests)} pytest selections", flush=True)
        for i, m in enumerate(muts, 1):
            verdict, secs, detail = mutate_one(tree, m, env)
            print(f"[{i}/{len(muts)}] {verdict.upper():<11} {secs:5.0f}s "
                  f"{m.label()}: {m.why}", flush=True)
            if detail and (verbose or verdict == "unbuilt"):
                print(detail)
            results.append((m, verdict))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return results


def report(results):
    """Prints survivors, bad mutations and the kill rate; the exit status."""
    n = len(results)
    killed = sum(1 for _, v in results if v == "killed")
    for m, v in results:
        if v == "survived":
            print(f"survived: {m.label()}: {m.why}\n  -{m.orig.strip()}\n"
                  f"  +{m.repl.strip()}\n  tests: {' '.join(m.tests)}")
    for m, v in results:
        if v in ("unbuilt", "unformatted"):
            what = ("does not build" if v == "unbuilt"
                    else "is not clang-formatted")
            print(f"bad mutation ({what}): {m.label()}")
    bad = sum(1 for _, v in results if v in ("unbuilt", "unformatted"))
    if bad:
        print(f"mutate: {bad} bad mutations (not built or not formatted), "
              "counted as not killed")
    print(f"mutate: {killed}/{n} killed ({100 * killed / max(n, 1):.0f}%)")
    return 0 if killed == n else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--list", type=Path, default=LIST)
    ap.add_argument("--check", action="store_true",
                    help="only check the list against the tree")
    ap.add_argument("--only", metavar="TEXT",
                    help="only mutations whose file or why contains TEXT")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    try:
        muts = parse(a.list.read_text())
    except ListError as e:
        print(f"mutate: {a.list}: {e}", file=sys.stderr)
        return 2
    if a.only:
        muts = [m for m in muts if a.only in m.file or a.only in m.why]
    if a.check:
        print(f"mutate: {len(muts)} mutations, each found exactly once")
        return 0
    # A SIGTERM (make interrupted, CI's bound) still removes the scratch
    # copy: it unwinds like Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(130))
    start = time.monotonic()
    results = run_all(muts, ROOT, a.verbose)
    if results is None:
        return 2
    rc = report(results)
    print(f"mutate: took {time.monotonic() - start:.0f} s")
    return rc


if __name__ == "__main__":
    sys.exit(main())

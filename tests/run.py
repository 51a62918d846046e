#!/usr/bin/python3
"""Runs every sitecare test and ends with one honest summary line.

Suites, in order: source checks (format, layering), the C unit tests
(cmocka, TAP output), then pytest (the reference service's contract tests,
integration against it, and terminal tests in tmux). Each test counts once;
a unit binary that crashes before reporting all its tests counts the
missing ones as failed. Exit status 0 only when nothing failed and at least
one test ran.

With --client-only pytest leaves out the reference service's own contract
tests (no client code runs in them), for the sanitiser pass: the plain
pass has run them already. A line before the summary says what ran.

--jobs N deals pytest's tests out to N pytest processes side by side, by
whole files, so that each process's share takes about as long
(tests/durations.txt; `make check` passes CHECK_JOBS, default 2).

With --valgrind only the integration suite runs, with the client and the C
probes under valgrind memcheck (tests/integration/cli.py); with --jobs
each pytest process has its own reports folder, so a test is failed only
for the reports of its own runs; every report valgrind wrote is then
checked once more here, so an error in a run that no test looked at still
fails.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
C_DIRS = ("tui", "net", "views", "keymaps")


# The kinds of test `make check` counts, in the order it prints them.
KINDS = (
    ("source", "source checks"),
    ("unit", "unit (tests/unit)"),
    ("fuzz", "fuzz harnesses (tests/fuzz)"),
    ("integration", "client integration (tests/integration)"),
    ("e2e", "terminal (tests/e2e)"),
    ("service", "service contract (tests/service/tests)"),
    ("valgrind", "valgrind reports"),
    ("pytest", "pytest, outside those folders"),
)


class Tally:
    """Counts results per kind of test and prints failures as they happen;
    keeps every skip with its reason."""

    def __init__(self):
        self.passed = self.failed = self.skipped = 0
        self.failures = []
        self.skips = []  # (suite: name, reason)
        self.kinds = {}  # kind -> [passed, failed, skipped]

    def add(self, suite, name, outcome, detail="", kind=None):
        counts = self.kinds.setdefault(kind or suite, [0, 0, 0])
        if outcome == "pass":
            self.passed += 1
            counts[0] += 1
        elif outcome == "skip":
            self.skipped += 1
            counts[2] += 1
            self.skips.append((f"{suite}: {name}",
                               detail.strip() or "(no reason given)"))
        else:
            self.failed += 1
            counts[1] += 1
            self.failures.append(f"{suite}: {name}")
            print(f"FAIL {suite}: {name}\n{detail}".rstrip(), flush=True)

    def report(self):
        """The counts by kind, then each skip and why, before the closing
        line."""
        labels = dict(KINDS)
        order = [k for k, _ in KINDS] + sorted(set(self.kinds) - set(labels))
        print("by kind:")
        for kind in order:
            if kind in self.kinds:
                p, f, s = self.kinds[kind]
                print(f"  {labels.get(kind, kind):<42} {p:>5} passed, "
                      f"{f} failed, {s} skipped")
        for name, reason in self.skips:
            print(f"skipped: {name}: {reason}")


def pytest_kind(classname):
    """The kind of a pytest case by its module (e2e.test_x, integration.
    test_y, service.tests.test_z)."""
    top = (classname or "").split(".")[0]
    return top if top in ("e2e", "integration", "service") else "pytest"


def c_sources(with_tests=True):
    """Every C file the format and layering checks look at."""
    files = []
    for d in C_DIRS + (("tests/unit", "tests/fuzz") if with_tests else ()):
        files += sorted((ROOT / d).rglob("*.[ch]"))
    return files


def check_format(t):
    """The sources match .clang-format (make format fixes them)."""
    files = [str(f) for f in c_sources()]
    r = subprocess.run(["clang-format", "--dry-run", "--Werror", *files],
                       cwd=ROOT, capture_output=True, text=True)
    t.add("source", "clang-format", "pass" if r.returncode == 0 else "fail",
          r.stderr[-3000:])


LAYER_RULES = (
    ("net", re.compile(r'#\s*include\s*[<"](n?curses|ncursesw/|tui/|views/)'),
     "net/ must not know curses, the TUI or the views"),
    ("views", re.compile(r'#\s*include\s*[<"]curl/'),
     "views/ must not call libcurl"),
    ("keymaps", re.compile(r'#\s*include\s*[<"]views/'),
     "keymaps/ must not know the views' internals"),
    ("net/store", re.compile(r'#\s*include\s*[<"](n?curses|ncursesw/|'
                             r'curl/|tui/|views/)'),
     "the store knows neither curses, the TUI, the panes nor libcurl"),
)


def check_layering(t):
    """Each layer includes only what the house style lets it."""
    for layer, pattern, why in LAYER_RULES:
        bad = [f"{f.relative_to(ROOT)}:{n}"
               for f in sorted((ROOT / layer).rglob("*.[ch]"))
               for n, line in enumerate(f.read_text().splitlines(), 1)
               if pattern.search(line)]
        t.add("source", f"layering {layer}", "fail" if bad else "pass",
              why + "\n" + "\n".join(bad))


VIEW_INCLUDE = re.compile(r'#\s*include\s*"views/([a-z_]+)/')
SHARED_VIEWS = "shared"


def check_views_apart(t):
    """A pane's files include no other pane's headers, only views/shared/."""
    bad = []
    for f in sorted((ROOT / "views").rglob("*.[ch]")):
        pane = f.relative_to(ROOT / "views").parts[0]
        bad += [f"{f.relative_to(ROOT)}:{n}"
                for n, line in enumerate(f.read_text().splitlines(), 1)
                if (m := VIEW_INCLUDE.search(line))
                and m.group(1) not in (pane, SHARED_VIEWS)]
    t.add("source", "layering views apart", "fail" if bad else "pass",
          "a pane (views/<pane>/) includes only its own headers and "
          "views/shared/\n" + "\n".join(bad))


C_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
POLL_CALL = re.compile(r"\bpoll\s*\(")
THE_POLL = "net/base/loop.c"


def check_one_poll(t):
    """The product waits in one place, the one loop's poll() (issue #15)."""
    bad = []
    for f in c_sources(with_tests=False):
        rel = str(f.relative_to(ROOT))
        code = C_COMMENT.sub(lambda m: "\n" * m.group().count("\n"),
                             f.read_text())
        bad += [f"{rel}:{n}" for n, line in enumerate(code.splitlines(), 1)
                if rel != THE_POLL and POLL_CALL.search(line)]
    t.add("source", "one poll() call site", "fail" if bad else "pass",
          f"only {THE_POLL} calls poll(): lend the loop a source, or "
          "wait in place with loop_wait_fd\n" + "\n".join(bad))


TAP_LINE = re.compile(r"^(not ok|ok) \d+ - (\S+)(.*)$")


def parallel(jobs, run):
    """run(job) for every job, as many at once as there are cores (the
    suites' programs are independent: each makes its own temporary
    folders and ports); the results in the jobs' order, so the log reads
    the same whatever finished first."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return list(pool.map(run, jobs))


def run_unit_binary(b):
    """One cmocka binary's (stdout, stderr, exit status), bounded."""
    env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT="TAP")
    try:
        r = subprocess.run([str(b)], cwd=ROOT, env=env, timeout=300,
                           capture_output=True, text=True)
        return r.stdout, r.stderr, r.returncode
    except subprocess.TimeoutExpired as e:
        return (e.stdout or b"").decode(), "timed out", -1


def run_unit(t, build, only=None):
    """Runs each cmocka binary with TAP output and counts its lines.

    The binaries are those of the sources in tests/unit, so a test whose
    source moved or went is not run from an old build; one that was not
    built fails. `only` (tests/unit/x/test_y, as --unit names them) keeps
    those alone: `make mutate` runs the few that should catch a bug."""
    want = [Path(build) / src.relative_to(ROOT).with_suffix("")
            for src in sorted((ROOT / "tests" / "unit").rglob("test_*.c"))
            if only is None or str(src.relative_to(ROOT).with_suffix(""))
            in only]
    for b in want:
        if not os.access(b, os.X_OK):
            t.add(str(b.relative_to(Path(build) / "tests" / "unit")),
                  "built", "fail", f"{b} was not built (make unit)",
                  kind="unit")
    bins = [b for b in want if os.access(b, os.X_OK)]
    for b, (out, err, rc) in zip(bins, parallel(bins, run_unit_binary)):
        suite = str(b.relative_to(Path(build) / "tests" / "unit"))
        planned = re.search(r"^1\.\.(\d+)", out, re.M)
        seen = 0
        for line in out.splitlines():
            m = TAP_LINE.match(line)
            if m:
                seen += 1
                skip = "# SKIP" in m.group(3)
                t.add(suite, m.group(2),
                      "skip" if skip else
                      "pass" if m.group(1) == "ok" else "fail",
                      m.group(3).split("# SKIP", 1)[1] if skip else
                      out[-2000:] + err[-2000:], kind="unit")
        missing = (int(planned.group(1)) if planned else 1) - seen
        if missing > 0 or (rc != 0 and seen == 0):
            t.add(suite, f"{max(missing, 1)} test(s) never reported "
                  f"(exit {rc})", "fail", err[-3000:], kind="unit")
            t.failed += max(missing, 1) - 1


def count_junit(t, report, rc):
    """Counts one pytest run's JUnit XML report into the tally."""
    if not report.exists():
        t.add("pytest", f"no report (exit {rc})", "fail")
        return
    for case in ET.parse(report).getroot().iter("testcase"):
        name = f"{case.get('classname')}.{case.get('name')}"
        kind = pytest_kind(case.get("classname"))
        skipped = case.find("skipped")
        if skipped is not None:
            t.add("pytest", name, "skip", skipped.get("message", ""),
                  kind=kind)
        elif case.find("failure") is not None or \
                case.find("error") is not None:
            t.add("pytest", name, "fail", "", kind=kind)
        else:
            t.add("pytest", name, "pass", kind=kind)
    if rc not in (0, 1, 5):
        t.add("pytest", f"pytest itself failed (exit {rc})", "fail")


PYTEST = [sys.executable, "-m", "pytest", "-c", "tests/pytest.ini"]


def collect(env, extra):
    """The node ids pytest would run for these arguments, from the
    repository root (pytest names them from tests/, its rootdir); [] when
    collecting failed, so that the unsplit run reports the error."""
    r = subprocess.run([*PYTEST, "--collect-only", "-q", "-p",
                        "no:cacheprovider", *extra], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        return []
    return ["tests/" + line for line in r.stdout.splitlines() if "::" in line]


# What each test file took in a measured run (seconds, then the path), so
# that the pytest processes side by side get equal shares and finish
# together; a file not listed counts DEFAULT_TEST_SECONDS per test.
# `--save-durations` rewrites it from the run's reports.
DURATIONS = ROOT / "tests" / "durations.txt"
DEFAULT_TEST_SECONDS = 2.0


def file_of(node_id):
    """tests/e2e/test_x.py for tests/e2e/test_x.py::test_y[param]."""
    return node_id.split("::", 1)[0]


def load_durations():
    """{path: seconds} from DURATIONS ({} when it is missing)."""
    if not DURATIONS.exists():
        return {}
    out = {}
    for line in DURATIONS.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            seconds, path = line.split(None, 1)
            out[path.strip()] = float(seconds)
    return out


def deal(ids, shards):
    """The node ids in `shards` lists of whole files, longest file first to
    the least loaded list: a file's module fixtures (its own service...)
    start once, and the lists' estimated times come out near equal. The
    same ids and durations always deal the same way."""
    files = {}
    for node in ids:
        files.setdefault(file_of(node), []).append(node)
    known = load_durations()
    cost = {f: known.get(f, DEFAULT_TEST_SECONDS * len(n))
            for f, n in files.items()}
    lists, loads = [[] for _ in range(shards)], [0.0] * shards
    for f in sorted(files, key=lambda f: (-cost[f], f)):
        i = loads.index(min(loads))
        lists[i] += files[f]
        loads[i] += cost[f]
    return [ids for ids in lists if ids]


def save_durations(reports):
    """Rewrites DURATIONS with each file's summed times in JUnit reports;
    files those reports do not name keep their old figure (a pass that
    runs only some suites leaves the others' alone)."""
    measured = {}
    for report in reports:
        if not report.exists():
            continue
        for case in ET.parse(report).getroot().iter("testcase"):
            path = "tests/" + case.get("classname").replace(".", "/") + ".py"
            measured[path] = measured.get(path, 0) + float(case.get("time"))
    per_file = {**load_durations(), **measured}
    lines = [f"{s:8.1f} {f}" for f, s in
             sorted(per_file.items(), key=lambda kv: (-kv[1], kv[0]))]
    DURATIONS.write_text(DURATIONS_HEAD + "\n".join(lines) + "\n")


DURATIONS_HEAD = ("# seconds per test file in a measured run, for dealing "
                  "pytest out (tests/run.py)\n")


def private_tmp():
    """A temporary folder of one pytest process's own, and the environment
    that sends everything there: Python's tempfile and every program that
    honours TMPDIR, tmux's sockets (TMUX_TMPDIR), pytest's own tmp_path
    (--basetemp). Removed once the process has finished, so a run leaves
    nothing behind in /tmp: not a socket of a tmux server a killed test
    left, nor pytest's kept folders."""
    path = Path(tempfile.mkdtemp(prefix="sc-check-"))
    return path, {"TMPDIR": str(path), "TMUX_TMPDIR": str(path)}, \
        [f"--basetemp={path / 'pytest'}"]


def run_pytest(t, binary, build, extra, shards=1, shard_env=None):
    """Runs pytest over tests/ and counts its JUnit XML report(s).

    With shards > 1 the tests are dealt out (deal()) to that many pytest
    processes running side by side, each with its own session fixtures
    (reference service ...) and report, and the environment shard_env(i)
    adds; each one's output follows once all have finished. Each process
    has its own temporary folder (private_tmp()). Returns the reports."""
    env = dict(os.environ, SITECARE_BIN=str(Path(binary).resolve()))
    ids = collect(env, extra) if shards > 1 else []
    if len(ids) < 2:
        report = Path(build) / "pytest.xml"
        report.unlink(missing_ok=True)
        tmp, tmp_env, tmp_args = private_tmp()
        try:
            rc = subprocess.run([*PYTEST, f"--junitxml={report}", *tmp_args,
                                 *extra], cwd=ROOT,
                                env={**env, **tmp_env}).returncode
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        count_junit(t, report, rc)
        return [report]
    runs = []
    for i, part in enumerate(deal(ids, shards)):
        report = Path(build) / f"pytest.{i}.xml"
        log = Path(build) / f"pytest.{i}.log"
        report.unlink(missing_ok=True)
        tmp, tmp_env, tmp_args = private_tmp()
        with open(log, "w") as out:
            p = subprocess.Popen(
                [*PYTEST, f"--junitxml={report}", "-p", "no:cacheprovider",
                 *tmp_args, *part], cwd=ROOT, stdout=out,
                stderr=subprocess.STDOUT,
                env={**env, **tmp_env,
                     **(shard_env(i) if shard_env else {})})
        runs.append((p, report, log, tmp))
    print(f"pytest: {len(ids)} tests in {len(runs)} processes side by side",
          flush=True)
    for i, (p, report, log, tmp) in enumerate(runs):
        rc = p.wait()
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"--- pytest process {i} ({log}) ---\n{log.read_text()}",
              flush=True)
        count_junit(t, report, rc)
    return [report for _, report, _, _ in runs]


def check_valgrind_logs(t, log_dir):
    """Every memcheck report of the run: finished, and without errors."""
    runs, bad, unfinished = 0, [], []
    for f in sorted(Path(log_dir).rglob("*.xml")):
        runs += 1
        try:
            root = ET.parse(f).getroot()
        except ET.ParseError:
            unfinished.append(f.name)  # killed before valgrind could finish
            continue
        for err in root.findall("error"):
            what = err.findtext("what") or err.findtext("xwhat/text") or ""
            bad.append(f"{f}: {err.findtext('kind')}: {what}")
    detail = "\n".join(bad[:50])
    if unfinished:
        detail += f"\nunfinished (killed) runs, not checked: {' '.join(unfinished)}"
    t.add("valgrind", f"memcheck reports of {runs} runs",
          "pass" if runs and not bad else "fail", detail.strip())
    print(f"valgrind: {runs} runs, {len(bad)} errors, "
          f"{len(unfinished)} unfinished (logs in {log_dir})", flush=True)


def run_fuzz(t, seconds):
    """Runs each libFuzzer harness for a bounded time; a crash fails it."""
    harnesses = [f for f in sorted((ROOT / "build" / "fuzz").glob("fuzz_*"))
                 if f.is_file() and os.access(f, os.X_OK)]

    def fuzz(f):
        name = f.name[len("fuzz_"):]
        corpus = ROOT / "build" / "fuzz" / "corpus" / name
        corpus.mkdir(parents=True, exist_ok=True)
        cmd = [str(f), f"-max_total_time={seconds}", "-timeout=5",
               "-rss_limit_mb=2048", f"-artifact_prefix={f.parent}/",
               str(corpus), str(ROOT / "tests" / "fuzz" / name)]
        try:
            r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True,
                               timeout=seconds + 120)
            return name, r.returncode, r.stderr
        except subprocess.TimeoutExpired:
            return name, -1, "timed out"

    for name, rc, err in parallel(harnesses, fuzz):
        t.add("fuzz", f"{name} for {seconds}s",
              "pass" if rc == 0 else "fail", err[-3000:])


# The reference service's own contract tests: Python against the Python
# service, no client code in them; a sanitised client build adds nothing to
# them, so that pass (`make check SANITIZE=1`) leaves them to the plain one.
SERVICE_SUITE = "tests/service/tests"
CLIENT_SUITES = ("tests/integration", "tests/e2e")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default="build/release")
    ap.add_argument("--binary", default="./sitecare")
    ap.add_argument("--no-pytest", action="store_true")
    ap.add_argument("--fuzz-seconds", type=int, default=0,
                    help="run each fuzz harness this long (0: skip)")
    ap.add_argument("--valgrind", metavar="LOG_DIR",
                    help="only the integration tests, under valgrind memcheck "
                         "with reports in LOG_DIR (emptied first)")
    ap.add_argument("--timeout-scale", type=float, default=0,
                    help="multiply the tests' time limits (default 1, "
                         "10 with --valgrind)")
    ap.add_argument("--jobs", type=int, default=1,
                    help="pytest processes side by side, each given whole "
                         "test files of about equal total time (default 1)")
    ap.add_argument("--save-durations", action="store_true",
                    help=f"rewrite {DURATIONS.relative_to(ROOT)} from this "
                         "run's per-file times")
    ap.add_argument("--client-only", action="store_true",
                    help="pytest runs only the suites that run the client "
                         f"({' '.join(CLIENT_SUITES)}), not {SERVICE_SUITE}")
    ap.add_argument("--unit", action="append", metavar="BINARY",
                    help="run only this unit binary (tests/unit/x/test_y; "
                         "repeatable); --unit none runs none")
    ap.add_argument("pytest_args", nargs="*")
    a = ap.parse_args()

    t = Tally()
    if a.valgrind:
        shutil.rmtree(a.valgrind, ignore_errors=True)
        os.environ.update(SITECARE_VALGRIND="1", SITECARE_VALGRIND_LOGS=str(
            Path(a.valgrind).resolve()))
        a.timeout_scale = a.timeout_scale or 10
    if a.timeout_scale:
        os.environ["SITECARE_TIMEOUT_SCALE"] = str(a.timeout_scale)
    ran, reports = [], []
    if a.valgrind:
        paths = a.pytest_args or ["tests/integration"]
        reports = run_pytest(t, a.binary, a.build, paths, a.jobs, lambda i: {
            "SITECARE_VALGRIND_LOGS": str(Path(a.valgrind).resolve() / str(i))})
        check_valgrind_logs(t, a.valgrind)
        ran.append(f"pytest {' '.join(paths)} under valgrind memcheck" +
                   (f", in {a.jobs} processes side by side"
                    if a.jobs > 1 else ""))
    else:
        check_format(t)
        check_layering(t)
        check_one_poll(t)
        check_views_apart(t)
        ran.append("source checks")
        run_unit(t, a.build, a.unit)
        ran.append(f"unit tests of {a.build}" +
                   (f" (only {' '.join(a.unit)})" if a.unit else ""))
        if a.fuzz_seconds > 0:
            run_fuzz(t, a.fuzz_seconds)
            ran.append(f"each fuzz harness for {a.fuzz_seconds}s")
        if not a.no_pytest:
            client_only = a.client_only and not a.pytest_args
            paths = a.pytest_args or (list(CLIENT_SUITES) if client_only
                                      else [])
            reports = run_pytest(t, a.binary, a.build, paths, a.jobs)
            ran.append("pytest " + (" ".join(paths) or "tests/ (every suite)")
                       + (f" (not {SERVICE_SUITE}: no client code runs in "
                          "them, the plain pass runs them)"
                          if client_only else "")
                       + (f", in {a.jobs} processes side by side"
                          if a.jobs > 1 else ""))
    if a.save_durations and reports:
        save_durations(reports)
    for f in t.failures:
        print(f"failed: {f}")
    t.report()
    print(f"ran: {'; '.join(ran)}; binary {a.binary}", flush=True)
    print(f"check: {t.passed} passed, {t.failed} failed, "
          f"{t.skipped} skipped", flush=True)
    return 0 if t.failed == 0 and t.passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())

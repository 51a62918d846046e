#!/usr/bin/python3
"""Runs every sitecare test and ends with one honest summary line.

Suites, in order: source checks (format, layering), the C unit tests
(cmocka, TAP output), then pytest (the reference service's contract tests,
integration against it, and terminal tests in tmux). Each test counts once;
a unit binary that crashes before reporting all its tests counts the
missing ones as failed. Exit status 0 only when nothing failed and at least
one test ran.

With --valgrind only the integration suite runs, with the client and the C
probes under valgrind memcheck (tests/integration/cli.py); every report
valgrind wrote is then checked once more here, so an error in a run that
no test looked at still fails.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
C_DIRS = ("tui", "net", "views", "keymaps")


class Tally:
    """Counts results per suite and prints failures as they happen."""

    def __init__(self):
        self.passed = self.failed = self.skipped = 0
        self.failures = []

    def add(self, suite, name, outcome, detail=""):
        if outcome == "pass":
            self.passed += 1
        elif outcome == "skip":
            self.skipped += 1
        else:
            self.failed += 1
            self.failures.append(f"{suite}: {name}")
            print(f"FAIL {suite}: {name}\n{detail}".rstrip(), flush=True)


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


def run_unit(t, build):
    """Runs each cmocka binary with TAP output and counts its lines.

    The binaries are those of the sources in tests/unit, so a test whose
    source moved or went is not run from an old build; one that was not
    built fails."""
    bins = [Path(build) / src.relative_to(ROOT).with_suffix("")
            for src in sorted((ROOT / "tests" / "unit").rglob("test_*.c"))]
    env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT="TAP")
    for b in bins:
        suite = str(b.relative_to(Path(build) / "tests" / "unit"))
        if not os.access(b, os.X_OK):
            t.add(suite, "built", "fail", f"{b} was not built (make unit)")
            continue
        try:
            r = subprocess.run([str(b)], cwd=ROOT, env=env, timeout=300,
                               capture_output=True, text=True)
            out, err, rc = r.stdout, r.stderr, r.returncode
        except subprocess.TimeoutExpired as e:
            out, err, rc = (e.stdout or b"").decode(), "timed out", -1
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
                      out[-2000:] + err[-2000:])
        missing = (int(planned.group(1)) if planned else 1) - seen
        if missing > 0 or (rc != 0 and seen == 0):
            t.add(suite, f"{max(missing, 1)} test(s) never reported "
                  f"(exit {rc})", "fail", err[-3000:])
            t.failed += max(missing, 1) - 1


def run_pytest(t, binary, build, extra):
    """Runs pytest over tests/ and counts its JUnit XML report."""
    report = Path(build) / "pytest.xml"
    report.unlink(missing_ok=True)
    env = dict(os.environ, SITECARE_BIN=str(Path(binary).resolve()))
    cmd = [sys.executable, "-m", "pytest", "-c", "tests/pytest.ini",
           f"--junitxml={report}", *extra]
    rc = subprocess.run(cmd, cwd=ROOT, env=env).returncode
    if not report.exists():
        t.add("pytest", f"no report (exit {rc})", "fail")
        return
    for case in ET.parse(report).getroot().iter("testcase"):
        name = f"{case.get('classname')}.{case.get('name')}"
        if case.find("skipped") is not None:
            t.add("pytest", name, "skip")
        elif case.find("failure") is not None or \
                case.find("error") is not None:
            t.add("pytest", name, "fail", "")
        else:
            t.add("pytest", name, "pass")
    if rc not in (0, 1, 5):
        t.add("pytest", f"pytest itself failed (exit {rc})", "fail")


def check_valgrind_logs(t, log_dir):
    """Every memcheck report of the run: finished, and without errors."""
    runs, bad, unfinished = 0, [], []
    for f in sorted(Path(log_dir).glob("*.xml")):
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
    for f in sorted((ROOT / "build" / "fuzz").glob("fuzz_*")):
        if not f.is_file() or not os.access(f, os.X_OK):
            continue
        name = f.name[len("fuzz_"):]
        corpus = ROOT / "build" / "fuzz" / "corpus" / name
        corpus.mkdir(parents=True, exist_ok=True)
        cmd = [str(f), f"-max_total_time={seconds}", "-timeout=5",
               "-rss_limit_mb=2048", f"-artifact_prefix={f.parent}/",
               str(corpus), str(ROOT / "tests" / "fuzz" / name)]
        r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True,
                           timeout=seconds + 120)
        t.add("fuzz", f"{name} for {seconds}s",
              "pass" if r.returncode == 0 else "fail", r.stderr[-3000:])


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
    if a.valgrind:
        run_pytest(t, a.binary, a.build, a.pytest_args or ["tests/integration"])
        check_valgrind_logs(t, a.valgrind)
    else:
        check_format(t)
        check_layering(t)
        check_one_poll(t)
        check_views_apart(t)
        run_unit(t, a.build)
        if a.fuzz_seconds > 0:
            run_fuzz(t, a.fuzz_seconds)
        if not a.no_pytest:
            run_pytest(t, a.binary, a.build, a.pytest_args)
    for f in t.failures:
        print(f"failed: {f}")
    print(f"check: {t.passed} passed, {t.failed} failed, "
          f"{t.skipped} skipped", flush=True)
    return 0 if t.failed == 0 and t.passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())

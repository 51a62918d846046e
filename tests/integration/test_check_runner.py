"""How `make check` runs pytest: tests/run.py deals the tests out to
processes side by side by whole files of about equal time, and every test
has a time bound (pytest.ini's timeout, stretched by
SITECARE_TIMEOUT_SCALE like the tests' own waits)."""

import configparser
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from helpers import ROOT


def runner():
    """tests/run.py as a module (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("check_run",
                                                  ROOT / "tests" / "run.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_runner__deal__whole_files_longest_first_equal_shares(monkeypatch):
    run = runner()
    known = {"tests/e2e/test_a.py": 100.0, "tests/e2e/test_b.py": 60.0,
             "tests/e2e/test_c.py": 50.0}
    monkeypatch.setattr(run, "load_durations", lambda: known)
    ids = ([f"tests/e2e/test_a.py::t{i}" for i in range(3)] +
           [f"tests/e2e/test_b.py::t{i}" for i in range(2)] +
           [f"tests/e2e/test_c.py::t{i}" for i in range(2)] +
           # not in the durations: 2 s a test, 20 s in all
           [f"tests/e2e/test_new.py::t{i}" for i in range(10)])
    parts = run.deal(ids, 2)
    assert sorted(sum(parts, [])) == sorted(ids)  # each test once
    files = [{run.file_of(n) for n in p} for p in parts]
    assert not files[0] & files[1]  # a file stays in one process
    # a: 100 s, then b 60 to the other, c 50 there too (110), new 20 to
    # the first (120): 120 s against 110 s.
    assert files == [{"tests/e2e/test_a.py", "tests/e2e/test_new.py"},
                     {"tests/e2e/test_b.py", "tests/e2e/test_c.py"}]
    assert run.deal(list(reversed(ids)), 2)[0][0].startswith(
        "tests/e2e/test_a.py")  # the same files whatever the order
    assert run.deal(ids[:1], 2) == [ids[:1]]  # no empty process


SLEEPER = """
import time

def test_sleeps():
    time.sleep(3)  # the test's own length, for the timeout to cut
"""


def pytest_on(tmp_path, *args, scale=None):
    """pytest with `make check`'s configuration (and conftest.py, loaded
    as a plugin: the file lies outside tests/) on a test that sleeps
    3 s; the run."""
    test = tmp_path / "test_sleeper.py"
    test.write_text(SLEEPER)
    env = {k: v for k, v in os.environ.items()
           if k != "SITECARE_TIMEOUT_SCALE"}
    env["PYTHONPATH"] = str(ROOT / "tests")  # -p comes before pythonpath
    if scale is not None:
        env["SITECARE_TIMEOUT_SCALE"] = scale
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-c", "tests/pytest.ini", "-p",
         "conftest", "-p", "no:cacheprovider", "-q", *args, str(test)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_runner__timeout__bounds_every_test_and_scales(tmp_path):
    r = pytest_on(tmp_path, "-o", "timeout=1")
    assert r.returncode == 1 and "Timeout" in r.stdout, r.stdout
    # Under valgrind (scale 10) the same bound is 10 s: it passes.
    r = pytest_on(tmp_path, "-o", "timeout=1", scale="10")
    assert r.returncode == 0, r.stdout
    ini = configparser.ConfigParser()
    ini.read(ROOT / "tests" / "pytest.ini")
    assert ini["pytest"]["timeout"] == "180"
    assert ini["pytest"]["timeout_method"] == "signal"


JUNIT = """<?xml version="1.0"?>
<testsuites><testsuite>
<testcase classname="e2e.test_chat" name="test_a"/>
<testcase classname="e2e.test_chat" name="test_b"><failure/></testcase>
<testcase classname="integration.test_cli_api" name="test_c"/>
<testcase classname="integration.test_cli_api" name="test_d">
<skipped type="pytest.skip" message="no D-Bus session here"/></testcase>
<testcase classname="service.tests.test_tasks" name="test_e"/>
<testcase classname="service.tests.test_tasks" name="test_f"/>
</testsuite></testsuites>
"""


def test_runner__report__counts_by_kind_and_lists_skips_with_reasons(
        tmp_path, capsys):
    run = runner()
    t = run.Tally()
    t.add("source", "clang-format", "pass")
    t.add("views/test_tabs", "tabs__x", "pass", kind="unit")
    t.add("views/test_tabs", "tabs__y", "skip", " needs a UTF-8 locale",
          kind="unit")
    report = tmp_path / "r.xml"
    report.write_text(JUNIT)
    run.count_junit(t, report, 1)
    capsys.readouterr()
    t.report()
    out = capsys.readouterr().out.splitlines()
    rows = {line.split("  ")[1].strip(): line.split()[-6:] for line in out
            if line.startswith("  ")}
    assert rows == {
        "source checks": ["1", "passed,", "0", "failed,", "0", "skipped"],
        "unit (tests/unit)": ["1", "passed,", "0", "failed,", "1",
                              "skipped"],
        "client integration (tests/integration)":
            ["1", "passed,", "0", "failed,", "1", "skipped"],
        "terminal (tests/e2e)": ["1", "passed,", "1", "failed,", "0",
                                 "skipped"],
        "service contract (tests/service/tests)":
            ["2", "passed,", "0", "failed,", "0", "skipped"],
    }, out
    assert [line for line in out if line.startswith("skipped:")] == [
        "skipped: views/test_tabs: tabs__y: needs a UTF-8 locale",
        "skipped: pytest: integration.test_cli_api.test_d: "
        "no D-Bus session here"]
    assert (t.passed, t.failed, t.skipped) == (6, 1, 2)


LEAVER = """
import json, os, subprocess, tempfile

def test_leaves_things_behind(tmp_path):
    kept = tempfile.NamedTemporaryFile(delete=False).name
    subprocess.run(["tmux", "-L", "leaver", "new-session", "-d", "sleep 30"],
                   check=True)
    sock = subprocess.run(["tmux", "-L", "leaver", "display-message", "-p",
                           "#{socket_path}"], capture_output=True, text=True,
                          check=True).stdout.strip()
    subprocess.run(["tmux", "-L", "leaver", "kill-server"])
    with open(os.environ["LEAVER_OUT"], "w") as f:
        json.dump({"tmpdir": os.environ["TMPDIR"], "file": kept,
                   "socket": sock, "tmp_path": str(tmp_path)}, f)
"""


def test_runner__pytest__leaves_nothing_in_tmp(tmp_path, monkeypatch):
    run = runner()
    test = tmp_path / "test_leaver.py"
    test.write_text(LEAVER)
    out = tmp_path / "left.json"
    monkeypatch.setenv("LEAVER_OUT", str(out))
    t = run.Tally()
    run.run_pytest(t, "/bin/true", tmp_path, ["-q", str(test)])
    assert (t.passed, t.failed) == (1, 0)
    left = json.loads(out.read_text())
    private = Path(left["tmpdir"])
    assert private.parent == Path(tempfile.gettempdir())
    for what in ("file", "socket", "tmp_path"):
        assert Path(left[what]).is_relative_to(private), (what, left)
        assert not os.path.exists(left[what]), (what, left)
    assert not private.exists()

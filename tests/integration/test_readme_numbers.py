"""Numbers the README states about the project itself that a command can
print today must be what it prints: a count written once drifts as soon
as a test is added (the contract tests were "429" in the README while
pytest collected 432)."""

import re
import subprocess

from helpers import ROOT


def collected(path):
    """How many tests pytest collects under tests/PATH."""
    r = subprocess.run(["/usr/bin/python3", "-m", "pytest", "--collect-only",
                        "-q", "-p", "no:cacheprovider", path],
                       cwd=ROOT / "tests", capture_output=True, text=True,
                       timeout=120)
    m = re.search(r"^(\d+) tests? collected", r.stdout, re.M)
    assert m, r.stdout[-2000:] + r.stderr[-2000:]
    return int(m.group(1))


def test_readme__contract_test_count__is_what_pytest_collects():
    readme = (ROOT / "README.md").read_text()
    m = re.search(r"contract tests, (\d+) today", readme)
    assert m, "the README's Status names the contract tests' count"
    assert int(m.group(1)) == collected("service/tests")

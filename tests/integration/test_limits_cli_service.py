"""Known limits of the client, its packaging and its drafts (README,
Status, "Known limits"), each pinned as the README states it (issue #19).

Each test's docstring quotes its limit: when the limit is removed the test
fails, and the README line goes with it.
"""

import subprocess

import pytest

from e2e.conftest import Tui
from e2e.test_chat import leave_draft, open_chat, open_conversation
from helpers import ROOT
from integration.test_http_headers import rate_limited

DEBIAN = ROOT / "share" / "debian"
PLACEHOLDER = "SiteCarePlusPro maintainers <maintainers@sitecarepluspro.com>"


@pytest.mark.slow
def test_limits__drafts__kept_per_service_not_per_member(
        tmp_path, sitecare_bin, service):
    """The known limit as the README states it: drafts are kept per
    service, not per staff member (replies are per member): a draft left
    by support is offered to admin signing in with the same home on the
    same service. When it is fixed this test fails and the README line
    goes."""
    tui = Tui(sitecare_bin, service, tmp_path / "home")
    try:
        draft = leave_draft(tui)  # as support, then quits
        drafts = tui.state_for_service("drafts")
        assert (drafts / "1.txt").read_text() == draft
        t = open_chat(tui, role="admin")  # signs in as admin: same home
        open_conversation(t)
        t.send("r")
        t.wait_text("reply to Carla Client: " + draft)
        # One folder for the service, whoever signed in.
        assert sorted(p.name for p in drafts.parent.iterdir()) == [drafts.name]
    finally:
        tui.close()


def test_limits__retry_after_with_trailing_junk__leading_digits_read(fault):
    """The known limit as the README states it: a `Retry-After` of `12abc`
    reads as 12 s (libcurl reads the leading digits). Here `900abc`, read
    as 900 s and so reported at once rather than waited: an unreadable
    value would be retried with the usual backoff and no "try again"
    (test_http_headers.py). When it is fixed this test fails and the
    README line goes."""
    r, asked = rate_limited(fault, "900abc")
    assert (r.rc, asked) == (1, 1), r
    assert "try again in 900 s" in r.err, r


def test_limits__debian_copyright_and_maintainer__placeholders():
    """The known limit as the README states it: the package's copyright
    ("proprietary, all rights reserved") and maintainer address in
    share/debian/ are placeholders until the company names its own. When
    a real name goes in this test fails, and the README line goes with
    it."""
    control = (DEBIAN / "control").read_text()
    copyright_ = (DEBIAN / "copyright").read_text()
    changelog = (DEBIAN / "changelog").read_text()
    assert f"Maintainer: {PLACEHOLDER}\n" in control
    assert f"Upstream-Contact: {PLACEHOLDER}\n" in copyright_
    assert "License: proprietary\n" in copyright_
    assert "All rights reserved." in copyright_
    trailers = [ln for ln in changelog.splitlines() if ln.startswith(" -- ")]
    assert trailers and all(ln.startswith(f" -- {PLACEHOLDER}  ")
                            for ln in trailers), trailers


def test_limits__control_flow_protection__not_had_on_this_toolchain(tmp_path):
    """The known limit as the README states it: control-flow protection
    (CET) cannot be had on bookworm (its `crt1.o` lacks it), so the check
    runs `hardening-check --nocfprotection` (test_packaging.py). A program
    built with -fcf-protection=full still has none. When the toolchain
    gives it this test fails: drop the flag, and the README line goes."""
    src = tmp_path / "cet.c"
    src.write_text("int main(void) { return 0; }\n")
    exe = tmp_path / "cet"
    subprocess.run(["gcc", "-O2", "-fcf-protection=full", "-fPIE", "-pie",
                    str(src), "-o", str(exe)], check=True, timeout=60)
    r = subprocess.run(["hardening-check", str(exe)], capture_output=True,
                       text=True, timeout=60)
    assert "Control flow integrity: no" in r.stdout, r.stdout + r.stderr

"""Starting while the service is down (#16 item 5).

With a saved session the interface opens offline and keeps asking the
service, with a growing wait, until it answers: then the panes load with
no key pressed. The sign-in form appears only when the service says the
session is gone, with the saved email filled in, and Enter in it always
does something.
"""

import pytest

from e2e.conftest import Tui
from e2e.test_task_queue import rows


@pytest.fixture
def own(fresh_service, sitecare_bin, tmp_path):
    """A throwaway demo service (stopped and started by the test) and a
    `Tui` pointed at it."""
    svc = fresh_service(seed="demo")
    tui = Tui(sitecare_bin, svc, tmp_path / "home")
    try:
        yield svc, tui
    finally:
        tui.close()


def test_offline_start__saved_session__opens_offline_then_online_by_itself(
        own):
    svc, tui = own
    tui.login("admin")
    svc.stop()
    t = tui.open(width=110, height=30)
    screen = t.wait_for(lambda s: "offline, retrying in" in s,
                        timeout=30, what="the interface offline")
    assert "Sign in to" not in screen
    # It keeps trying with a growing wait, and the keys still answer.
    t.wait_for(lambda s: "offline, retrying in 2 s" in s or
               "offline, retrying in 4 s" in s, timeout=30,
               what="a second try")
    t.send("?")
    t.wait_text("Help: ")
    t.send("Escape")
    t.wait_gone("Help: ")
    svc.start()
    screen = t.wait_for(
        lambda s: "(admin)" in s and rows(s) and
        "online" in s.splitlines()[-1], timeout=90,
        what="the panes loaded with no key pressed")
    assert "Sign in to" not in screen
    assert "offline, retrying" not in screen


def test_offline_start__session_gone__form_with_saved_email_and_enter_says(
        own):
    svc, tui = own
    tui.login("admin")
    svc.ctl("expire-sessions")
    t = tui.open(width=110, height=30)
    screen = t.wait_text("Sign in to", timeout=30)
    assert "admin@example.com" in screen
    # Enter with no password typed says what is missing.
    t.send("Enter")
    t.wait_text("type your password")
    t.type("sitecare-demo")
    t.send("Enter")
    t.wait_for(lambda s: "(admin)" in s and rows(s), timeout=30,
               what="signed in")

"""The README's known limits of the Credentials and Billing panes (#19),
each pinned as the README states it.

Every test here checks a limit exactly as README.md (Status, "Known
limits") words it, so that the day the limit is removed the test fails
and the README's line goes with it. Each docstring quotes the line.

One throwaway service for the module: the tests register and replace
staff keys, expire sessions and fail invoices, which the session's
service must not see.
"""

import math

from e2e.conftest import own_service, tui_on
from e2e.test_billing import open_billing
from e2e.test_credentials import (REPLACED, assigned, choose, keygen,
                                  open_creds, replace_key, reveal, staff,
                                  vault)
from e2e.test_faults import delayed
from e2e.waits import handled, poll, started, trace_lines

lim_svc = own_service("sitecare-limits-cb-")
ltui = tui_on("lim_svc")

API = "/api/v1"


def since(t, mark):
    """The trace's events after the first mark of them."""
    return trace_lines(t)[mark:]


def gets(t, mark, path):
    """How many GETs of path the client started since mark."""
    return len(started(since(t, mark), "GET", API + path))


# ---- credentials -----------------------------------------------------------


def test_limit__credential_list_r_is_reply_and_only_f5_refreshes(ltui,
                                                                 lim_svc):
    """The known limit as the README states it: "in a client's
    credential list `r` is chat's `reply` ("does nothing here"), and only
    F5 refreshes". When `r` refreshes there too, this test fails and the
    README line goes."""
    client, cred = assigned(lim_svc, "tech")
    t = open_creds(ltui, "tech", width=160)
    choose(t, client)
    t.wait_text(cred["label"])
    path = f"/clients/{client['id']}/credentials"
    mark = len(trace_lines(t))
    t.send("r")
    screen = t.wait_text("does nothing in")
    assert "reply" in screen.splitlines()[-1], screen
    lines = handled(t)  # r handled and drawn before the mark's C-l
    assert "action reply" in since(t, mark), since(t, mark)
    assert "action refresh" not in since(t, mark)
    assert gets(t, mark, path) == 0, since(t, mark)
    assert not started(lines, "GET", API + path)
    # F5 does refresh the same list.
    mark = len(trace_lines(t))
    t.send("F5")
    poll(lambda: gets(t, mark, path) == 1, 15,
         f"F5's GET {path} in the trace", t.trace_tail)
    assert "action refresh" in since(t, mark)


def help_page(t):
    """The `?` page of what t shows, whole (the terminal is tall enough
    for it): its key lines and its command lines, each split in words."""
    t.send("?")
    screen = t.wait_for(lambda s: "Commands (type : and the name" in s and
                        ":lock-key" in s, timeout=15, what="the ? page")
    lines = screen.splitlines()
    cut = next(i for i, l in enumerate(lines) if "Commands (type :" in l)
    keys = [l.split() for l in lines[:cut] if l.startswith("  ")]
    commands = [l.split() for l in lines[cut:] if l.strip().startswith(":")]
    return screen, keys, commands


def test_limit__register_key_is_a_command_with_no_key(ltui, lim_svc):
    """The known limit as the README states it: "re-registering is the
    command `:register-key`, with no key of its own in the pane". When a
    key is bound to it (or a hint names it), this test fails and the
    README line goes."""
    keygen(ltui)
    client, cred = assigned(lim_svc, "tech")
    t = open_creds(ltui, "tech", width=200, height=140)
    for where in ("the client list", "a client's credentials"):
        if where != "the client list":
            choose(t, client)
            t.wait_text(cred["label"])
        screen = t.screen()
        # The hint bar (the line above the status line) names no key for it.
        assert "register" not in screen.splitlines()[-2], (where, screen)
        screen, keys, commands = help_page(t)
        assert [c for c in commands if c[0] == ":register-key"], screen
        bound = [k for k in keys if len(k) > 1 and k[1] == "register-key"]
        assert not bound, (where, bound)
        t.send("Escape")
        t.wait_gone("Commands (type : and the name")
    # The key replaced from outside: the pane's warning names the command,
    # still with no key beside it.
    replace_key(lim_svc)
    screen = t.wait_text(REPLACED, timeout=20)
    assert ":register-key" in screen
    screen, keys, commands = help_page(t)
    assert not [k for k in keys if len(k) > 1 and k[1] == "register-key"]

"""The README's known limits of the Credentials and Billing panes (#19),
each pinned as the README states it.

Every test here checks a limit exactly as README.md (Status, "Known
limits") words it, so that the day the limit is removed the test fails
and the README's line goes with it. Each docstring quotes the line.

One throwaway service for the module: the tests register and replace
staff keys, expire sessions and fail invoices, which the session's
service must not see.
"""

import os
import signal
import time

from e2e.conftest import PASSWORD, own_service, tui_on
from e2e.test_billing import open_billing
from e2e.test_credentials import (PASSPHRASE, REPLACED, assigned, choose,
                                  keygen, open_creds, replace_key, reveal,
                                  staff, vault)
from e2e.waits import handled, poll, settled, started, trace_lines

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


# staff.key's header (net/client/staffkey.c): Argon2id's opslimit is a
# big-endian 64-bit number at byte 8; a file may carry up to libsodium's
# OPSLIMIT_SENSITIVE * 4.
OFF_OPS = 8
OPS_MAX = 4 * 4


def slow_key(tui):
    """Makes the staff key's Argon2id several times dearer (its opslimit
    to the most a file may carry): an unlock takes seconds rather than
    a fraction of one, so a wait for it can be told from none. The
    derived key changes with it, so every unlock fails (wrong
    passphrase), after the whole derivation."""
    path = tui.home / "data" / "sitecare" / "staff.key"
    with open(path, "r+b") as f:
        f.seek(OFF_OPS)
        f.write(OPS_MAX.to_bytes(8, "big"))


def unlock_started(t, cred):
    """Enter on the credential, a purpose and the passphrase: the
    derivation runs (the box says so); the monotonic time of the
    passphrase's Enter."""
    reveal(t, cred["label"], passphrase=None)
    t.wait_text("Unlock your staff key")
    t.type(PASSPHRASE)
    at = time.monotonic()
    t.send("Enter")
    t.wait_text("checking the passphrase...", timeout=5)
    return at


def quit_seconds(t):
    """SIGTERM to t's client (the way a closed terminal quits it, with
    the box in the way of `q`): the seconds until it has exited."""
    pid = t.pid()
    at = time.monotonic()
    os.kill(pid, signal.SIGTERM)
    t.wait_exit(timeout=60)
    return time.monotonic() - at


def test_limit__quit_while_unlocking_waits_for_argon2id(ltui, lim_svc):
    """The known limit as the README states it: "quitting while the staff
    key is being unlocked waits for Argon2id to finish (at most about a
    second)". The derivation is made dearer (slow_key) so the wait is
    seconds: measured once to its end, then a quit sent while it runs
    exits only once it has run out, where a quit with nothing running
    exits at once. When quitting stops waiting for the derivation, this
    test fails and the README line goes."""
    keygen(ltui)
    slow_key(ltui)
    client, cred = assigned(lim_svc, "tech")
    t = open_creds(ltui, "tech")
    choose(t, client)
    # How long one derivation takes here, to its verdict.
    at = unlock_started(t, cred)
    t.wait_text("wrong passphrase", timeout=60)
    derivation = time.monotonic() - at
    assert derivation > 1.5, f"{derivation:.2f} s: too short to tell"
    t.send("Escape")
    t.wait_gone("Unlock your staff key")
    # Quit with nothing running: at once.
    idle = quit_seconds(t)
    assert idle < derivation / 3, (idle, derivation)
    # Quit while it runs: the exit waits for the derivation's end.
    t = open_creds(ltui, "tech")
    choose(t, client)
    at = unlock_started(t, cred)
    busy = quit_seconds(t)
    # (Measured here: a derivation 3.3 s, an idle quit 0.05 s, a busy
    # one 2.6 s; a quit that let the thread go would take the idle one's
    # time. The margins allow for a loaded machine.)
    assert time.monotonic() - at >= derivation / 2, (busy, derivation)
    assert busy > derivation / 3, (busy, idle, derivation)


def in_flight(t, method, path):
    """The trace's request ids of method path that started and have not
    ended (nor been cancelled)."""
    open_ = set()
    for line in trace_lines(t):
        f = line.split()
        if f[:1] == ["http.start"] and f[2:4] == [method, path]:
            open_.add(f[1])
        elif f[:1] in (["http.end"], ["http.cancel"]) and len(f) > 1:
            open_.discard(f[1])
    return open_


def ended(t, rid):
    """How the request rid ended in the trace: "http.end" or
    "http.cancel", or None while it runs."""
    for line in trace_lines(t):
        f = line.split()
        if len(f) > 1 and f[1] == rid and f[0] in ("http.end", "http.cancel"):
            return f[0]
    return None


# How long the service holds a reveal's answer: time for a `ctl` or two
# and an event to reach the client meanwhile, on a loaded machine.
HOLD = 12


def held(svc, method_path):
    """Waits until the service holds the answer to method_path (its view
    ran: the reveal is sealed), from its log."""
    want = f"delay: {HOLD}s before answering {method_path} (200)"
    poll(lambda: svc.log.exists() and
         want in svc.log.read_text(errors="replace"), 20,
         f"the service holding {want!r}")


FAILED_OPEN = "the sealed credential failed authentication"


def reveal_when_the_key_changes(tui, svc, sealed_first):
    """A technician's reveal whose answer the service holds while their
    key is replaced from outside and its `staff.key_changed` reaches the
    client: the key replaced after the service sealed the reveal (to
    this machine's key) when sealed_first, else just before (to the new
    one; the event held back until then). Returns once the warning is
    on the screen with the reveal still in flight: (terminal, plain
    text, the reveal's request id in the trace)."""
    keygen(tui)
    client, cred = assigned(svc, "tech")
    plain = vault(svc, cred["id"])
    t = open_creds(tui, "tech", width=200)
    choose(t, client)
    t.wait_text(cred["label"])
    path = f"{API}/credentials/{cred['id']}/reveal"
    svc.ctl("delay", HOLD, *([] if sealed_first else ["--hold-events"]),
            "--match", f"^POST {path}$")
    try:
        if not sealed_first:
            replace_key(svc)  # its staff.key_changed waits
        reveal(t, cred["label"], purpose="under way as the key changes")
        held(svc, f"POST {path}")
        [rid] = poll(lambda: in_flight(t, "POST", path), 5,
                     "the reveal in flight in the trace", t.trace_tail)
        if sealed_first:
            replace_key(svc)
    finally:
        svc.ctl("delay", "0")  # the answer held keeps its HOLD seconds
    t.wait_text(REPLACED, timeout=HOLD)
    assert rid in in_flight(t, "POST", path), \
        "the reveal's answer came before the event: nothing was pinned"
    return t, plain, rid


def test_limit__reveal_under_way_when_the_key_changes_is_not_cancelled(
        ltui, lim_svc):
    """The known limit as the README states it: "a reveal already under
    way when `staff.key_changed` arrives is not cancelled (it fails to
    open, and says so)". The service seals the reveal to the key
    registered when its view runs: here the key is replaced just before,
    and the event arrives while the answer is held. When the event
    cancels the reveal, this test fails and the README line goes."""
    t, plain, rid = reveal_when_the_key_changes(ltui, lim_svc, False)
    # Not cancelled: its answer is taken, fails to open, and says so.
    screen = t.wait_text(FAILED_OPEN, timeout=HOLD + 10)
    assert ended(t, rid) == "http.end", trace_lines(t)
    assert plain["password"] not in screen


def test_limit__reveal_sealed_before_the_key_changed_still_shows(ltui,
                                                                 lim_svc):
    """The other order of the same known limit ("a reveal already under
    way when `staff.key_changed` arrives is not cancelled"): the service
    sealed the reveal to this machine's key, then the key was replaced,
    and the event arrives while the answer is held. Not cancelled, the
    answer opens: the password is shown under the warning that the key
    was replaced (the README's "fails to open" holds only when the key
    changed before the service sealed it). When the event cancels the
    reveal, this test fails with the one above."""
    t, plain, rid = reveal_when_the_key_changes(ltui, lim_svc, True)
    screen = t.wait_text(plain["password"], timeout=HOLD + 10)
    assert ended(t, rid) == "http.end", trace_lines(t)
    assert REPLACED in screen


# The width of the list's label column: longer labels end in an ellipsis.
LABEL_SHOWN = 20


def techs_not_admins(svc):
    """A client the technician is assigned to and the admin is not, with
    a credential whose label the list shows whole: (client, credential,
    its row in the list)."""
    ids = {r: staff(svc, r).get("/me").data["id"] for r in ("tech", "admin")}
    for c in staff(svc, "admin").all("/clients"):
        on = {s["id"] for s in c["assigned_staff"]}
        if ids["tech"] in on and ids["admin"] not in on:
            creds = staff(svc, "admin").get(
                f"/clients/{c['id']}/credentials").data["results"]
            for row, k in enumerate(creds):
                if len(k["label"]) <= LABEL_SHOWN:
                    return c, k, row
    raise AssertionError("no client of the technician's alone")


def sign_in_at_the_form(t, role):
    """Someone else signs in at the form the expired session brought:
    the email (filled with the last member's) replaced, then the
    password."""
    t.send("BTab")
    for _ in range(len("tech@example.com") + 4):
        t.send("BSpace")
    t.type(f"{role}@example.com")
    t.send("Tab")
    t.type(PASSWORD)
    t.send("Enter")


def test_limit__signed_in_again_the_open_client_stays_open(ltui, lim_svc):
    """The known limit as the README states it: "after a session expires
    and someone signs in again, the client that was open stays open (its
    labels; no secret, the key locked)". Here the someone is another
    member (the admin, not assigned to the technician's client): the
    technician's client, its credentials' labels, are still on the
    screen under the admin's name. When signing in again closes it (or
    another member gets a fresh pane), this test fails and the README
    line goes."""
    keygen(ltui)
    client, cred, row = techs_not_admins(lim_svc)
    plain = vault(lim_svc, cred["id"])
    t = open_creds(ltui, "tech", width=200)
    choose(t, client)
    t.wait_text(cred["label"])
    t.send(*["j"] * row)
    reveal(t, cred["label"], purpose="before the session expires")
    t.wait_text(plain["password"], timeout=20)
    assert "[key unlocked]" in t.screen()
    assert lim_svc.ctl("expire-sessions", "--email",
                       "tech@example.com")["deleted"] >= 1
    t.wait_text("your session expired: sign in again", timeout=30)
    sign_in_at_the_form(t, "admin")
    screen = t.wait_for(lambda s: "Sign in to" not in s and
                        "(admin)" in s, timeout=30,
                        what="the admin signed in")
    # The technician's client, still open, with its labels.
    screen = t.wait_text(f"Credentials of {client['name']}")
    assert cred["label"] in screen, screen
    # No secret, the key locked.
    assert plain["password"] not in screen
    assert "[key unlocked]" not in screen
    # Settled: it stays so (no later answer closes it), under the admin's
    # name, with the admin's own header (no key of theirs registered).
    settled(t)
    screen = t.wait_for(lambda s: "(admin)" in s.splitlines()[-1],
                        what="the admin's status line")
    assert f"Credentials of {client['name']}" in screen
    assert cred["label"] in screen
    assert "4 Billing" in screen.splitlines()[0]


# ---- billing ---------------------------------------------------------------

# The client's page size for subscriptions and invoices (views/billing).
BILLING_PAGE = 100


def pages(svc, path):
    """How many pages of BILLING_PAGE the whole of path is, as the
    manager walks it."""
    return len(staff(svc, "manager").walk(path, limit=BILLING_PAGE)[1])


def billing_gets(t, mark=0):
    """The GETs of billing's lists and summary since mark, by path."""
    return {p: gets(t, mark, p) for p in
            ("/billing/subscriptions", "/billing/invoices",
             "/billing/summary")}


def whole_load(svc):
    """The GETs a whole load of the pane makes, by path: every page of
    both lists, and the summary once."""
    return {"/billing/subscriptions": pages(svc, "/billing/subscriptions"),
            "/billing/invoices": pages(svc, "/billing/invoices"),
            "/billing/summary": 1}


def wait_gets(t, want, what, mark=0):
    """Waits until the GETs since mark are exactly want."""
    poll(lambda: billing_gets(t, mark) == want, 30, what,
         lambda: f"{billing_gets(t, mark)}, not {want}\n{t.trace_tail()}")


def test_limit__billing_loads_every_subscription_and_invoice(ltui, lim_svc):
    """The known limit as the README states it: "once the tab is shown,
    every subscription and invoice is loaded (right for thousands, not
    millions)". Nothing is asked before the tab is shown; once it is,
    every page of both lists, with no key pressed. When the pane loads
    only what it shows, this test fails and the README line goes."""
    want = whole_load(lim_svc)
    assert want["/billing/invoices"] > 1, "one page of invoices: no pin"
    t = ltui.open(width=130, height=40, signed_in="manager")
    t.wait_for(lambda s: "4 Billing" in s and "online" in s, timeout=20,
               what="online with the Billing tab")
    handled(t)
    assert billing_gets(t) == {"/billing/subscriptions": 0,
                               "/billing/invoices": 0,
                               "/billing/summary": 0}, trace_lines(t)
    t.send("4")
    wait_gets(t, want, "every page of both lists and the summary")
    # Only the Subscriptions list is on the screen: the invoices were
    # loaded without being looked at.
    screen = t.wait_for(lambda s: "[Subscriptions]" in s and
                        "loading" not in s, timeout=20,
                        what="the billing pane")
    assert "INV-" not in screen
    # Loaded is loaded: no page more, once the lists are whole.
    handled(t)
    assert billing_gets(t) == want


def test_limit__failed_payment_refetches_subscriptions_and_summary(
        ltui, lim_svc):
    """The known limit as the README states it: "the contract has no
    subscription events, so a failed payment refetches the subscriptions
    and the summary". The event (`invoice.failed`) carries the invoice
    only: the client asks every page of subscriptions and the summary
    again, and not the invoices. When a failed payment stops costing the
    subscriptions' pages, this test fails and the README line goes."""
    whole = whole_load(lim_svc)
    t = open_billing(ltui, "manager")
    wait_gets(t, whole, "the first, whole load")
    handled(t)
    mark = len(trace_lines(t))
    made = lim_svc.ctl("fail-invoice", "--client-id", 1)["invoice"]
    t.wait_text(f"Payment failed: Carla Client ({made['number']}",
                timeout=20)
    want = {**whole, "/billing/invoices": 0}
    wait_gets(t, want, "the subscriptions' pages and the summary again",
              mark)
    handled(t)
    assert billing_gets(t, mark) == want

"""Billing in a real terminal: the summary band, the revenue chart, the
subscriptions and invoices, role gating, a failed payment arriving live,
CSV export and the jumps to a client's tasks and conversation.

One throwaway service for the module: a test fails an invoice, which
changes the numbers the session's service is checked against.
"""

import re
import time

import pytest

from e2e.conftest import own_service, tui_on
from e2e.notify_bus import NotifyBus
from e2e.test_credentials import staff
from e2e.test_hostile import quits_untouched
from e2e.test_notify import (CONTROLS, CONTROLS_SHOWN,
                             assert_notification_inert)

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


bill_svc = own_service("sitecare-billing-")
btui = tui_on("bill_svc")


def dollars(cents):
    return f"${cents // 100:,}.{cents % 100:02d}"


def open_billing(tui, role, width=130, height=40):
    t = tui.open(width=width, height=height, signed_in=role)
    t.wait_text("4 Billing", timeout=20)
    t.send("4")
    t.wait_for(lambda s: "[Subscriptions]" in s and "loading" not in s,
               timeout=20, what="the billing pane")
    return t


def test_billing__manager_sees_summary_chart_and_list(btui, bill_svc):
    summary = staff(bill_svc, "manager").get("/billing/summary").data
    t = open_billing(btui, "manager")
    screen = t.wait_text("MRR " + dollars(summary["mrr_cents"]))
    subs = summary["subscriptions"]
    assert (f"active {subs['active']}  trialing {subs['trialing']}  "
            f"past due {subs['past_due']}  canceled {subs['canceled']}"
            in screen)
    assert f"failed payments (30 d) {summary['failed_payments_30d']}" \
        in screen
    # Twelve months, labelled, drawn with eighth blocks.
    labels = [MONTHS[int(m["month"][5:]) - 1]
              for m in summary["revenue_by_month"]]
    month_row = next(l for l in screen.splitlines() if "Jan" in l or
                     "Dec" in l)
    assert month_row.split() == labels
    assert "\u2588" in screen
    # Past due first, with amount and card brand + last 4 only.
    lines = screen.splitlines()
    head = next(i for i, l in enumerate(lines) if "[Subscriptions]" in l)
    rows = [l for l in lines[head + 2:] if re.search(
        r"\s(active|trialing|past_due|canceled)\s", l)]
    assert "past_due" in rows[0]
    assert re.search(r"\$[\d,]+\.\d\d/(mo|yr)", rows[0])
    assert not re.search(r"\d{5,}", "\n".join(rows).replace(",", "")
                         .replace("-", " "))  # no long card numbers


def test_billing__ascii_terminal_gets_an_ascii_chart(btui):
    btui.env["LC_ALL"] = "C"
    t = open_billing(btui, "manager")
    screen = t.wait_text("Revenue, last 12 months")
    assert "#" in screen and "\u2588" not in screen


def test_billing__support_sees_plans_and_statuses_only(btui):
    t = open_billing(btui, "support")
    screen = t.wait_text("Plans and statuses only")
    assert "$" not in screen and "MRR" not in screen
    assert "CARD" not in screen and "visa" not in screen
    t.send("v")
    t.wait_text("invoices need billing.read")


def test_billing__technician_has_no_tab(btui):
    t = btui.open(width=110, height=30, signed_in="tech")
    screen = t.wait_text("(technician)", timeout=20)
    assert "Billing" not in screen.splitlines()[0]
    t.send("4")
    t.wait_text("not available")


def test_billing__failed_payment_arrives_live(btui, bill_svc):
    before = staff(bill_svc, "manager").get("/billing/summary").data
    t = open_billing(btui, "manager")
    t.send("v")
    t.wait_text("[Invoices]")
    made = bill_svc.ctl("fail-invoice", "--client-id", 1)["invoice"]
    screen = t.wait_text("Payment failed: Carla Client", timeout=10)
    rows = [l for l in screen.splitlines() if "INV-" in l]
    assert made["number"] in rows[0] and "failed" in rows[0]
    assert made["failure_reason"][:20] in rows[0]
    t.wait_text(f"failed payments (30 d) "
                f"{before['failed_payments_30d'] + 1}")


def test_billing__hostile_failure_reason_notifies_inert(btui, bill_svc,
                                                       tmp_path):
    # The failure reason comes from the payment processor, which quotes
    # what the card issuer said: text from outside, like a client's name.
    # Desktop notifications on, the Billing pane not even open.
    cfg = btui.home / "cfg" / "sitecare" / "config"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text("notifications = desktop\n")
    with NotifyBus() as bus:
        btui.env["DBUS_SESSION_BUS_ADDRESS"] = bus.address
        t = btui.open(width=200, height=30, signed_in="manager")
        t.wait_for(lambda s: "4 Billing" in s and "online" in s,
                   timeout=20, what="online with the Billing tab")
        raw = tmp_path / "pane.raw"
        raw.touch()
        t._tmux("pipe-pane", "-o", "-t", "t", f"cat >> {raw}")
        reason = f"do_not_honor: <b>x</b> &amp; {CONTROLS}"
        made = bill_svc.ctl("fail-invoice", "--client-id", 1,
                            "--reason", reason)["invoice"]
        [n] = bus.wait_for(lambda ns: len(ns) >= 1, timeout=20)
        assert n.summary == "Payment failed: Carla Client"
        assert n.urgency == 2
        assert assert_notification_inert(n, markup=True) == (
            f"{made['number']} {dollars(made['amount_cents'])}: "
            f"do_not_honor: <b>x</b> &amp; {CONTROLS_SHOWN}")
        # The status line's notice shows the same text, drawn inert.
        t.wait_text(f"Payment failed: Carla Client ({made['number']}")
        t.send("4")
        t.send("v")
        screen = t.wait_text("[Invoices]", timeout=20)
        assert "do_not_honor: <b>x</b> &amp; ^[]0;PWN-T0^G" in screen
        quits_untouched(t, raw)


def test_billing__filter_then_export_csv(btui, bill_svc, tmp_path):
    s = staff(bill_svc, "manager")
    failed = [i for i in s.all("/billing/invoices") if i["status"] == "failed"]
    # Wide enough for the long pytest path in the status line's notice.
    t = open_billing(btui, "manager", width=180)
    t.send("v")
    t.wait_text("[Invoices]")
    t.send(":")
    t.type("filter status=failed")
    t.send("Enter")
    t.wait_text(f"[Invoices] {len(failed)}/")
    out = tmp_path / "failed.csv"
    t.send(":")
    t.type(f"export invoices {out}")
    t.send("Enter")
    t.wait_text(f"wrote {len(failed)} invoices to {out}")
    data = out.read_bytes().decode()
    lines = data.split("\r\n")
    assert lines[0] == ("number,client,company,amount,currency,status,"
                        "created_at,paid_at,failure_reason")
    body = [l for l in lines[1:] if l]
    assert len(body) == len(failed)
    assert all(",failed," in l for l in body)
    assert (out.stat().st_mode & 0o777) == 0o600
    numbers = {i["number"] for i in failed}
    assert {l.split(",")[0] for l in body} == numbers


def test_billing__export_proposes_a_name_and_expands_tilde(btui, bill_svc):
    """`:export invoices` with no file name offers
    ~/sitecare-invoices-DATE.csv on the line; Enter writes it in $HOME.
    A name typed with ~/ is expanded too."""
    s = staff(bill_svc, "manager")
    n = len(list(s.all("/billing/invoices")))
    t = open_billing(btui, "manager", width=180)
    t.send("v")
    t.wait_text("[Invoices]")
    t.send(":")
    t.type("export invoices")
    t.send("Enter")
    name = f"sitecare-invoices-{time.strftime('%Y-%m-%d')}.csv"
    t.wait_text(f"export invoices to: ~/{name}")
    t.send("Enter")
    out = btui.home / name
    t.wait_text(f"wrote {n} invoices to {out}")
    assert out.read_bytes().startswith(b"number,client,")
    assert (out.stat().st_mode & 0o777) == 0o600
    # A name typed with ~/ lands in $HOME, not in a directory called ~.
    t.send(":")
    t.type("export subscriptions ~/subs.csv")
    t.send("Enter")
    subs = btui.home / "subs.csv"
    t.wait_text(f"to {subs}")
    assert subs.is_file() and not (btui.home / "~").exists()
    # Cancelling the proposed name writes nothing.
    t.send(":")
    t.type("export subscriptions")
    t.send("Enter")
    t.wait_text("export subscriptions to: ~/sitecare-subscriptions-")
    t.send("Escape")
    t.wait_text("not exported")
    assert not list(btui.home.glob("sitecare-subscriptions-*"))


def test_billing__export_over_a_file_says_it_replaced_it(btui, bill_svc,
                                                         tmp_path):
    """An existing file is replaced whole (atomically), as before, and
    the status line says so."""
    out = tmp_path / "invoices.csv"
    out.write_text("old contents\n")
    t = open_billing(btui, "manager", width=180)
    t.send("v")
    t.wait_text("[Invoices]")
    t.send(":")
    t.type(f"export invoices {out}")
    t.send("Enter")
    t.wait_text(f"to {out} (it replaced the file there)")
    assert out.read_bytes().startswith(b"number,client,")


def test_billing__jump_to_conversation_and_tasks(btui):
    t = open_billing(btui, "manager")
    t.send("/")
    t.type("Carla")
    t.send("Enter")
    t.wait_for(lambda s: "client~Carla" in s and "Carla Client" in s,
               what="Carla's subscription")
    t.send("M")
    t.wait_text("Chat with Carla Client", timeout=20)
    t.send("4")
    t.wait_text("[Subscriptions]")
    t.send("T")
    t.wait_for(lambda s: "client=1" in s, timeout=20,
               what="Carla's tasks")


def test_billing__resizes_down_to_a_tiny_terminal(btui):
    t = open_billing(btui, "manager")
    t.wait_text("Revenue, last 12 months")
    t.resize(44, 12)
    screen = t.wait_for(lambda s: "Revenue" not in s and "[Subscr" in s,
                        what="the list without the chart")
    assert "MRR" in screen
    t.resize(30, 8)
    t.wait_text("terminal too small")
    t.resize(100, 30)
    t.wait_for(lambda s: "Revenue, last 12 months" in s and
               "[Subscriptions]" in s, what="the chart back")

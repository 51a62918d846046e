"""Billing: summary, subscriptions, invoices (contract: "Billing")."""

import re
from datetime import datetime, timezone

import pytest

from helpers.contract import (INVOICE_KEYS, INVOICE_STATUSES, SUBSCRIPTION_KEYS,
                              SUBSCRIPTION_MONEY_KEYS, SUBSCRIPTION_STATUSES, assert_error,
                              assert_keys, assert_list_shape, assert_small_client, is_int,
                              is_time)

CARD_NUMBER = re.compile(rb"(?<!\d)\d{13,19}(?!\d)")


@pytest.fixture
def manager(accounts):
    return accounts.staff("manager")


def _month_index(m):
    y, mo = m.split("-")
    return int(y) * 12 + int(mo) - 1


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_billing__summary__shape_with_12_months(accounts, role):
    r = accounts.staff(role).get("/billing/summary")
    assert r.status == 200, r
    d = r.data
    assert_keys(d, {"currency", "mrr_cents", "subscriptions", "failed_payments_30d",
                    "refunds_30d_cents", "revenue_by_month"}, "summary")
    assert re.fullmatch(r"[a-z]{3}", d["currency"]), d["currency"]
    assert is_int(d["mrr_cents"]) and d["mrr_cents"] > 0
    assert is_int(d["failed_payments_30d"]) and d["failed_payments_30d"] >= 0
    assert is_int(d["refunds_30d_cents"]) and d["refunds_30d_cents"] >= 0
    assert set(d["subscriptions"]) >= set(SUBSCRIPTION_STATUSES)
    assert all(is_int(d["subscriptions"][k]) for k in SUBSCRIPTION_STATUSES)
    months = d["revenue_by_month"]
    assert len(months) == 12, len(months)
    for m in months:
        assert set(m) >= {"month", "cents"} and re.fullmatch(r"\d{4}-\d\d", m["month"]), m
        assert is_int(m["cents"]) and m["cents"] >= 0
    idx = [_month_index(m["month"]) for m in months]
    assert idx == list(range(idx[0], idx[0] + 12)) or idx == list(range(idx[0], idx[0] - 12, -1)), \
        f"not 12 consecutive months: {[m['month'] for m in months]}"
    now = datetime.now(timezone.utc)
    assert max(idx) in (now.year * 12 + now.month - 1, now.year * 12 + now.month - 2), \
        "the months do not end now"
    assert sum(m["cents"] for m in months) > 0, "a year of invoices but no revenue"


def test_billing__summary__counts_match_subscriptions(manager):
    d = manager.get("/billing/summary").data
    subs = manager.all("/billing/subscriptions")
    for status in SUBSCRIPTION_STATUSES:
        n = sum(1 for s in subs if s["status"] == status)
        assert d["subscriptions"][status] == n, (status, d["subscriptions"][status], n)


@pytest.mark.parametrize("role", ["support", "technician"])
def test_billing__summary__without_billing_read_gives_403(accounts, role):
    assert_error(accounts.staff(role).get("/billing/summary"), 403, "forbidden")


def test_billing__subscriptions__demo_has_every_status(manager):
    subs = manager.all("/billing/subscriptions")
    assert {s["status"] for s in subs} == set(SUBSCRIPTION_STATUSES)


def test_billing__subscriptions__full_fields_with_billing_read(manager):
    r = manager.get("/billing/subscriptions")
    assert r.status == 200, r
    assert_list_shape(r.data, "subscriptions")
    subs = manager.all("/billing/subscriptions")
    assert subs
    cards = 0
    for s in subs:
        assert_keys(s, SUBSCRIPTION_KEYS | SUBSCRIPTION_MONEY_KEYS, "subscription")
        assert_small_client(s["client"])
        assert s["plan"] in ("basic", "pro", "agency"), s
        assert s["status"] in SUBSCRIPTION_STATUSES, s
        assert is_time(s["current_period_end"]), s
        assert isinstance(s["cancel_at_period_end"], bool), s
        assert is_int(s["amount_cents"]) and s["amount_cents"] >= 0, s
        assert re.fullmatch(r"[a-z]{3}", s["currency"]), s
        assert s["interval"] in ("month", "year"), s
        if s["card"] is not None:
            cards += 1
            c = s["card"]
            assert set(c) == {"brand", "last4", "exp_month", "exp_year"}, c
            assert isinstance(c["brand"], str) and c["brand"]
            assert isinstance(c["last4"], str) and re.fullmatch(r"\d{4}", c["last4"]), c
            assert is_int(c["exp_month"]) and 1 <= c["exp_month"] <= 12, c
            assert is_int(c["exp_year"]) and c["exp_year"] >= 2000, c
    assert cards, "no subscription has a card"


def test_billing__subscriptions__no_card_numbers_or_cvc_anywhere(manager):
    cursor = None
    while True:
        r = manager.get("/billing/subscriptions", params={"cursor": cursor, "limit": 500})
        assert r.status == 200
        assert not CARD_NUMBER.search(r.body), "something like a card number is in the response"
        assert b"cvc" not in r.body.lower() and b"cvv" not in r.body.lower()
        cursor = r.data["next"]
        if not cursor:
            break


def test_billing__subscriptions__support_sees_plan_and_status_only(accounts):
    support = accounts.staff("support")
    r = support.get("/billing/subscriptions")
    assert r.status == 200, r
    subs = support.all("/billing/subscriptions")
    assert subs
    for s in subs:
        assert_keys(s, SUBSCRIPTION_KEYS, "subscription")
        leaked = SUBSCRIPTION_MONEY_KEYS & set(s)
        assert not leaked, f"support sees {sorted(leaked)}: {s}"
    raw = support.get("/billing/subscriptions", params={"limit": 500}).body
    assert b"last4" not in raw and b"amount_cents" not in raw


def test_billing__subscriptions__technician_gets_403(accounts):
    assert_error(accounts.staff("technician").get("/billing/subscriptions"), 403, "forbidden")


@pytest.mark.parametrize("status", SUBSCRIPTION_STATUSES)
def test_billing__subscriptions__status_filter(manager, status):
    got = manager.all("/billing/subscriptions", params={"status": status})
    assert got, f"no {status} subscription"
    assert all(s["status"] == status for s in got)
    everything = manager.all("/billing/subscriptions")
    assert len(got) == sum(1 for s in everything if s["status"] == status)


def test_billing__subscriptions__q_filter(manager):
    subs = manager.all("/billing/subscriptions")
    target = subs[len(subs) // 2]
    word = max(target["client"]["name"].split(), key=len)
    got = manager.all("/billing/subscriptions", params={"q": word})
    assert target["id"] in {s["id"] for s in got}
    assert len(got) < len(subs)


def test_billing__invoices__shape(manager):
    r = manager.get("/billing/invoices")
    assert r.status == 200, r
    assert_list_shape(r.data, "invoices")
    invoices = manager.all("/billing/invoices")
    assert len(invoices) >= 40, "a year of invoices"
    for i in invoices:
        assert_keys(i, INVOICE_KEYS, "invoice")
        assert_small_client(i["client"])
        assert isinstance(i["number"], str) and i["number"]
        assert is_int(i["amount_cents"]) and re.fullmatch(r"[a-z]{3}", i["currency"])
        assert i["status"] in INVOICE_STATUSES, i
        assert is_time(i["created_at"]) and (i["paid_at"] is None or is_time(i["paid_at"]))
        assert isinstance(i["stripe_ref"], str)
        assert i["failure_reason"] is None or isinstance(i["failure_reason"], str)
    statuses = {i["status"] for i in invoices}
    assert {"paid", "failed", "refunded"} <= statuses, statuses


@pytest.mark.parametrize("statuses", [["failed"], ["refunded"], ["paid", "open"],
                                      ["failed", "refunded"]])
def test_billing__invoices__status_filter(manager, statuses):
    got = manager.all("/billing/invoices", params={"status": ",".join(statuses)})
    everything = manager.all("/billing/invoices")
    assert {i["id"] for i in got} == {i["id"] for i in everything if i["status"] in statuses}
    if statuses == ["failed"]:
        assert got and all(i["failure_reason"] for i in got), "failed without a reason"
    if statuses == ["paid", "open"]:
        assert all(i["paid_at"] for i in got if i["status"] == "paid")


def test_billing__invoices__client_filter(manager):
    invoices = manager.all("/billing/invoices")
    cid = invoices[0]["client"]["id"]
    got = manager.all("/billing/invoices", params={"client": cid})
    assert got and {i["id"] for i in got} == {i["id"] for i in invoices if i["client"]["id"] == cid}


@pytest.mark.parametrize("role", ["support", "technician"])
def test_billing__invoices__without_billing_read_gives_403(accounts, role):
    assert_error(accounts.staff(role).get("/billing/invoices"), 403, "forbidden")


def test_billing__fail_invoice__shows_as_failed(service, manager):
    before = {i["id"] for i in manager.all("/billing/invoices", params={"status": "failed"})}
    count = manager.get("/billing/summary").data["failed_payments_30d"]
    out = service.ctl("fail-invoice")
    assert out is not None
    after = manager.all("/billing/invoices", params={"status": "failed"})
    new = [i for i in after if i["id"] not in before]
    assert len(new) == 1, f"ctl fail-invoice made {len(new)} failed invoices"
    assert new[0]["failure_reason"]
    assert manager.get("/billing/summary").data["failed_payments_30d"] == count + 1

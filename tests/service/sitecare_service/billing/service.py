"""Billing figures and the payment-failure path shared with ctl."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from ..events.emit import emit
from . import serializers as out
from .models import SUB_STATUSES, Invoice, Subscription


def _months_back(now, n):
    """'YYYY-MM' for the n months ending with now's month, oldest first."""
    y, m = now.year, now.month
    months = []
    for _ in range(n):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return months[::-1]


def monthly_cents(sub):
    return sub.amount_cents if sub.interval == "month" \
        else round(sub.amount_cents / 12)


def summary():
    """MRR from active subscriptions (yearly ones divided by 12), counts by
    status, the last 30 days' failures and refunds, and 12 months of
    revenue (paid invoices by the month they were paid)."""
    now = timezone.now()
    since = now - timedelta(days=30)
    counts = dict(Subscription.objects.values_list("status")
                  .annotate(n=Count("id")))
    months = _months_back(now, 12)
    revenue = dict.fromkeys(months, 0)
    start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    for _ in range(11):
        start = (start - timedelta(days=1)).replace(day=1)
    for amount, paid_at in Invoice.objects.filter(
            status="paid", paid_at__gte=start).values_list(
            "amount_cents", "paid_at"):
        key = paid_at.strftime("%Y-%m")
        if key in revenue:
            revenue[key] += amount
    return {
        "currency": "usd",
        "mrr_cents": sum(monthly_cents(s) for s in
                         Subscription.objects.filter(status="active")),
        "subscriptions": {s: counts.get(s, 0) for s in SUB_STATUSES},
        "failed_payments_30d": Invoice.objects.filter(
            status="failed", created_at__gte=since).count(),
        "refunds_30d_cents": Invoice.objects.filter(
            status="refunded", refunded_at__gte=since).aggregate(
            s=Sum("amount_cents"))["s"] or 0,
        "revenue_by_month": [{"month": m, "cents": revenue[m]}
                             for m in months],
    }


def invoice_number(client_id, when):
    return f"INV-{when:%Y%m}-{client_id:05d}-{secrets.token_hex(3).upper()}"


@transaction.atomic
def fail_invoice(client, reason="card_declined: insufficient funds"):
    """Records a failed charge and tells billing staff, as Stripe's
    invoice.payment_failed webhook would."""
    sub = client.subscriptions.order_by("-id").first()
    now = timezone.now()
    inv = Invoice.objects.create(
        number=invoice_number(client.id, now), client=client,
        subscription=sub, amount_cents=sub.amount_cents if sub else 4900,
        currency="usd", status="failed", created_at=now,
        stripe_ref="in_" + secrets.token_hex(12), failure_reason=reason)
    if sub and sub.status == "active":
        Subscription.objects.filter(id=sub.id).update(status="past_due")
    inv = Invoice.objects.select_related("client").get(id=inv.id)
    emit("invoice.failed", {"invoice": out.invoice(inv)})
    return inv

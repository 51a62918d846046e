"""Subscriptions and invoices mirrored from Stripe.

Per the privacy policy only a card's brand, last 4 digits and expiry are
kept: there is no field that could hold a card number or CVC.
"""

from django.db import models

PLANS = ("basic", "pro", "agency")
SUB_STATUSES = ("active", "trialing", "past_due", "canceled")
INVOICE_STATUSES = ("paid", "open", "failed", "refunded")


class Subscription(models.Model):
    client = models.ForeignKey("accounts.Client", on_delete=models.CASCADE,
                               related_name="subscriptions")
    plan = models.CharField(max_length=20, choices=[(p, p) for p in PLANS])
    status = models.CharField(max_length=20,
                              choices=[(s, s) for s in SUB_STATUSES])
    amount_cents = models.IntegerField()
    currency = models.CharField(max_length=3, default="usd")
    interval = models.CharField(max_length=5, choices=(
        ("month", "month"), ("year", "year")))
    current_period_end = models.DateTimeField()
    cancel_at_period_end = models.BooleanField(default=False)
    card_brand = models.CharField(max_length=20, null=True, blank=True)
    card_last4 = models.CharField(max_length=4, null=True, blank=True)
    card_exp_month = models.SmallIntegerField(null=True, blank=True)
    card_exp_year = models.SmallIntegerField(null=True, blank=True)


class Invoice(models.Model):
    number = models.CharField(max_length=40, unique=True)
    client = models.ForeignKey("accounts.Client", on_delete=models.CASCADE,
                               related_name="invoices")
    subscription = models.ForeignKey(Subscription, null=True, blank=True,
                                     on_delete=models.SET_NULL)
    amount_cents = models.IntegerField()
    currency = models.CharField(max_length=3, default="usd")
    status = models.CharField(max_length=10,
                              choices=[(s, s) for s in INVOICE_STATUSES])
    created_at = models.DateTimeField(db_index=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    stripe_ref = models.CharField(max_length=64)
    failure_reason = models.CharField(max_length=200, null=True, blank=True)

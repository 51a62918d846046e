"""JSON shapes of subscriptions and invoices."""

from ..accounts.serializers import client_ref
from ..common.timefmt import rfc3339


def subscription(s, full):
    """`full` adds what only billing.read may see; otherwise those members
    are absent, not null, so nothing hints at their values."""
    body = {
        "id": s.id,
        "client": client_ref(s.client),
        "plan": s.plan,
        "status": s.status,
        "current_period_end": rfc3339(s.current_period_end),
        "cancel_at_period_end": s.cancel_at_period_end,
    }
    if full:
        body.update({
            "amount_cents": s.amount_cents,
            "currency": s.currency,
            "interval": s.interval,
            "card": {"brand": s.card_brand, "last4": s.card_last4,
                     "exp_month": s.card_exp_month,
                     "exp_year": s.card_exp_year} if s.card_last4 else None,
        })
    return body


def invoice(i):
    return {
        "id": i.id,
        "number": i.number,
        "client": client_ref(i.client),
        "amount_cents": i.amount_cents,
        "currency": i.currency,
        "status": i.status,
        "created_at": rfc3339(i.created_at),
        "paid_at": rfc3339(i.paid_at),
        "stripe_ref": i.stripe_ref,
        "failure_reason": i.failure_reason,
    }

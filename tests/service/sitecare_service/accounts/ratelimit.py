"""Sign-in throttling: more than 5 failures in 15 minutes for one email or
one address locks further attempts until the oldest failure ages out.

Failures live in the database so a restart does not reset the count.
"""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from ..common.errors import ApiError
from .models import LoginFailure

WINDOW = timedelta(minutes=15)
MAX_FAILURES = 5


def check(email, address):
    """Raise 429 when either the email or the address is locked out."""
    now = timezone.now()
    for q in (Q(email=email), Q(address=address)):
        recent = LoginFailure.objects.filter(q, at__gte=now - WINDOW)
        if recent.count() >= MAX_FAILURES:
            # Unlocks when enough failures age out to drop below the limit.
            oldest = recent.order_by("-at")[MAX_FAILURES - 1].at
            wait = max(1, int((oldest + WINDOW - now).total_seconds()) + 1)
            raise ApiError(429, "rate_limited",
                           "Too many failed sign-ins; try again later.",
                           headers={"Retry-After": str(wait)})


def record_failure(email, address):
    LoginFailure.objects.create(email=email, address=address,
                                at=timezone.now())


def forget(email):
    """A successful sign-in clears that email's failures."""
    LoginFailure.objects.filter(email=email).delete()

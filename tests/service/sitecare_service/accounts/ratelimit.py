"""Sign-in throttling: more than 5 failures in 15 minutes for one email or
one address locks further attempts until the oldest failure ages out.

An attempt is counted before its password is checked: `guarded` first
reserves it (writes a LoginFailure row) in a transaction that holds
SQLite's write lock from its first statement (BEGIN IMMEDIATE), so the
count and the reservation cannot interleave with another attempt's, in
this process or in any other using the same database. Of any number of
simultaneous wrong attempts, at most 5 get to check a password. A right
password then takes its reservation back (with the email's other
failures); a wrong one leaves it standing as the failure.

Failures live in the database so a restart does not reset the count.
"""

from contextlib import contextmanager
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from ..common.errors import ApiError
from .models import LoginFailure

WINDOW = timedelta(minutes=15)
MAX_FAILURES = 5


def guarded(email, address, check):
    """Runs check() (a password check) if the limit allows one more
    attempt for `email` and `address`, else raises 429; returns what
    check() returned, counting a false value as a failure."""
    reserve(email, address)
    ok = check()
    if ok:
        forget(email)
    return ok


def reserve(email, address):
    """Counts one attempt now, or raises 429 when either the email or the
    address is locked out (then nothing is counted)."""
    now = timezone.now()
    with _write_locked():
        wait = _lockout_seconds(email, address, now)
        if wait is None:
            LoginFailure.objects.create(email=email, address=address, at=now)
    if wait is not None:
        raise ApiError(429, "rate_limited",
                       "Too many failed sign-ins; try again later.",
                       headers={"Retry-After": str(wait)})


def _lockout_seconds(email, address, now):
    """Seconds until another attempt is allowed, or None if it is now."""
    for recent in (LoginFailure.objects.filter(email=email),
                   LoginFailure.objects.filter(address=address)):
        recent = recent.filter(at__gte=now - WINDOW)
        if recent.count() >= MAX_FAILURES:
            # Unlocks when enough failures age out to drop below the limit.
            oldest = recent.order_by("-at")[MAX_FAILURES - 1].at
            return max(1, int((oldest + WINDOW - now).total_seconds()) + 1)
    return None


# PostgreSQL advisory lock key of the reservation (see _write_locked).
RESERVE_LOCK = 0x5173CA7F


@contextmanager
def _write_locked():
    """A transaction that takes SQLite's write lock at BEGIN, so its reads
    are not stale when it writes. Other writers wait (the connection's
    busy timeout) instead of reading the same count concurrently. On
    PostgreSQL, whose writers do not exclude each other, reservations take
    turns on an advisory lock held until the transaction ends instead.

    Django 3.2's atomic() only issues a deferred BEGIN, hence the raw
    statements; they need the connection in autocommit mode."""
    if connection.in_atomic_block:
        raise RuntimeError("rate limiting must not run inside atomic()")
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [RESERVE_LOCK])
            yield
        return
    with connection.cursor() as cur:
        cur.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        cur.execute("COMMIT")


def forget(email):
    """A successful sign-in clears that email's failures."""
    LoginFailure.objects.filter(email=email).delete()

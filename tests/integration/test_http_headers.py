"""The answer's headers as libcurl reads them (#17: curl_easy_header and
CURLINFO_RETRY_AFTER instead of a hand-written capture and parser), against
a server that fails on purpose (fault_server.py).

Retry-After's two forms, its bound and an unreadable one; and a hostile
server's endless headers, which libcurl refuses past its own bound (300 KiB
an answer) so memory stays bounded.
"""

import re
import time
from email.utils import formatdate

from integration.cli import scaled

ME = {"id": 7, "name": "Fay Fault", "email": "fay@example.com", "role": "support",
      "public_key": None, "permissions": ["tasks.read"]}
SLOW_DOWN = {"error": {"code": "rate_limited", "message": "Slow down."}}


def http_date(seconds_from_now):
    """An HTTP-date (RFC 9110 IMF-fixdate) that far from now."""
    return formatdate(time.time() + seconds_from_now, usegmt=True)


def rate_limited(fault, retry_after, then=None):
    """GET /me answered 429 with this Retry-After (then `then`, if given):
    the run, and how many requests the server saw."""
    answers = [(429, {"Retry-After": retry_after}, SLOW_DOWN)]
    if then is not None:
        answers.append(then)
    fault.script("/api/v1/me", *answers)
    r = fault.cli.run("api", "GET", "/me")
    return r, fault.count("/api/v1/me")


def test_http_headers__retry_after_http_date_honoured(fault):
    r, asked = rate_limited(fault, http_date(3), then=(200, {}, ME))
    assert (r.rc, asked) == (0, 2), r
    # The date has whole seconds: 3 s from now is at least 2 s away.
    assert r.seconds >= 1.9, r


def test_http_headers__retry_after_date_past_retries_at_once(fault):
    r, asked = rate_limited(fault, http_date(-60), then=(200, {}, ME))
    assert (r.rc, asked) == (0, 2), r


def test_http_headers__long_retry_after_date_reported(fault):
    r, asked = rate_limited(fault, http_date(900))
    assert (r.rc, asked) == (1, 1), r
    # The date has whole seconds and the client took r.seconds to read it
    # (over 2 s under valgrind): what is left is 900 s less that time.
    m = re.search(r"try again in (\d+) s", r.err)
    assert m, r
    assert 900 - int(r.seconds) - 2 <= int(m.group(1)) <= 900, r


def test_http_headers__retry_after_capped(fault):
    r, asked = rate_limited(fault, "99999999999")
    assert (r.rc, asked) == (1, 1), r
    assert "try again in 1000000 s" in r.err, r


def test_http_headers__unreadable_retry_after_is_absent(fault):
    # Not a wait of 0: the usual backoff, every attempt, and no "try again".
    r, asked = rate_limited(fault, "soon")
    assert (r.rc, asked) == (1, 4), r
    assert "rate limited" in r.err and "try again" not in r.err, r


def test_http_headers__huge_header_block_refused(fault):
    # 600 KiB of headers: past libcurl's 300 KiB an answer.
    pad = {f"X-Pad-{i}": "p" * 1000 for i in range(600)}
    fault.script("/api/v1/me", (200, pad, ME))
    r = fault.cli.run("api", "GET", "/me")
    assert r.rc == 1, r
    assert r.out == ""
    assert 1 <= fault.count("/api/v1/me") <= 4
    assert r.seconds < scaled(30), r


def test_http_headers__many_headers_within_bound_kept(fault):
    # 100 KiB of headers, then the ones the client reads.
    pad = {f"X-Pad-{i}": "p" * 1000 for i in range(100)}
    fault.script("/api/v1/me", (200, {**pad, "Content-Type": "application/json"}, ME))
    r = fault.cli.run("api", "GET", "/me")
    assert r.rc == 0, r
    assert fault.count("/api/v1/me") == 1

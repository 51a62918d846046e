"""Keyset ("cursor") pagination shared by every list endpoint.

A page is ordered by a list of (field, descending) pairs ending with a
unique field (the id), so the order is total. The cursor is the base64 of
a JSON object holding that ordering's name and the last row's values; the
next page asks for rows strictly after those values. Unlike offsets this
stays correct when rows are inserted between two page requests.

Nullable sort fields are preceded by a 0/1 "is null" annotation so nulls
form their own group at the end; inside it the field compares as IS NULL.
"""

import base64
import binascii
import json
from datetime import datetime

from django.db.models import Q
from rest_framework.response import Response

from .errors import invalid

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


def parse_limit(request, default=DEFAULT_LIMIT):
    """?limit=: a positive integer, clamped to MAX_LIMIT; else 422."""
    raw = request.query_params.get("limit")
    if raw in (None, ""):
        return default
    try:
        limit = int(raw)
    except ValueError:
        raise invalid({"limit": ["A positive integer is required."]})
    if limit < 1:
        raise invalid({"limit": ["A positive integer is required."]})
    return min(limit, MAX_LIMIT)


def _encode_value(v):
    return {"dt": v.isoformat()} if isinstance(v, datetime) else v


def _decode_value(v):
    if isinstance(v, dict) and set(v) == {"dt"} and isinstance(v["dt"], str):
        return datetime.fromisoformat(v["dt"])
    if v is None or isinstance(v, (int, str)) and not isinstance(v, bool):
        return v
    raise ValueError("bad cursor value")


def _ordering_name(ordering):
    return ",".join(("-" if desc else "") + f for f, desc in ordering)


def encode_cursor(ordering, row):
    payload = {"o": _ordering_name(ordering),
               "v": [_encode_value(getattr(row, f)) for f, _ in ordering]}
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(ordering, cursor):
    """The values a cursor holds; 422 if it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
        values = [_decode_value(v) for v in payload["v"]]
        if payload["o"] != _ordering_name(ordering) or \
                len(values) != len(ordering):
            raise ValueError("cursor for another ordering")
        return values
    except (ValueError, KeyError, TypeError, binascii.Error,
            UnicodeDecodeError):
        raise invalid({"cursor": ["Invalid cursor."]})


def _after(ordering, values):
    """Q for rows strictly after `values` in `ordering`."""
    result, same = None, Q()
    for (field, desc), value in zip(ordering, values):
        if value is None:
            step, eq = None, Q(**{f"{field}__isnull": True})
        else:
            op = "lt" if desc else "gt"
            step, eq = Q(**{f"{field}__{op}": value}), Q(**{field: value})
        if step is not None:
            term = same & step
            result = term if result is None else result | term
        same &= eq
    return result if result is not None else Q(pk__in=[])


def order_by(queryset, ordering):
    return queryset.order_by(
        *[("-" if desc else "") + f for f, desc in ordering])


def page(request, queryset, ordering, serialize, extra=None):
    """One page of `queryset` as {"results", "next"}."""
    limit = parse_limit(request)
    cursor = request.query_params.get("cursor")
    if cursor:
        queryset = queryset.filter(
            _after(ordering, decode_cursor(ordering, cursor)))
    rows = list(order_by(queryset, ordering)[:limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    body = {"results": [serialize(r) for r in rows],
            "next": encode_cursor(ordering, rows[-1]) if more else None}
    body.update(extra or {})
    return Response(body)

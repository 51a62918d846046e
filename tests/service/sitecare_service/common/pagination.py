"""Keyset ("cursor") pagination shared by every list endpoint.

A page is ordered by a list of (field, descending) pairs ending with a
unique field (the id), so the order is total. The cursor is the base64 of
a JSON object holding that ordering's name and the last row's values; the
next page asks for rows strictly after those values. Unlike offsets this
stays correct when rows are inserted between two page requests.

An ordering read in one direction throughout, on the model's own columns,
continues with one row-value comparison, `(a, b, id) > (va, vb, vid)`:
SQLite and PostgreSQL seek an index on (a, b, id) straight to it, so a page
deep in a million rows costs what the first one does. Other orderings
(mixed directions, annotations, a NULL in the cursor) continue with the
equivalent OR expansion, which an index can only filter; a nullable sort
field there is preceded by a 0/1 "is null" annotation so nulls form their
own group, inside which the field compares as IS NULL.
"""

import base64
import binascii
import json
from datetime import datetime

from django.core.exceptions import FieldDoesNotExist
from django.db import connections
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


def _field(row, name):
    """A row's field: a model instance's attribute, or a values() dict's
    key (a list read as plain values, tasks/serializers.py)."""
    return row[name] if isinstance(row, dict) else getattr(row, name)


def encode_cursor(ordering, row):
    payload = {"o": _ordering_name(ordering),
               "v": [_encode_value(_field(row, f)) for f, _ in ordering]}
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


def _row_after(queryset, ordering, values):
    """`_after` as one row-value comparison an index can seek with, or None
    when the ordering cannot be one (see the module's docstring)."""
    if len({desc for _, desc in ordering}) != 1 or None in values:
        return None
    meta = queryset.model._meta
    try:
        fields = [meta.get_field(f) for f, _ in ordering]
    except FieldDoesNotExist:
        return None
    if any(f.column is None for f in fields):
        return None
    connection = connections[queryset.db]
    qn = connection.ops.quote_name
    cols = ", ".join(f"{qn(meta.db_table)}.{qn(f.column)}" for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    op = "<" if ordering[0][1] else ">"
    params = [f.get_db_prep_value(v, connection)
              for f, v in zip(fields, values)]
    return queryset.extra(where=[f"({cols}) {op} ({marks})"], params=params)


def _seeks(queryset, ordering, values):
    """The rows strictly after `values`, as queries to read in turn.

    SQLite seeks a row value `(a, b, id) > (...)` on its leading columns
    only and reads on through the rows that tie with the cursor on them:
    after a cursor among the tasks without a due date (half of them,
    `due_key` all DUE_NEVER) that was every one of them, and a page cost
    grew with the table (4x at 1,000,000 tasks). So a row value is read
    in two parts, each an exact seek: the rows equal to the cursor on the
    first column and after it on the rest, then the rows past the first
    column's value."""
    (first, desc), value = ordering[0], values[0]
    if len(ordering) > 1 and value is not None:
        same = _row_after(queryset.filter(**{first: value}), ordering[1:],
                          values[1:])
        if same is not None:
            op = "lt" if desc else "gt"
            return [same, queryset.filter(**{f"{first}__{op}": value})]
    rows = _row_after(queryset, ordering, values)
    if rows is not None:
        return [rows]
    return [queryset.filter(_after(ordering, values))]


def order_by(queryset, ordering):
    return queryset.order_by(
        *[("-" if desc else "") + f for f, desc in ordering])


def page_queries(request, queryset, ordering):
    """The queries of one page, in order, each of one row more than the
    page (is there a next page?): the page is their rows, read until it
    is full (`_seeks`); `ctl task-plan` shows the database's plan for
    each."""
    parts = [queryset]
    cursor = request.query_params.get("cursor")
    if cursor:
        parts = _seeks(queryset, ordering, decode_cursor(ordering, cursor))
    limit = parse_limit(request) + 1
    return [order_by(q, ordering)[:limit] for q in parts]


def page_rows(request, queryset, ordering):
    """The rows of one page, and one more if there is a next page."""
    want = parse_limit(request) + 1
    rows = []
    for query in page_queries(request, queryset, ordering):
        rows += query[:want - len(rows)]
        if len(rows) == want:
            break
    return rows


def page(request, queryset, ordering, serialize, extra=None):
    """One page of `queryset` as {"results", "next"}."""
    limit = parse_limit(request)
    rows = page_rows(request, queryset, ordering)
    more = len(rows) > limit
    rows = rows[:limit]
    body = {"results": [serialize(r) for r in rows],
            "next": encode_cursor(ordering, rows[-1]) if more else None}
    body.update(extra or {})
    return Response(body)

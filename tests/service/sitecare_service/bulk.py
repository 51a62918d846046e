"""Loading many rows at once: secondary indexes built after the rows.

A million-row seed inserting into a table with nine indexes updates each
of them row by row, in random order; building an index afterwards is one
sort. On SQLite the load also runs without a journal on disk and without
fsync (a seed that dies leaves a database that is thrown away anyway),
then the database goes back to WAL.
"""

from contextlib import contextmanager

from django.db import connection


def _sqlite_indexes(tables):
    """(name, CREATE statement) of each index made by a statement (those
    of UNIQUE and PRIMARY KEY constraints have none and stay)."""
    marks = ", ".join(["%s"] * len(tables))
    with connection.cursor() as cur:
        cur.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                    f" AND sql IS NOT NULL AND tbl_name IN ({marks})",
                    list(tables))
        return cur.fetchall()


def _postgres_indexes(tables):
    with connection.cursor() as cur:
        cur.execute("SELECT indexname, indexdef FROM pg_indexes"
                    " WHERE tablename = ANY(%s) AND indexname NOT IN"
                    " (SELECT conname FROM pg_constraint)", [list(tables)])
        return cur.fetchall()


def _pragmas(values):
    """Sets SQLite pragmas; returns what they were."""
    before = {}
    with connection.cursor() as cur:
        for name, value in values.items():
            cur.execute(f"PRAGMA {name}")
            before[name] = cur.fetchone()[0]
            cur.execute(f"PRAGMA {name} = {value}")
    return before


FAST = {"journal_mode": "MEMORY", "synchronous": "OFF",
        "cache_size": "-262144", "temp_store": "MEMORY"}


@contextmanager
def loading(tables):
    """Drops the tables' secondary indexes for the block, then builds them
    again and updates the planner's statistics. Enter it outside any
    transaction: SQLite changes its journal only between transactions."""
    sqlite = connection.vendor == "sqlite"
    saved = _pragmas(FAST) if sqlite else {}
    indexes = (_sqlite_indexes if sqlite else _postgres_indexes)(tables)
    try:
        with connection.cursor() as cur:
            for name, _ in indexes:
                cur.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        yield
    finally:
        with connection.cursor() as cur:
            for _, statement in indexes:
                cur.execute(statement)
            cur.execute("ANALYZE")
        if sqlite:
            _pragmas(saved)

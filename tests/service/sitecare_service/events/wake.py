"""Waking the streams of every process when an event is committed.

Each worker runs one listener thread (started after the fork, by
gunicorn_conf.post_worker_init) that turns wake-ups from other processes
into lifecycle.announce_event(); emit() tells the others. How depends on
the database: PostgreSQL has LISTEN/NOTIFY (wake_pg), SQLite has nothing
of the kind, so workers wake each other with unix datagrams (wake_socket).
"""

from django.db import connection


def _backend():
    # Imported on use: psycopg2 is needed only with PostgreSQL.
    if connection.vendor == "postgresql":
        from . import wake_pg
        return wake_pg
    from . import wake_socket
    return wake_socket


def start_listener():
    """In a worker, after the fork: wake-ups from others reach its streams."""
    _backend().start_listener()


def stop_listener():
    _backend().stop_listener()


def in_transaction():
    """Called in the transaction that appends an event (NOTIFY belongs
    there: PostgreSQL delivers it at commit, never on rollback)."""
    _backend().in_transaction()


def after_commit():
    """Called once the event is committed (datagrams go now: a stream woken
    earlier would not see the row yet)."""
    _backend().after_commit()

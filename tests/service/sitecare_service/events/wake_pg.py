"""Cross-process wake-ups on PostgreSQL: LISTEN/NOTIFY.

Each worker keeps one connection of its own (not Django's, which belongs
to request threads) listening on CHANNEL; a thread waits on its socket
with select() and turns every notification into announce_event(). emit()
sends NOTIFY inside the event's transaction, so it is delivered when, and
only if, the event is committed. If the listening connection breaks, the
thread reconnects and announces once (something may have been missed).
"""

import select
import threading
import time

import psycopg2
from django.db import connection

from .lifecycle import announce_event

CHANNEL = "sitecare_events"
RECONNECT_SECONDS = 1.0

_stop = threading.Event()
_thread = None


def start_listener():
    global _thread
    if _thread is not None:
        return
    _stop.clear()
    _thread = threading.Thread(target=_run, name="wake-listener",
                               daemon=True)
    _thread.start()


def stop_listener():
    _stop.set()


def _connect():
    params = connection.get_connection_params()
    conn = psycopg2.connect(**params)
    conn.set_session(autocommit=True)
    with conn.cursor() as cur:
        cur.execute(f"LISTEN {CHANNEL}")
    return conn


def _run():
    while not _stop.is_set():
        try:
            conn = _connect()
        except psycopg2.Error:
            _stop.wait(RECONNECT_SECONDS)
            continue
        announce_event()  # whatever was committed while not listening
        try:
            _listen(conn)
        except (psycopg2.Error, OSError):
            time.sleep(0.05)
        finally:
            conn.close()


def _listen(conn):
    while not _stop.is_set():
        # The timeout only lets a stop be noticed; wake-ups come by NOTIFY.
        if select.select([conn], [], [], 5.0)[0]:
            conn.poll()
            if conn.notifies:
                conn.notifies.clear()
                announce_event()


def in_transaction():
    with connection.cursor() as cur:
        cur.execute("SELECT pg_notify(%s, '')", [CHANNEL])


def after_commit():
    pass

"""Cross-process wake-ups on SQLite: one unix datagram socket per worker.

A worker binds STATE/wake/<pid>.sock and a thread waits on it (blocked in
recv, no timer); every datagram becomes announce_event(). A process that
commits an event (a worker, or `ctl`) sends one empty datagram to every
socket in the directory. A socket whose process is gone refuses it and is
removed. A full receive buffer drops the datagram, which loses nothing:
the datagrams already queued there wake the same streams.
"""

import errno
import os
import socket
import threading

from django.conf import settings

from .lifecycle import announce_event

_listener = None  # (socket, path) of this worker


def wake_dir():
    return settings.STATE_DIR / "wake"


def start_listener():
    global _listener
    if _listener is not None:
        return
    wake_dir().mkdir(mode=0o700, exist_ok=True)
    path = wake_dir() / f"{os.getpid()}.sock"
    path.unlink(missing_ok=True)  # a pid reused after a crash
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    _listener = (sock, path)
    threading.Thread(target=_listen, args=(sock,), name="wake-listener",
                     daemon=True).start()


def _listen(sock):
    while True:
        try:
            sock.recv(64)
        except OSError:
            return
        if _listener is None:
            return  # woken by stop_listener's shutdown
        announce_event()


def stop_listener():
    global _listener
    if _listener is None:
        return
    sock, path = _listener
    _listener = None
    path.unlink(missing_ok=True)
    sock.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in recv
    sock.close()


def in_transaction():
    pass


def after_commit():
    """One datagram to every other process's socket."""
    try:
        names = os.listdir(wake_dir())
    except FileNotFoundError:
        return  # no worker has started yet
    own = f"{os.getpid()}.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sender:
        sender.setblocking(False)
        for name in names:
            if name.endswith(".sock") and name != own:
                _send(sender, wake_dir() / name)


def _send(sender, path):
    try:
        sender.sendto(b"", str(path))
    except OSError as e:
        if e.errno == errno.ECONNREFUSED:
            path.unlink(missing_ok=True)  # its worker died without cleaning up
        # EAGAIN: its queue is full of wake-ups already; ENOENT: just left.

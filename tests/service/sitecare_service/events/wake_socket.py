"""Cross-process wake-ups on SQLite: one unix datagram socket per worker.

A worker binds a socket and a thread waits on it (blocked in recv, no
timer); every datagram becomes announce_event(). STATE/wake/<pid>.sock
names each worker's socket: a file there, bound by path, or (when that
path would be too long for a socket address) an empty file naming an
abstract socket of the same name. A process that commits an event (a
worker, or `ctl`) sends one empty datagram to every socket named there.
A socket whose process is gone refuses it and its file is removed. A full
receive buffer drops the datagram, which loses nothing: the datagrams
already queued there wake the same streams.
"""

import errno
import hashlib
import os
import socket
import threading

from django.conf import settings

from .lifecycle import announce_event

_listener = None  # (socket, path) of this worker
MAX_PATH = 100  # a socket address holds 107 bytes of path


def _address(path):
    """Where the socket named by `path` is bound."""
    if len(os.fsencode(path)) <= MAX_PATH:
        return str(path)
    digest = hashlib.sha256(os.fsencode(path)).hexdigest()[:32]
    return f"\0sitecare-wake-{digest}"


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
    address = _address(path)
    sock.bind(address)
    if address != str(path):
        path.touch()
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
        sender.sendto(b"", _address(path))
    except OSError as e:
        if e.errno == errno.ECONNREFUSED:
            path.unlink(missing_ok=True)  # its worker died without cleaning up
        # EAGAIN: its queue is full of wake-ups already; ENOENT: just left.

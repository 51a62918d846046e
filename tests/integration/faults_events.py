"""Helpers for the live-events and outbox tests.

`EventsProc(cli, *args)` runs `sitecare events ARGS` in the background with
the Cli's private home, and reads its stdout (JSON lines) and stderr (status
lines) in threads, so a test can wait for a given event or state with a
deadline instead of blocking on a pipe. `stop()` sends SIGTERM (the command
ends cleanly) and returns the exit status; only the process started here is
ever signalled.
"""

import json
import os
import queue
import signal
import subprocess
import threading
import time

from integration.cli import scaled


class EventsProc:
    def __init__(self, cli, *args):
        self.argv = cli.argv(["events", *map(str, args)])
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=cli.env(), cwd=cli.home,
                                     start_new_session=True)
        self.events = []          # every event seen, in order, as dicts
        self.arrived = []         # time.monotonic() of each, same order
        self.err_lines = []
        self._new = queue.Queue()  # wakes waiters on any line
        self._out_done = threading.Event()
        self._err_done = threading.Event()
        threading.Thread(target=self._pump_out, daemon=True).start()
        threading.Thread(target=self._pump_err, daemon=True).start()

    def _pump_out(self):
        for raw in iter(self.proc.stdout.readline, b""):
            ev = json.loads(raw.decode("utf-8"))
            self.arrived.append(time.monotonic())
            self.events.append(ev)
            self._new.put(None)
        self._out_done.set()
        self._new.put(None)

    def _pump_err(self):
        for raw in iter(self.proc.stderr.readline, b""):
            self.err_lines.append(raw.decode("utf-8", "replace").rstrip("\n"))
            self._new.put(None)
        self._new.put(None)
        self._err_done.set()

    def wait_for(self, predicate, timeout, what):
        """Waits until predicate() is true; fails with what and the logs."""
        deadline = time.monotonic() + timeout
        while not predicate():
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"timed out waiting for {what}\n" + self.describe())
            try:
                self._new.get(timeout=min(left, 0.2))
            except queue.Empty:
                pass
        return True

    def wait_state(self, word, timeout=scaled(30), after=0):
        """Waits for a status line 'sitecare: events: WORD' (index >= after)."""
        return self.wait_for(
            lambda: any(l.startswith(f"sitecare: events: {word}")
                        for l in self.err_lines[after:]),
            timeout, f"state {word!r}")

    def message_bodies(self):
        return [e["data"]["message"]["body"] for e in self.events
                if e["event"] == "message.created"]

    def wait_bodies(self, bodies, timeout=scaled(30)):
        want = set(bodies)
        return self.wait_for(lambda: want <= set(self.message_bodies()),
                             timeout, f"messages {sorted(want)!r}")

    def describe(self):
        return (f"argv: {self.argv}\nreturncode: {self.proc.poll()}\n"
                f"stderr:\n" + "\n".join(self.err_lines[-40:]) +
                "\nevents:\n" + "\n".join(json.dumps(e)[:300] for e in self.events[-20:]))

    def stop(self, timeout=scaled(10)):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)
            raise AssertionError("sitecare events ignored SIGTERM\n" + self.describe())
        finally:
            self._out_done.wait(timeout=5)

    def wait_exit(self, timeout=scaled(30)):
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError("sitecare events did not exit\n" + self.describe())
        # Both pipes are read to the end before anyone looks at them.
        self._out_done.wait(timeout=5)
        self._err_done.wait(timeout=5)
        return rc


class SilentStream:
    """An HTTPS server whose event stream goes silent without closing.

    Each GET /api/v1/events gets a 200 `text/event-stream` answer with the
    next of `chunks` (the last repeats), then nothing at all: no byte, no
    ping, no close, until the client hangs up. The request headers of each
    connection are kept in `requests` (lower-case names), so a test sees the
    Last-Event-ID of every reconnection.
    """

    def __init__(self, cert, key, chunks):
        import socket
        import ssl

        self.chunks = [c.encode() if isinstance(c, str) else c for c in chunks]
        self.requests = []
        self._stop = threading.Event()
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(str(cert), str(key))
        raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        raw.bind(("127.0.0.1", 0))
        raw.listen(8)
        raw.settimeout(0.2)
        self._sock = raw
        self._ctx = ctx
        self.url = f"https://127.0.0.1:{raw.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        import socket

        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        try:
            conn.settimeout(10)
            tls = self._ctx.wrap_socket(conn, server_side=True)
            data = b""
            while b"\r\n\r\n" not in data:
                more = tls.recv(4096)
                if not more:
                    return
                data += more
            lines = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
            headers = {"request-line": lines[0]}
            for line in lines[1:]:
                k, _, v = line.partition(":")
                headers[k.strip().lower()] = v.strip()
            n = len(self.requests)
            self.requests.append(headers)
            chunk = self.chunks[min(n, len(self.chunks) - 1)]
            tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                        b"Cache-Control: no-cache\r\nConnection: close\r\n\r\n" + chunk)
            tls.settimeout(0.5)
            while not self._stop.is_set():  # silence until the client leaves
                try:
                    if not tls.recv(4096):
                        return
                except (TimeoutError, OSError) as e:
                    if "timed out" not in str(e):
                        return
        except OSError:
            return
        finally:
            conn.close()

    def close(self):
        self._stop.set()
        self._sock.close()

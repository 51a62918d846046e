"""A tiny scripted HTTPS server that misbehaves on purpose.

`FaultServer(cert, key)` listens on a free loopback port with the reference
service's certificate (so the client verifies it against the service's CA)
and answers each path from a script the test sets:

    fs.script("/api/v1/me", (503, {}, b""), (200, {}, b'{"ok": true}'))

Answers are used in order; the last one repeats. A body may be bytes, or
`ENDLESS` (bytes forever, no Content-Length, until the client hangs up),
or `("huge", n)` (a Content-Length of n, then bytes until the client hangs
up), or a callable (called with the request handler, it writes the whole
answer itself: streams, stalls). Every request is recorded (`fs.requests`,
`fs.count(path)`) with its method, path, headers, body and query, and the
connection it came on (`conn`: 1, 2, ... as connections open, each after
its TLS handshake; `fs.connections` counts them).
`/api/v1/auth/csrf` answers as Django does unless scripted otherwise,
setting a csrftoken cookie (`fs.csrf_token`). Other unscripted requests
get a 404 from `_fallback(seen)`, which a subclass may override
(helpers/hostile_server.py serves the whole contract that way).
"""

import http.server
import json
import ssl
import threading
from dataclasses import dataclass, field
from urllib.parse import urlsplit

ENDLESS = "endless"
CHUNK = b"x" * 65536


def trickle_then_stall(release, announced=1000, first=b"0123456789"):
    """A scripted body: a 200 announcing `announced` bytes, the `first`
    of them, then silence until the threading.Event `release` is set."""
    def answer(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/octet-stream")
        handler.send_header("Content-Length", str(announced))
        handler.end_headers()
        handler.wfile.write(first)
        handler.wfile.flush()
        release.wait()
    return answer


@dataclass
class Seen:
    method: str
    path: str
    headers: dict
    body: bytes = field(default=b"")
    query: str = ""
    conn: int = 0


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def setup(self):  # once per connection, its handshake done
        super().setup()
        self.conn = self.server.fault._connected()

    def _any(self):
        fs = self.server.fault
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = urlsplit(self.path).path
        seen = Seen(self.command, path, dict(self.headers.items()), body,
                    urlsplit(self.path).query, self.conn)
        fs._record(seen)
        status, headers, payload = fs._next(path, seen)
        try:
            self._answer(status, headers, payload)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            self.close_connection = True

    def _answer(self, status, headers, payload):
        if callable(payload):
            self.close_connection = True
            payload(self)
            return
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        if payload == ENDLESS or isinstance(payload, tuple):
            if isinstance(payload, tuple):
                self.send_header("Content-Length", str(payload[1]))
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            while True:  # until the client hangs up
                self.wfile.write(CHUNK)
        if "Content-Type" not in headers:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _any


class FaultServer:
    def __init__(self, cert, key):
        self.requests = []
        self.connections = 0
        self.csrf_token = "faultcsrf0123456789abcdefghijklmnopqrstuvwxyzABCDEF"
        self._scripts = {}
        self._lock = threading.Lock()
        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.fault = self
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        self._httpd.socket = ctx.wrap_socket(self._httpd.socket, server_side=True)
        self.port = self._httpd.server_address[1]
        self.url = f"https://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def script(self, path, *answers):
        """Answers for path (under the server root, e.g. /api/v1/me)."""
        norm = []
        for status, headers, body in answers:
            if isinstance(body, (dict, list)):
                body = json.dumps(body).encode()
            elif isinstance(body, str) and body != ENDLESS:
                body = body.encode()
            norm.append((status, dict(headers), body))
        with self._lock:
            self._scripts[path] = norm

    def count(self, path, method=None):
        with self._lock:
            return sum(1 for r in self.requests
                       if r.path == path and (method is None or r.method == method))

    def seen(self, path):
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def _connected(self):
        with self._lock:
            self.connections += 1
            return self.connections

    def _record(self, seen):
        with self._lock:
            self.requests.append(seen)

    def _next(self, path, seen=None):
        with self._lock:
            answers = self._scripts.get(path)
            if answers:
                return answers.pop(0) if len(answers) > 1 else answers[0]
        return self._fallback(seen if seen is not None else Seen("GET", path, {}))

    def _fallback(self, seen):
        """The answer to an unscripted request: CSRF as Django, else 404."""
        path = seen.path
        if path == "/api/v1/auth/csrf":
            return (200, {"Set-Cookie": f"csrftoken={self.csrf_token}; Path=/; Secure; SameSite=Lax"},
                    json.dumps({"csrf_token": self.csrf_token}).encode())
        return (404, {}, b'{"error": {"code": "not_found", "message": "Not found."}}')

    def close(self):
        self._httpd.shutdown()
        self._httpd.server_close()

"""An HTTPS client for the staff API of the reference service.

`ApiSession` walks the Django session + CSRF flow of the contract
(`share/api/API.md`, "Authentication"): `GET /auth/csrf`, then unsafe
requests with `X-CSRFToken` and a same-origin `Referer`, picking up rotated
cookies as the server sets them. The server's certificate is always
verified against the service's throwaway CA; there is no way to turn that
off here.

Every request returns a `Response`, which unpacks as
`(status, headers, data)`: `data` is the parsed JSON when the body is JSON,
otherwise the body's bytes (`None` when empty). `events()` opens the
Server-Sent Events stream and parses it incrementally with socket timeouts,
so a silent server fails a test instead of hanging it.
"""

import base64
import gzip
import http.client
import io
import json as jsonlib
import re
import socket
import ssl
import time
import uuid
import zlib
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any, Optional
from urllib.parse import urlencode, urlsplit

from .accounts import PASSWORD

API_PREFIX = "/api/v1"
DEFAULT_TIMEOUT = 20.0
_MISSING = object()
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def new_msg_id():
    """A fresh uuid v4 string, for `client_msg_id`."""
    return str(uuid.uuid4())


class Response(tuple):
    """(status, headers, data) with the raw bodies kept as attributes.

    `headers` is an `http.client.HTTPMessage` (case-insensitive; use
    `get_all` for repeated headers). `body` is the decoded body (after
    gzip), `wire` what came over the socket.
    """

    def __new__(cls, method, path, status, headers, data, body, wire):
        self = tuple.__new__(cls, (status, headers, data))
        self.method, self.path = method, path
        self.status, self.headers, self.data = status, headers, data
        self.body, self.wire = body, wire
        return self

    @property
    def error(self):
        """The `error` object of an error body, or {}."""
        if isinstance(self.data, dict) and isinstance(self.data.get("error"), dict):
            return self.data["error"]
        return {}

    @property
    def code(self):
        """The error code (`error.code`), or None."""
        return self.error.get("code")

    def json(self):
        if isinstance(self.data, (dict, list)):
            return self.data
        raise AssertionError(f"{self.method} {self.path}: not JSON: {self!r}")

    def __repr__(self):
        text = self.body[:600] if isinstance(self.body, bytes) else b""
        return (f"<{self.method} {self.path} -> {self.status} "
                f"{text.decode('utf-8', 'replace')!r}>")


def _parse_body(headers, body):
    if not body:
        return None
    ctype = (headers.get("Content-Type") or "").lower()
    if "json" in ctype:
        try:
            return jsonlib.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return body
    return body


class ApiSession:
    """One browser-like session against the service (cookie jar + CSRF).

    `base` is the service's URL (`https://127.0.0.1:PORT`), `ca` the path of
    its CA certificate. Paths given to the request methods are relative to
    `/api/v1` unless they start with `/api/`.
    """

    def __init__(self, base, ca, timeout=DEFAULT_TIMEOUT):
        u = urlsplit(base)
        if u.scheme != "https":
            raise ValueError("the API is HTTPS only")
        self.base = base.rstrip("/")
        self.host = u.hostname
        self.port = u.port or 443
        self.origin = f"https://{u.netloc}"
        self.ca = str(ca)
        self.timeout = timeout
        self.ctx = ssl.create_default_context(cafile=self.ca)
        # Verification stays on: CERT_REQUIRED and hostname checking.
        assert self.ctx.verify_mode == ssl.CERT_REQUIRED
        assert self.ctx.check_hostname
        self.cookies = {}
        self.cookie_log = []  # (name, value, attributes) of every Set-Cookie seen
        self.last = None

    # -- cookies ---------------------------------------------------------

    @property
    def csrftoken(self):
        return self.cookies.get("csrftoken")

    def cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def _store_cookies(self, headers):
        for line in headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            try:
                jar.load(line)
            except Exception:  # a malformed cookie: keep the raw line for tests
                self.cookie_log.append((line.split("=", 1)[0].strip(), None, line))
                continue
            for name, morsel in jar.items():
                self.cookie_log.append((name, morsel.value, line))
                max_age = morsel["max-age"]
                expires = morsel["expires"]
                gone = morsel.value == "" or (
                    str(max_age).strip() not in ("",) and _int(max_age, 1) <= 0
                ) or ("1970" in str(expires))
                if gone:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    # -- requests --------------------------------------------------------

    def url_path(self, path, params=None):
        if not path.startswith("/api/"):
            path = API_PREFIX + (path if path.startswith("/") else "/" + path)
        if params:
            items = {k: v for k, v in params.items() if v is not None}
            if items:
                path += ("&" if "?" in path else "?") + urlencode(items)
        return path

    def request(self, method, path, json=_MISSING, body=None, headers=None,
                params=None, csrf=True, referer=True, gzip_ok=False,
                accept="application/json", timeout=None):
        """Sends one request; returns a `Response`.

        csrf: True sends the `csrftoken` cookie as `X-CSRFToken` on unsafe
        methods, False omits the header, a string sends that string.
        referer: True sends `https://host:port/` on unsafe methods, False
        omits it, a string sends that string (on any method).
        """
        method = method.upper()
        full = self.url_path(path, params)
        h = {"Host": f"{self.host}:{self.port}"}
        if accept:
            h["Accept"] = accept
        if gzip_ok:
            h["Accept-Encoding"] = "gzip"
        if json is not _MISSING:
            body = jsonlib.dumps(json).encode("utf-8")
            h["Content-Type"] = "application/json"
        if body is not None and "Content-Type" not in h:
            h["Content-Type"] = "application/json"
        if self.cookies:
            h["Cookie"] = self.cookie_header()
        if method in UNSAFE:
            if csrf is True and self.csrftoken:
                h["X-CSRFToken"] = self.csrftoken
            elif isinstance(csrf, str):
                h["X-CSRFToken"] = csrf
            if referer is True:
                h["Referer"] = self.origin + "/"
        if isinstance(referer, str):
            h["Referer"] = referer
        for k, v in (headers or {}).items():
            if v is None:
                h.pop(k, None)
            else:
                h[k] = v
        conn = http.client.HTTPSConnection(self.host, self.port, context=self.ctx,
                                           timeout=timeout or self.timeout)
        try:
            conn.putrequest(method, full, skip_host=True,
                            skip_accept_encoding="Accept-Encoding" in h)
            for k, v in h.items():
                conn.putheader(k, v)
            if body is not None:
                conn.putheader("Content-Length", str(len(body)))
            elif method in UNSAFE:
                conn.putheader("Content-Length", "0")
            conn.endheaders(body)
            resp = conn.getresponse()
            wire = resp.read()
            status, hdrs = resp.status, resp.msg
        finally:
            conn.close()
        self._store_cookies(hdrs)
        data_bytes = wire
        if (hdrs.get("Content-Encoding") or "").lower() == "gzip" and wire:
            data_bytes = gzip.decompress(wire)
        r = Response(method, full, status, hdrs,
                     _parse_body(hdrs, data_bytes), data_bytes, wire)
        self.last = r
        return r

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, json=_MISSING, **kw):
        return self.request("POST", path, json=json, **kw)

    def put(self, path, json=_MISSING, **kw):
        return self.request("PUT", path, json=json, **kw)

    def patch(self, path, json=_MISSING, **kw):
        return self.request("PATCH", path, json=json, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    # -- the auth flow ---------------------------------------------------

    def csrf(self):
        """GET /auth/csrf; the cookie jar then holds `csrftoken`."""
        return self.get("/auth/csrf")

    def login(self, email, password=PASSWORD, **kw):
        """The staff login (fetches a CSRF token first when there is none)."""
        if not self.csrftoken:
            self.csrf()
        return self.post("/auth/login", json={"email": email, "password": password}, **kw)

    def client_login(self, email, password=PASSWORD, **kw):
        """The dashboard's client login, `POST /client/auth/login`."""
        if not self.csrftoken:
            self.csrf()
        return self.post("/client/auth/login",
                         json={"email": email, "password": password}, **kw)

    def logout(self):
        return self.post("/auth/logout")

    # -- helpers over the API --------------------------------------------

    def ok(self, method, path, status=200, **kw):
        """A request that must answer `status`; returns its data."""
        r = self.request(method, path, **kw)
        assert r.status == status, f"expected {status}: {r!r}"
        return r.data

    def walk(self, path, params=None, limit=None, max_pages=1000):
        """Follows `next` cursors; returns (all results, list of pages)."""
        params = dict(params or {})
        if limit is not None:
            params["limit"] = limit
        pages, results, cursor = [], [], None
        for _ in range(max_pages):
            p = dict(params)
            if cursor is not None:
                p["cursor"] = cursor
            r = self.get(path, params=p)
            assert r.status == 200, f"walking {path}: {r!r}"
            assert isinstance(r.data, dict) and "results" in r.data and "next" in r.data, r
            pages.append(r.data)
            results.extend(r.data["results"])
            cursor = r.data["next"]
            if cursor is None:
                return results, pages
        raise AssertionError(f"{path}: more than {max_pages} pages")

    def all(self, path, params=None, limit=500):
        return self.walk(path, params=params, limit=limit)[0]

    # -- events ------------------------------------------------------------

    def events(self, last_event_id=None, timeout=10.0, settle=True, headers=None,
               path="/events"):
        """Opens `GET /events` as a Server-Sent Events stream.

        With `settle`, waits (up to 3 s) for the first ping or event so that
        the server is surely streaming before the test acts.
        """
        return EventStream(self, last_event_id=last_event_id, timeout=timeout,
                           settle=settle, headers=headers, path=path)

    def raw_socket(self, timeout):
        sock = socket.create_connection((self.host, self.port), timeout=timeout)
        return self.ctx.wrap_socket(sock, server_hostname=self.host)


def _int(v, default):
    try:
        return int(str(v).strip())
    except ValueError:
        return default


@dataclass
class Event:
    """One dispatched SSE event; `data` is parsed JSON when it parses."""
    id: Optional[str]
    event: str
    data: Any
    raw: str
    at: float = field(default_factory=time.monotonic)

    @property
    def int_id(self):
        return int(self.id) if self.id is not None and self.id.isdigit() else None


@dataclass
class Comment:
    """An SSE comment line, e.g. `: ping` gives Comment(text='ping')."""
    text: str
    at: float = field(default_factory=time.monotonic)


class EventStream:
    """An incremental SSE reader over one TLS connection.

    `status` and `headers` hold the response head; for a non-200 answer,
    `data` holds the (parsed) body and no events are read. `history` keeps
    every event received, `comments` every comment line.
    """

    def __init__(self, session, last_event_id=None, timeout=10.0, settle=True,
                 headers=None, path="/events"):
        self.session = session
        self.timeout = timeout
        self.history, self.comments = [], []
        self._ready = []
        self._wire = b""
        self._lines = b""
        self._chunk_left = None  # None: expecting a size line; int: bytes left; -1: CRLF
        self._eof = False
        self._ev = {"id": None, "event": None, "data": []}
        self._gunzip = None
        self.data = None
        deadline = time.monotonic() + timeout
        self.sock = session.raw_socket(timeout)
        full = session.url_path(path)
        h = {
            "Host": f"{session.host}:{session.port}",
            "Accept": "text/event-stream",
            "Cache-Control": "no-cache",
            "Accept-Encoding": "identity",
        }
        if session.cookies:
            h["Cookie"] = session.cookie_header()
        if last_event_id is not None:
            h["Last-Event-ID"] = str(last_event_id)
        for k, v in (headers or {}).items():
            if v is None:
                h.pop(k, None)
            else:
                h[k] = v
        req = f"GET {full} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in h.items()) + "\r\n"
        self.sock.sendall(req.encode("latin-1"))
        while b"\r\n\r\n" not in self._wire:
            if not self._recv(deadline):
                self.close()
                raise AssertionError(f"GET /events: no response head within {timeout}s "
                                     f"(got {self._wire[:200]!r})")
        head, self._wire = self._wire.split(b"\r\n\r\n", 1)
        status_line, _, rest = head.partition(b"\r\n")
        m = re.match(rb"HTTP/1\.[01] (\d{3})", status_line)
        assert m, f"bad status line {status_line!r}"
        self.status = int(m.group(1))
        self.headers = http.client.parse_headers(io.BytesIO(rest + b"\r\n\r\n"))
        self.chunked = "chunked" in (self.headers.get("Transfer-Encoding") or "").lower()
        if (self.headers.get("Content-Encoding") or "").lower() == "gzip":
            self._gunzip = zlib.decompressobj(16 + zlib.MAX_WBITS)
        if self.status != 200:
            self._read_error_body(deadline)
            return
        if settle:
            first = self.next(timeout=3.0, comments=True)
            if isinstance(first, Event):
                self._ready.insert(0, first)  # settling never swallows an event

    # -- low level --------------------------------------------------------

    def _recv(self, deadline):
        """Reads once; False on timeout or end of stream."""
        left = deadline - time.monotonic()
        if left <= 0 or self._eof:
            return False
        self.sock.settimeout(left)
        try:
            chunk = self.sock.recv(65536)
        except (socket.timeout, TimeoutError, ssl.SSLWantReadError):
            return False
        except (ConnectionError, ssl.SSLError, OSError):
            self._eof = True
            return False
        if not chunk:
            self._eof = True
            return False
        self._wire += chunk
        return True

    def _decode(self):
        """Moves complete body bytes from `_wire` into `_lines`."""
        if not self.chunked:
            out, self._wire = self._wire, b""
        else:
            out = b""
            while True:
                if self._chunk_left is None:
                    i = self._wire.find(b"\r\n")
                    if i < 0:
                        break
                    size = int(self._wire[:i].split(b";")[0].strip() or b"0", 16)
                    self._wire = self._wire[i + 2:]
                    if size == 0:
                        self._eof = True
                        break
                    self._chunk_left = size
                elif self._chunk_left == -1:
                    if len(self._wire) < 2:
                        break
                    self._wire = self._wire[2:]
                    self._chunk_left = None
                else:
                    if not self._wire:
                        break
                    take = self._wire[:self._chunk_left]
                    self._wire = self._wire[len(take):]
                    out += take
                    self._chunk_left -= len(take)
                    if self._chunk_left == 0:
                        self._chunk_left = -1
        if self._gunzip is not None and out:
            out = self._gunzip.decompress(out)
        self._lines += out

    def _read_error_body(self, deadline):
        length = self.headers.get("Content-Length")
        body = b""
        while True:
            self._decode()
            body += self._lines
            self._lines = b""
            if self._eof or (length is not None and len(body) >= int(length)):
                break
            if not self._recv(deadline):
                self._decode()
                body += self._lines
                break
        self.body = body
        self.data = _parse_body(self.headers, body)
        self.close()

    def _parse(self):
        """Turns complete lines into ready events and comments."""
        while True:
            i = self._lines.find(b"\n")
            if i < 0:
                return
            line = self._lines[:i].rstrip(b"\r").decode("utf-8", "replace")
            self._lines = self._lines[i + 1:]
            if line == "":
                ev = self._ev
                if ev["data"] or ev["event"] is not None or ev["id"] is not None:
                    raw = "\n".join(ev["data"])
                    try:
                        data = jsonlib.loads(raw)
                    except ValueError:
                        data = raw
                    e = Event(ev["id"], ev["event"] or "message", data, raw)
                    self.history.append(e)
                    self._ready.append(e)
                self._ev = {"id": None, "event": None, "data": []}
            elif line.startswith(":"):
                c = Comment(line[1:].strip())
                self.comments.append(c)
                self._ready.append(c)
            else:
                name, _, value = line.partition(":")
                if value.startswith(" "):
                    value = value[1:]
                if name == "data":
                    self._ev["data"].append(value)
                elif name == "event":
                    self._ev["event"] = value
                elif name == "id":
                    self._ev["id"] = value

    # -- reading ----------------------------------------------------------

    def next(self, timeout=5.0, comments=False):
        """The next event (or comment, with `comments`), None on timeout/EOF."""
        deadline = time.monotonic() + timeout
        while True:
            while self._ready:
                item = self._ready.pop(0)
                if comments or isinstance(item, Event):
                    return item
            self._decode()
            self._parse()
            if self._ready:
                continue
            if not self._recv(deadline):
                self._decode()
                self._parse()
                if not self._ready:
                    return None

    def wait_for(self, pred, timeout=5.0, what="event"):
        """Reads until an event matches `pred`; returns (match, events before it)."""
        deadline = time.monotonic() + timeout
        seen = []
        while True:
            e = self.next(timeout=max(0.0, deadline - time.monotonic()))
            if e is None:
                raise AssertionError(
                    f"no {what} within {timeout}s; got: "
                    + "; ".join(f"{x.id}:{x.event}" for x in seen)[-2000:])
            if pred(e):
                return e, seen
            seen.append(e)

    def collect(self, seconds):
        """Every event arriving within `seconds`."""
        deadline = time.monotonic() + seconds
        out = []
        while True:
            e = self.next(timeout=max(0.0, deadline - time.monotonic()))
            if e is None:
                return out
            out.append(e)

    def wait_ping(self, timeout=5.0):
        deadline = time.monotonic() + timeout
        while True:
            item = self.next(timeout=max(0.0, deadline - time.monotonic()), comments=True)
            if item is None:
                return None
            if isinstance(item, Comment) and item.text == "ping":
                return item

    @property
    def closed_by_server(self):
        return self._eof

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __iter__(self):
        while True:
            e = self.next(timeout=self.timeout)
            if e is None:
                return
            yield e


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")

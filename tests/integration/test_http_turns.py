"""HTTP/1.1 requests take turns on one kept-alive connection (net/client/http.c).

turns_probe.c sends GET requests through the client's own layers against
a FaultServer (fault_server.py) that numbers the connections it accepts
and holds an answer for `?hold=MS`. Quick requests, at once or one
after another, must all travel on one connection (one TLS handshake); a
request held longer than a turn (500 ms) lets the next one open a
connection of its own; and there are never more than six.

Under valgrind (SITECARE_VALGRIND=1) a TLS handshake alone can outlast a
turn, so the quick burst starts on a warm connection there, and the
spacing of the turns (a timing, not a count) is checked only without it.
"""

import subprocess
import time
from pathlib import Path

import pytest

from helpers.hostile_server import make_certificates
from helpers.probe import build_probe
from integration.cli import MEMCHECK, scaled
from integration.fault_server import FaultServer

PROBE_SRC = Path(__file__).with_name("turns_probe.c")
TURN = 0.5  # net/client/http.c HTTP_TURN_MS
MAX_PARALLEL = 6  # net/client/http.c HTTP_MAX_PARALLEL


class TurnServer(FaultServer):
    """Answers every unscripted request 200, after `?hold=MS`, and keeps
    when each was held: `held[path] = (conn, start, end)`."""

    def __init__(self, cert, key):
        super().__init__(cert, key)
        self.held = {}

    def _fallback(self, seen):
        start = time.monotonic()
        hold = dict(p.split("=", 1) for p in seen.query.split("&") if "=" in p)
        # The server being slow on purpose, not a wait for an outcome.
        time.sleep(int(hold.get("hold", "0")) / 1000)
        with self._lock:
            self.held[seen.path] = (seen.conn, start, time.monotonic())
        return (200, {}, b'{"ok": true}')

    def busiest(self):
        """The most answers the server was holding at one moment."""
        with self._lock:
            spans = list(self.held.values())
        return max(sum(1 for _, s, e in spans if s <= start < e)
                   for _, start, _ in spans)


@pytest.fixture(scope="session")
def probe(sitecare_bin, tmp_path_factory):
    return build_probe(PROBE_SRC, sitecare_bin, tmp_path_factory.mktemp("turns"))


@pytest.fixture(scope="module")
def tls(tmp_path_factory):
    return make_certificates(tmp_path_factory.mktemp("turns-tls"))


@pytest.fixture
def server(tls):
    s = TurnServer(tls / "server.pem", tls / "server.key")
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def send(probe, server, tls, tmp_path):
    """send(*steps) runs the probe against the server; it returns
    {path: (status, sent_s, done_s)} for every request, the path without
    its query."""

    def run(*steps):
        r = subprocess.run([str(probe), server.url, str(tls / "ca.pem"),
                            str(tmp_path), *steps],
                           capture_output=True, text=True, timeout=scaled(60))
        assert r.returncode == 0, (r.stdout, r.stderr)
        assert "runtime error" not in r.stderr, r.stderr
        lines = r.stdout.splitlines()
        assert lines and lines[-1] == "end", lines
        done = {}
        for line in lines[:-1]:
            word, path, status, sent, at = line.split()
            assert word == "done", line
            done[path.split("?")[0]] = (int(status), int(sent) / 1000,
                                        int(at) / 1000)
        return done

    return run


def api(path):
    """The server's path of a probe step."""
    return "/api/v1" + path.split("?")[0]


def test_http_turns__quick_requests_share_one_connection(send, server):
    warm = ["/warm", "wait"] if MEMCHECK.enabled else []
    burst = [f"/quick/{i}" for i in range(1, 6)]
    done = send(*warm, *burst, "wait", "/after/1", "wait", "/after/2")
    assert len(done) == len(warm) // 2 + len(burst) + 2, done
    assert all(status == 200 for status, _, _ in done.values()), done
    assert server.connections == 1, server.requests
    assert {s.conn for s in server.requests} == {1}
    # Taking turns, oldest first: in the order they were sent.
    order = [s.path for s in server.requests
             if s.path.startswith("/api/v1/quick/")]
    assert order == [api(p) for p in burst]


def test_http_turns__slow_answer_lets_the_next_open_its_own(send, server):
    hold = scaled(1.5)
    done = send(f"/slow?hold={int(hold * 1000)}", "/quick")
    (slow, slow_sent, slow_done), (quick, _, quick_done) = \
        done["/slow"], done["/quick"]
    assert slow == quick == 200, done
    assert server.connections == 2, server.requests
    assert server.held[api("/slow")][0] != server.held[api("/quick")][0]
    # The quick one waited out the slow one's turn, but not its answer.
    assert quick_done - slow_sent >= TURN, done
    assert quick_done < slow_done and quick_done - slow_sent < hold, done
    if not MEMCHECK.enabled:
        assert quick_done - slow_sent < TURN + 0.25, done


@pytest.mark.slow
def test_http_turns__never_more_than_six_connections(send, server):
    # Held long enough that the sixth starts (5 turns in) while the first
    # is still held; the seventh must then wait for an answer. Under the
    # client's stall limit (30 s without a byte) even when scaled.
    hold = int(min(scaled(3.2), 20) * 1000)
    paths = [f"/slow/{i}" for i in range(1, MAX_PARALLEL + 2)]
    done = send(*(f"{p}?hold={hold}" for p in paths))
    assert all(done[p][0] == 200 for p in paths), done
    assert server.connections == MAX_PARALLEL, server.requests
    assert server.busiest() == MAX_PARALLEL
    held = sorted(server.held.values(), key=lambda h: h[1])
    first_six, seventh = held[:MAX_PARALLEL], held[MAX_PARALLEL]
    assert len({conn for conn, _, _ in first_six}) == MAX_PARALLEL
    # The seventh came on a connection whose answer had been sent.
    conn, start, _ = seventh
    freed = [end for c, _, end in first_six if c == conn]
    assert freed and freed[0] <= start, held
    if not MEMCHECK.enabled:
        # One new connection a turn, not a burst of them.
        for (_, a, _), (_, b, _) in zip(first_six, first_six[1:]):
            assert TURN - 0.1 <= b - a < TURN + 0.25, held

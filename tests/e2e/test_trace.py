"""The detailed trace every terminal test keeps (SITECARE_TRACE with
SITECARE_TRACE_DETAIL, net/base/trace.h): each request's start and end,
libcurl's account of it, the actions run. A wait that times out prints
its tail, so it must say where a request stopped; and it must never hold
the session, a header, a query string or what was typed.
"""

import re
import uuid

import pytest

from e2e.test_chat import CARLA, open_chat, open_conversation
from e2e.tmux import ScreenTimeout


def secrets_of(home):
    """Every cookie value the client keeps in its jar."""
    values = set()
    for path in home.rglob("*"):
        if path.is_file():
            for line in path.read_text(errors="replace").splitlines():
                fields = line.split("\t")
                if len(fields) == 7 and len(fields[6]) >= 16:
                    values.add(fields[6])
    return values


def test_trace__requests_and_actions_named__nothing_secret(tui, accounts):
    t = open_chat(tui)
    open_conversation(t)
    body = "traced? no " + uuid.uuid4().hex[:8]
    t.send("r")
    t.wait_text("reply to Carla Client:")
    t.type(body)
    t.send("Enter")
    t.wait_text("message sent", timeout=20)
    with open(t.trace) as f:
        trace = f.read()
    starts = re.findall(r"^\S+ http\.start (0x[0-9a-f]+) (\w+) (\S+) ",
                        trace, re.M)
    paths = {(m, p) for _, m, p in starts}
    assert ("GET", "/api/v1/tasks") in paths, trace[-3000:]
    assert ("POST", "/api/v1/conversations/1/messages") in paths or any(
        m == "POST" and p.endswith("/messages") for m, p in paths), paths
    # Each request that started ended, under the same tag.
    ended = set(re.findall(r"^\S+ http\.end (0x[0-9a-f]+) ", trace, re.M))
    assert ended, trace[-3000:]
    assert re.search(r"^\S+ curl 0x[0-9a-f]+ .*connection", trace,
                     re.M | re.I), "libcurl's account is there"
    assert re.search(r"^\S+ action reply$", trace, re.M), trace[-3000:]
    # Nothing secret: no query, header, cookie, or typed text.
    assert "?" not in trace
    assert not re.search(r"cookie|csrf|h2h3", trace, re.I)
    assert body not in trace and body.split()[-1] not in trace
    jar = secrets_of(tui.home)
    assert jar, "the session's cookies are in the jar"
    for value in jar:
        assert value not in trace


def test_trace__timed_out_wait__names_the_request_in_flight(tui, service):
    """A wait that times out while a request hangs says first which
    request it was and whether the service began and answered it, so a
    report cut short still says where the time went."""
    t = open_chat(tui)
    service.ctl("delay", "8", "--match",
                r"^GET /api/v1/conversations/\d+/messages$")
    try:
        t.send("/")
        t.type(CARLA)
        t.send("Enter")
        t.wait_text("1 conversation")
        t.send("Enter")
        with pytest.raises(ScreenTimeout) as caught:
            t.wait_for(lambda s: f"Chat with {CARLA}" in s and
                       "loading" not in s, timeout=3)
    finally:
        service.ctl("delay", "0")
    first = str(caught.value).splitlines()[0]
    assert re.search(r"in flight: .*GET /api/v1/conversations/\d+/messages "
                     r"\(started [3-9]\.\ds ago\)", first), first
    # Other tests of this service may have asked for it before.
    begun, answered = map(int, re.search(
        r"/messages: begun (\d+), answered (\d+)", first).groups())
    assert begun == answered + 1, first
    # libcurl's handshake lines stay in the file, out of the message.
    assert "TLSv1" not in str(caught.value)

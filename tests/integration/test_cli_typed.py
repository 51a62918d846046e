"""The typed calls of net/client/api.h end to end, through api_probe.c.

The probe is compiled against the library next to the binary under test
(build/release or build/san, with the sanitizers then) and run against a
throwaway service, since it changes tasks and chat.
"""

import subprocess
from pathlib import Path

import pytest

from helpers.probe import build_probe
from helpers.accounts import PASSWORD, STAFF_EMAIL

PROBE_SRC = Path(__file__).with_name("api_probe.c")


@pytest.fixture(scope="session")
def probe(sitecare_bin, tmp_path_factory):
    return build_probe(PROBE_SRC, sitecare_bin, tmp_path_factory.mktemp("probe"))


def run_probe(probe, svc, state, *args, input=None):
    r = subprocess.run([str(probe), svc.url, svc.ca, str(state), *args],
                       input=input, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, (r.stdout, r.stderr)
    assert "runtime error" not in r.stderr, r.stderr
    return r.stdout.splitlines()


@pytest.fixture
def svc(fresh_service):
    return fresh_service()


@pytest.fixture
def signed_in(probe, svc, tmp_path):
    def login(role):
        out = run_probe(probe, svc, tmp_path, "login", STAFF_EMAIL[role],
                        input=PASSWORD + "\n")
        assert out[0] == "password wiped=1", out
        assert out[1].startswith(f"login ok {STAFF_EMAIL[role]} {role} "), out
        return tmp_path
    return login


@pytest.mark.fresh_service
def test_api_typed__every_call_as_admin(probe, svc, signed_in):
    state = signed_in("admin")
    out = run_probe(probe, svc, state, "typed")
    lines = {l.split()[0]: l for l in out}
    for name, want in (("tasks", "tasks ok n=5 next=1"),
                       ("conversations", "conversations ok n=1"),
                       ("billing_summary", "billing_summary ok months=12 currency=usd"),
                       ("subscriptions", "subscriptions ok amounts=1"),
                       ("invoices", "invoices ok n=1"),
                       ("task", "task ok"),
                       ("messages", "messages ok n=1"),
                       ("credentials", "credentials ok n=1"),
                       ("comment", "comment ok same=1"),
                       ("comment_again", "comment_again ok same=1"),
                       ("message", 'message ok body=probe "message"'),
                       ("mark_read", "mark_read ok")):
        assert lines.get(name, "").startswith(want), (name, out)
    assert lines["staff"].startswith("staff ok n=")
    assert lines["clients"] == "clients ok n=3"
    stale = lines["patch_stale"].split()
    assert stale[1] == "conflict" and stale[2] != "current=0", out
    version = int(stale[3].split("=")[1])
    assert lines["patch"] == f"patch ok version={version + 1}", out


@pytest.mark.fresh_service
def test_api_typed__support_sees_billing_forbidden(probe, svc, signed_in):
    state = signed_in("support")
    out = run_probe(probe, svc, state, "typed")
    lines = {l.split()[0]: l for l in out}
    assert lines["billing_summary"].startswith("billing_summary forbidden 403"), out
    assert lines["subscriptions"] == "subscriptions ok amounts=0", out
    assert lines["credentials"].startswith("credentials forbidden 403"), out


@pytest.mark.fresh_service
def test_api_typed__session_expired_event(probe, svc, signed_in):
    state = signed_in("technician")
    assert run_probe(probe, svc, state, "expired")[0].startswith("me ok")
    svc.ctl("expire-sessions")
    out = run_probe(probe, svc, state, "expired")
    assert out[0].startswith("me session_expired 401"), out
    assert out[1] == "expired events=1", out


@pytest.mark.fresh_service
def test_api_typed__not_signed_in_is_no_event(probe, svc, tmp_path):
    out = run_probe(probe, svc, tmp_path, "expired")
    assert out[0].startswith("me not_signed_in 401"), out
    assert out[1] == "expired events=0", out


@pytest.mark.fresh_service
def test_api_typed__cancelled_calls_never_call_back(probe, svc, signed_in):
    state = signed_in("manager")
    out = run_probe(probe, svc, state, "cancel")
    assert out == ["pending=2", "pending=0",
                   out[2]], out
    assert out[2].startswith(f"me ok {STAFF_EMAIL['manager']} manager"), out

"""Fixtures of the terminal tests: the real binary in tmux.

- `tui`: a factory that opens sitecare in a detached tmux at a given size,
  with a fresh HOME, pointed at the session's reference service;
  `signed_in=ROLE` first signs in from the command line, as staff do.
- `own_service(prefix)` and `tui_on(name)` make the same pair for a module
  that changes data the session's service must not see (staff keys,
  failed invoices): a throwaway demo service for the module, and a `tui`
  pointed at it.
- `client_says(accounts, body)`: the demo client writes in its
  conversation, as its browser would.
"""

import subprocess

import pytest

from conftest import _cleanup, _new_state
from e2e.tmux import Terminal
from helpers.api import new_msg_id
from helpers.service import Service, service_key

PASSWORD = "sitecare-demo"


class Tui:
    def __init__(self, sitecare_bin, service, home):
        self.bin, self.service, self.home = str(sitecare_bin), service, home
        self.home.mkdir(parents=True, exist_ok=True)
        self.env = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / "cfg"),
                    "XDG_STATE_HOME": str(home / "state"),
                    "XDG_DATA_HOME": str(home / "data")}
        self.terminals = []

    def flags(self):
        return ["--url", self.service.url, "--ca-file", str(self.service.ca)]

    def state_for_service(self, kind):
        """This service's folder of kind ("outbox", "drafts") in the state
        directory: each service has its own, named like its cookie jar."""
        return self.home / "state" / "sitecare" / kind / service_key(self.service.url)

    def login(self, role):
        r = subprocess.run([self.bin, *self.flags(), "login", "--email",
                            f"{role}@example.com", "--password-stdin"],
                           input=PASSWORD + "\n", capture_output=True,
                           text=True, env={**self.env, "PATH": "/usr/bin:/bin"},
                           timeout=60)
        assert r.returncode == 0, r.stderr

    def open(self, width=100, height=30, extra=(), signed_in=None):
        if signed_in:
            self.login(signed_in)
        t = Terminal([self.bin, *self.flags(), *extra], env=self.env,
                     width=width, height=height)
        t.service_says = self.service.said_of
        self.terminals.append(t)
        return t

    def close(self):
        errors = []
        for t in self.terminals:
            try:
                t.close()
            except AssertionError as e:
                errors.append(str(e))
        assert not errors, "\n".join(errors)


def client_says(accounts, body):
    """Posts body as the demo client; the stored message."""
    r = accounts.client().post("/client/conversation/messages",
                               json={"body": body,
                                     "client_msg_id": new_msg_id()})
    assert r.status == 201, r
    return r.data


@pytest.fixture
def tui(tmp_path, sitecare_bin, service):
    t = Tui(sitecare_bin, service, tmp_path / "home")
    try:
        yield t
    finally:
        t.close()


def own_service(prefix):
    """A module-scoped fixture: a throwaway demo service, stopped after."""
    @pytest.fixture(scope="module")
    def fixture():
        svc = Service(_new_state(prefix), seed="demo")
        try:
            svc.start()
            yield svc
        finally:
            _cleanup(svc)
    return fixture


def tui_on(service_fixture):
    """A `tui` fixture pointed at the service fixture of that name."""
    @pytest.fixture
    def fixture(tmp_path, sitecare_bin, request):
        svc = request.getfixturevalue(service_fixture)
        t = Tui(sitecare_bin, svc, tmp_path / "home")
        try:
            yield t
        finally:
            t.close()
    return fixture

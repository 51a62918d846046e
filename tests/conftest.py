"""Shared pytest fixtures for every sitecare test suite.

- `repo_root`, `sitecare_bin`: the repository and the client binary
  (`$SITECARE_BIN`, default `./sitecare`);
- `service`: one reference service per pytest session (demo data, pings
  every second), with `.url`, `.ca`, `.state`, `.ctl(...)`, `.stop()`,
  `.start()` (same port and state);
- `fresh_service`: a factory for throwaway services, for tests that need
  isolation (rate limiting, ...); each is stopped after its test;
- `accounts`: cached logged-in `ApiSession`s per role (`accounts.staff(role)`,
  `accounts.client()`), re-logged-in after a service restart;
- `demo`: facts about the demo data looked up through the API (staff ids,
  clients, assignments, ...).

Set SITECARE_KEEP_STATE=1 to keep the services' state directories.
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from helpers import ROOT
from helpers.accounts import CLIENT_EMAIL, PASSWORD, ROLES, STAFF_EMAIL
from helpers.service import SEEDED, Service, ServiceError


def pytest_collection_modifyitems(config, items):
    """Stretches pytest.ini's per-test timeout by SITECARE_TIMEOUT_SCALE, as
    the tests' own waits are (tests/integration/cli.py scaled()): under
    valgrind memcheck a test legitimately takes ten times as long."""
    scale = float(os.environ.get("SITECARE_TIMEOUT_SCALE") or 1)
    base = float(config.getini("timeout") or 0)
    if scale == 1 or not base:
        return
    for item in items:
        if item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(base * scale))


def pytest_sessionfinish(session, exitstatus):
    SEEDED.cleanup()  # the seeded databases helpers/service.py kept


@pytest.fixture(scope="session")
def repo_root():
    return ROOT


@pytest.fixture(scope="session")
def sitecare_bin():
    return Path(os.environ.get("SITECARE_BIN", ROOT / "sitecare")).resolve()


def _new_state(prefix):
    return Path(tempfile.mkdtemp(prefix=prefix))


def _cleanup(svc):
    try:
        svc.stop()
    finally:
        if not os.environ.get("SITECARE_KEEP_STATE"):
            shutil.rmtree(svc.state, ignore_errors=True)


@pytest.fixture(scope="session")
def service():
    svc = Service(_new_state("sitecare-service-"))
    try:
        svc.start()
    except ServiceError as e:
        _cleanup(svc)
        pytest.fail(f"the reference service did not start: {e}", pytrace=False)
    try:
        yield svc
    finally:
        _cleanup(svc)


@pytest.fixture
def fresh_service():
    """fresh_service(seed=None, *extra_args) -> a started, throwaway Service."""
    started = []

    def make(*extra_args, seed=None):
        svc = Service(_new_state("sitecare-fresh-"), seed=seed, extra_args=extra_args)
        started.append(svc)
        try:
            return svc.start()
        except ServiceError as e:
            pytest.fail(f"a fresh reference service did not start: {e}", pytrace=False)

    yield make
    for svc in started:
        _cleanup(svc)


class Accounts:
    """Logged-in sessions per demo account, made once and reused."""

    def __init__(self, service):
        self.service = service
        self._cache = {}
        self._me = {}

    def _fresh(self, key):
        s = self.service.session()
        if key == "client":
            r = s.client_login(CLIENT_EMAIL, PASSWORD)
        else:
            r = s.login(STAFF_EMAIL[key], PASSWORD)
        assert r.status == 200, f"login as {key}: {r!r}"
        s.login_data = r.data
        return s

    def _get(self, key):
        hit = self._cache.get(key)
        if hit is None or hit[0] != self.service.generation:
            hit = (self.service.generation, self._fresh(key))
            self._cache[key] = hit
        return hit[1]

    def staff(self, role):
        """The cached staff session for `role` (support, technician, ...)."""
        assert role in ROLES, role
        return self._get(role)

    def client(self):
        """The cached session of the demo client account."""
        return self._get("client")

    def new_staff(self, role):
        """A new, uncached staff session."""
        return self._fresh(role)

    def new_client(self):
        return self._fresh("client")

    def anon(self):
        return self.service.session()

    def forget(self, key):
        """Drops a cached session (e.g. after `ctl expire-sessions`)."""
        self._cache.pop(key, None)

    def me(self, role):
        """The `/me` of a staff role (cached)."""
        if role not in self._me:
            r = self.staff(role).get("/me")
            assert r.status == 200, r
            self._me[role] = r.data
        return self._me[role]


@pytest.fixture(scope="session")
def accounts(service):
    return Accounts(service)


class Demo:
    """Facts about the seeded demo data, looked up lazily through the API."""

    def __init__(self, accounts):
        self.accounts = accounts
        self._clients = None
        self._client_me = None
        self._tasks = None

    def staff_id(self, role):
        return self.accounts.me(role)["id"]

    @property
    def clients(self):
        if self._clients is None:
            self._clients = self.accounts.staff("admin").all("/clients")
        return self._clients

    def assigned_clients(self, role):
        sid = self.staff_id(role)
        return [c for c in self.clients if any(s["id"] == sid for s in c["assigned_staff"])]

    def unassigned_clients(self, role):
        sid = self.staff_id(role)
        return [c for c in self.clients if all(s["id"] != sid for s in c["assigned_staff"])]

    @property
    def tasks(self):
        """Every task as listed when first asked (ids and clients are stable)."""
        if self._tasks is None:
            self._tasks = self.accounts.staff("admin").all("/tasks")
        return self._tasks

    def task_ids(self):
        return [t["id"] for t in self.tasks]

    @property
    def client_account(self):
        """The body of the demo client's login: {"id", "name", "company"}."""
        if self._client_me is None:
            self._client_me = self.accounts.client().login_data
        return self._client_me


@pytest.fixture(scope="session")
def demo(accounts):
    return Demo(accounts)


# -- staff keys for credentials ----------------------------------------------

@pytest.fixture(scope="session")
def keyless_probe(accounts, demo):
    """What /me and a reveal answer BEFORE any staff key is registered.

    Every fixture or test that registers a key depends on `staff_keys`, which
    depends on this one, so the probe always runs first whatever the order
    of the tests. Returns {role: (me response, reveal response)} for the
    roles with `credentials.reveal`, using a credential of a client each is
    assigned to.
    """
    out = {}
    for role in ("technician", "admin"):
        s = accounts.staff(role)
        me = s.get("/me")
        client = demo.assigned_clients(role)[0]
        creds = s.get(f"/clients/{client['id']}/credentials")
        assert creds.status == 200 and creds.data["results"], creds
        cid = creds.data["results"][0]["id"]
        reveal = s.post(f"/credentials/{cid}/reveal", json={"purpose": "keyless probe"})
        out[role] = (me, reveal)
    return out


@pytest.fixture(scope="session")
def staff_keys(keyless_probe, accounts):
    """{role: nacl PrivateKey}, each public key registered with PUT /me/public-key."""
    import base64

    from nacl.public import PrivateKey

    keys = {}
    for role in ROLES:
        sk = PrivateKey.generate()
        pk = base64.b64encode(bytes(sk.public_key)).decode()
        r = accounts.staff(role).put("/me/public-key",
                                     json={"public_key": pk, "password": PASSWORD})
        assert r.status == 200, f"registering {role}'s key: {r!r}"
        keys[role] = sk
    return keys

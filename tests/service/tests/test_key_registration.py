"""Re-authenticated key registration (contract: `PUT /me/public-key`,
`GET /me/key-history`, `staff.key_changed`; issue #14).

A wrong password counts toward the per-address sign-in limit, and every
test comes from 127.0.0.1: wrong passwords are only ever sent to throwaway
services, never to the session's one.
"""

import base64
import json
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import pytest
from nacl.public import PrivateKey, SealedBox

from helpers.accounts import PASSWORD, ROLES, STAFF_EMAIL
from helpers.api import new_msg_id
from helpers.service import ServiceError
from helpers.contract import assert_error, assert_list_shape, assert_me, is_time, parse_time


def _b64(key):
    return base64.b64encode(bytes(key)).decode()


def _open(sk, sealed_b64):
    return json.loads(SealedBox(sk).decrypt(base64.b64decode(sealed_b64)).decode("utf-8"))


def _reveal(s, demo, role, purpose):
    client = demo.assigned_clients(role)[0]
    cred = s.get(f"/clients/{client['id']}/credentials").data["results"][0]
    r = s.post(f"/credentials/{cred['id']}/reveal", json={"purpose": purpose})
    assert r.status == 200, r
    return r.data["sealed"]


def _history(s):
    r = s.get("/me/key-history")
    assert r.status == 200, r
    assert_list_shape(r.data, "key history")
    for row in r.data["results"]:
        assert set(row) == {"public_key", "registered_at"}, row
        assert is_time(row["registered_at"]), row
    return s.all("/me/key-history")


@contextmanager
def _technician_key_restored(accounts, staff_keys):
    """The technician's session-wide key is registered again afterwards,
    as the other credential tests rely on it."""
    try:
        yield accounts.staff("technician")
    finally:
        r = accounts.staff("technician").put(
            "/me/public-key",
            json={"public_key": _b64(staff_keys["technician"].public_key), "password": PASSWORD})
        assert r.status == 200, r


@pytest.mark.parametrize("body", [{}, {"password": None}, {"password": ""}, {"password": 1234}])
def test_key_registration__without_password_gives_403_and_seals_to_the_old_key(
        accounts, demo, staff_keys, body):
    tech = accounts.staff("technician")
    old = _b64(staff_keys["technician"].public_key)
    before = tech.get("/me").data
    evil = PrivateKey.generate()
    r = tech.put("/me/public-key", json={"public_key": _b64(evil.public_key), **body})
    assert_error(r, 403, "reauth_required")
    after = tech.get("/me").data
    assert after["public_key"] == old, "the key was replaced without the password"
    assert after["public_key_registered_at"] == before["public_key_registered_at"]
    assert _history(tech)[0]["public_key"] == old
    sealed = _reveal(tech, demo, "technician", "after a refused key swap")
    assert set(_open(staff_keys["technician"], sealed)) >= {"username", "password"}
    with pytest.raises(Exception):
        _open(evil, sealed)


@pytest.mark.fresh_service
def test_key_registration__wrong_password_gives_403_and_counts_toward_the_login_limit(
        fresh_service):
    svc = fresh_service(seed="none")
    s = svc.session()
    assert s.login(STAFF_EMAIL["technician"]).status == 200
    me = s.get("/me").data
    assert me["public_key"] is None and me["public_key_registered_at"] is None, me
    assert _history(s) == []
    key = _b64(PrivateKey.generate().public_key)
    for i in range(5):
        r = s.put("/me/public-key", json={"public_key": key, "password": f"wrong-{i}"})
        assert_error(r, 403, "reauth_required")
    r = s.put("/me/public-key", json={"public_key": key, "password": "wrong-6"})
    assert_error(r, 429, "rate_limited")
    assert r.headers.get("Retry-After"), r
    # Over the limit, the right password does not get through either,
    # here or at sign-in: they are the same counters.
    r = s.put("/me/public-key", json={"public_key": key, "password": PASSWORD})
    assert_error(r, 429, "rate_limited")
    assert_error(svc.session().login(STAFF_EMAIL["technician"]), 429, "rate_limited")
    assert s.get("/me").data["public_key"] is None
    assert _history(s) == []


def test_key_registration__right_password_registers_and_keeps_the_history(
        accounts, staff_keys):
    old = _b64(staff_keys["technician"].public_key)
    new = _b64(PrivateKey.generate().public_key)
    with _technician_key_restored(accounts, staff_keys) as tech:
        r = tech.put("/me/public-key", json={"public_key": new, "password": PASSWORD})
        assert r.status == 200, r
        assert_me(r.data, "technician")
        assert r.data["public_key"] == new
        at = r.data["public_key_registered_at"]
        assert abs(datetime.now(timezone.utc) - parse_time(at)) < timedelta(minutes=5), at
        assert tech.get("/me").data["public_key_registered_at"] == at
        history = _history(tech)
        assert [h["public_key"] for h in history[:2]] == [new, old], history
        assert history[0]["registered_at"] == at
        times = [parse_time(h["registered_at"]) for h in history]
        assert times == sorted(times, reverse=True), "key history is not newest first"


def _register_by_api(service, s, key):
    r = s.put("/me/public-key", json={"public_key": key, "password": PASSWORD})
    assert r.status == 200, r
    return r.data["public_key_registered_at"]


def _register_by_ctl(service, s, key):
    out = service.ctl("set-public-key", STAFF_EMAIL["technician"], key)
    assert out["public_key"] == key, out
    return out["registered_at"]


@pytest.mark.events
@pytest.mark.parametrize("register", [_register_by_api, _register_by_ctl], ids=["api", "ctl"])
def test_key_registration__key_changed_reaches_that_member_only(
        service, accounts, demo, staff_keys, register):
    new = _b64(PrivateKey.generate().public_key)
    streams = {role: accounts.staff(role).events() for role in ROLES}
    try:
        with _technician_key_restored(accounts, staff_keys) as tech:
            at = register(service, tech, new)
            assert tech.get("/me").data["public_key"] == new
            assert _history(tech)[0] == {"public_key": new, "registered_at": at}
        marker = f"after the key change {new_msg_id()}"
        service.ctl("client-message", "--client-id", demo.client_account["id"], "--body", marker)
        for role, st in streams.items():
            _, before = st.wait_for(
                lambda e: e.event == "message.created" and e.data["message"]["body"] == marker,
                timeout=5.0, what=f"marker for {role}")
            changed = [e.data for e in before if e.event == "staff.key_changed"]
            if role == "technician":
                # Ours, then the restore's.
                assert changed[:1] == [{"public_key": new, "registered_at": at}], before
                assert len(changed) == 2, before
            else:
                assert not changed, f"{role} received the technician's staff.key_changed"
    finally:
        for st in streams.values():
            st.close()


@pytest.mark.fresh_service
def test_key_registration__ctl_set_public_key_replaces_the_key_and_refuses_bad_input(
        fresh_service):
    svc = fresh_service(seed="none")
    key = _b64(PrivateKey.generate().public_key)
    out = svc.ctl("set-public-key", STAFF_EMAIL["admin"], key)
    assert out["staff"]["email"] == STAFF_EMAIL["admin"] and out["public_key"] == key, out
    for args in ((STAFF_EMAIL["admin"], "AAAA"), ("nobody@example.com", key),
                 ("client@example.com", key)):
        with pytest.raises(ServiceError):
            svc.ctl("set-public-key", *args)
    s = svc.session()
    assert s.login(STAFF_EMAIL["admin"]).status == 200
    me = s.get("/me").data
    assert me["public_key"] == key and me["public_key_registered_at"] == out["registered_at"]
    assert _history(s) == [{"public_key": key, "registered_at": out["registered_at"]}]

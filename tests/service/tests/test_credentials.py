"""Credentials sealed to a staff member's X25519 key (contract: "Credentials")."""

import base64
import json
import re

import pytest
from nacl.public import PrivateKey, SealedBox

from helpers.accounts import PASSWORD
from helpers.contract import assert_error, assert_invalid, assert_list_shape, assert_me, is_time, \
    parse_time


def _creds(s, client_id):
    r = s.get(f"/clients/{client_id}/credentials")
    assert r.status == 200, r
    assert_list_shape(r.data, "credentials")
    return s.all(f"/clients/{client_id}/credentials")


def _open(sk, sealed_b64):
    return json.loads(SealedBox(sk).decrypt(base64.b64decode(sealed_b64)).decode("utf-8"))


def test_credentials__me_has_no_public_key_before_registering(keyless_probe):
    for role, (me, _) in keyless_probe.items():
        assert me.status == 200, me
        assert_me(me.data, role)
        assert me.data["public_key"] is None, f"{role} already has a key: {me.data}"


def test_credentials__reveal_before_public_key_gives_409_no_public_key(keyless_probe):
    for role, (_, reveal) in keyless_probe.items():
        assert_error(reveal, 409, "no_public_key")


def test_credentials__put_public_key_answers_me_with_the_key(accounts, staff_keys):
    s = accounts.staff("technician")
    pk = base64.b64encode(bytes(staff_keys["technician"].public_key)).decode()
    r = s.put("/me/public-key", json={"public_key": pk, "password": PASSWORD})
    assert r.status == 200, r
    assert_me(r.data, "technician")
    assert r.data["public_key"] == pk
    assert s.get("/me").data["public_key"] == pk


@pytest.mark.parametrize("value", [
    base64.b64encode(b"k" * 31).decode(),
    base64.b64encode(b"k" * 33).decode(),
    "not base64 at all!",
    "",
    None,
])
def test_credentials__put_bad_public_key_gives_422(accounts, staff_keys, value):
    s = accounts.staff("support")
    before = s.get("/me").data["public_key"]
    r = s.put("/me/public-key", json={"public_key": value})
    assert_invalid(r, "public_key")
    assert s.get("/me").data["public_key"] == before, "a refused key replaced the old one"


@pytest.mark.parametrize("role", ["support", "manager"])
def test_credentials__list_without_permission_gives_403_forbidden(accounts, demo, role):
    r = accounts.staff(role).get(f"/clients/{demo.clients[0]['id']}/credentials")
    assert_error(r, 403, "forbidden")


@pytest.mark.parametrize("role", ["technician", "admin"])
def test_credentials__list_shape_and_can_reveal_follows_assignment(accounts, demo, role):
    s = accounts.staff(role)
    for client in demo.assigned_clients(role)[:3]:
        creds = _creds(s, client["id"])
        assert creds, f"client {client['id']} has no credentials"
        for c in creds:
            assert set(c) >= {"id", "label", "site_url", "updated_at", "can_reveal"}, c
            assert isinstance(c["label"], str) and is_time(c["updated_at"]), c
            assert c["can_reveal"] is True, (role, client["id"], c)
            assert not {"username", "password", "notes", "secret"} & set(c), c
    for client in demo.unassigned_clients(role)[:3]:
        creds = _creds(s, client["id"])
        assert creds and all(c["can_reveal"] is False for c in creds), (role, client["id"], creds)


def test_credentials__list_of_unknown_client_gives_404(accounts):
    assert_error(accounts.staff("admin").get("/clients/987654321/credentials"), 404, "not_found")


@pytest.mark.parametrize("role", ["technician", "admin"])
def test_credentials__reveal_opens_with_the_private_key(accounts, demo, staff_keys, role):
    s = accounts.staff(role)
    client = demo.assigned_clients(role)[0]
    cred = _creds(s, client["id"])[0]
    r = s.post(f"/credentials/{cred['id']}/reveal", json={"purpose": f"task #{role}-1"})
    assert r.status == 200, r
    assert r.data["credential_id"] == cred["id"]
    plain = _open(staff_keys[role], r.data["sealed"])
    assert set(plain) >= {"username", "password", "notes"}, plain
    assert isinstance(plain["username"], str) and plain["username"]
    assert isinstance(plain["password"], str) and plain["password"]
    assert plain["notes"] is None or isinstance(plain["notes"], str)
    # The plaintext never travels in the clear, in the reveal or in the list.
    assert plain["password"].encode() not in r.body
    listing = s.get(f"/clients/{client['id']}/credentials")
    assert plain["password"].encode() not in listing.body


def test_credentials__sealed_box_is_only_for_the_registered_key(accounts, demo, staff_keys):
    s = accounts.staff("technician")
    cred = _creds(s, demo.assigned_clients("technician")[0]["id"])[0]
    r = s.post(f"/credentials/{cred['id']}/reveal", json={"purpose": "wrong key check"})
    assert r.status == 200, r
    with pytest.raises(Exception):
        _open(PrivateKey.generate(), r.data["sealed"])
    # A sealed box is fresh each time (ephemeral key).
    r2 = s.post(f"/credentials/{cred['id']}/reveal", json={"purpose": "wrong key check 2"})
    assert r2.status == 200 and r2.data["sealed"] != r.data["sealed"]
    assert _open(staff_keys["technician"], r2.data["sealed"]) == \
        _open(staff_keys["technician"], r.data["sealed"])


def test_credentials__reveal_after_key_change_uses_the_new_key(accounts, demo, staff_keys):
    s = accounts.staff("admin")
    cred = _creds(s, demo.assigned_clients("admin")[0]["id"])[0]
    new = PrivateKey.generate()
    pk = base64.b64encode(bytes(new.public_key)).decode()
    assert s.put("/me/public-key", json={"public_key": pk, "password": PASSWORD}).status == 200
    try:
        r = s.post(f"/credentials/{cred['id']}/reveal", json={"purpose": "rotated key"})
        assert r.status == 200, r
        assert set(_open(new, r.data["sealed"])) >= {"username", "password", "notes"}
        with pytest.raises(Exception):
            _open(staff_keys["admin"], r.data["sealed"])
    finally:
        old = base64.b64encode(bytes(staff_keys["admin"].public_key)).decode()
        assert s.put("/me/public-key",
                     json={"public_key": old, "password": PASSWORD}).status == 200


@pytest.mark.parametrize("role", ["technician", "admin"])
def test_credentials__reveal_for_unassigned_client_gives_403_not_assigned(
        accounts, demo, staff_keys, role):
    s = accounts.staff(role)
    client = demo.unassigned_clients(role)[0]
    cred = _creds(s, client["id"])[0]
    r = s.post(f"/credentials/{cred['id']}/reveal", json={"purpose": "not mine"})
    assert_error(r, 403, "not_assigned")
    assert "sealed" not in (r.data or {})


@pytest.mark.parametrize("role", ["support", "manager"])
def test_credentials__reveal_without_permission_gives_403_forbidden(
        accounts, demo, staff_keys, role):
    cred = _creds(accounts.staff("admin"), demo.clients[0]["id"])[0]
    r = accounts.staff(role).post(f"/credentials/{cred['id']}/reveal",
                                  json={"purpose": "curious"})
    assert_error(r, 403, "forbidden")


def test_credentials__reveal_unknown_credential_gives_404(accounts, staff_keys):
    r = accounts.staff("admin").post("/credentials/987654321/reveal", json={"purpose": "x"})
    assert_error(r, 404, "not_found")


def test_credentials__audit_lists_the_reveal_with_purpose(accounts, demo, staff_keys):
    tech = accounts.staff("technician")
    client = demo.assigned_clients("technician")[0]
    cred = _creds(tech, client["id"])[0]
    purpose = "task #123: restore the FTP account"
    r = tech.post(f"/credentials/{cred['id']}/reveal", json={"purpose": purpose})
    assert r.status == 200, r
    audit = accounts.staff("admin").get(f"/credentials/{cred['id']}/audit")
    assert audit.status == 200, audit
    assert_list_shape(audit.data, "audit")
    entries = accounts.staff("admin").all(f"/credentials/{cred['id']}/audit")
    mine = [e for e in entries if e["purpose"] == purpose]
    assert len(mine) == 1, entries
    e = mine[0]
    assert set(e) >= {"staff", "purpose", "at"}
    assert e["staff"]["id"] == demo.staff_id("technician") and e["staff"]["name"]
    assert is_time(e["at"])
    from datetime import datetime, timedelta, timezone
    assert abs(datetime.now(timezone.utc) - parse_time(e["at"])) < timedelta(minutes=5)


def test_credentials__refused_reveals_are_not_audited_as_reveals(accounts, demo, staff_keys):
    cred = _creds(accounts.staff("admin"), demo.unassigned_clients("technician")[0]["id"])[0]
    purpose = "should not be logged as a reveal"
    r = accounts.staff("technician").post(f"/credentials/{cred['id']}/reveal",
                                          json={"purpose": purpose})
    assert_error(r, 403, "not_assigned")
    entries = accounts.staff("admin").all(f"/credentials/{cred['id']}/audit")
    assert not [e for e in entries if e["purpose"] == purpose
                and e["staff"]["id"] == demo.staff_id("technician")]


@pytest.mark.parametrize("role", ["support", "technician", "manager"])
def test_credentials__audit_is_admin_only(accounts, demo, role):
    cred = _creds(accounts.staff("admin"), demo.clients[0]["id"])[0]
    assert_error(accounts.staff(role).get(f"/credentials/{cred['id']}/audit"), 403, "forbidden")


def test_credentials__stolen_session_cookie_reveals_nothing_readable(service, accounts, demo,
                                                                     staff_keys):
    # Someone holding only the session cookie gets a box sealed to the
    # staff member's key, and cannot register their own key without CSRF.
    tech = accounts.staff("technician")
    thief = service.session()
    thief.cookies["sessionid"] = tech.cookies["sessionid"]
    evil = PrivateKey.generate()
    r = thief.put("/me/public-key",
                  json={"public_key": base64.b64encode(bytes(evil.public_key)).decode()})
    assert r.status == 403, f"the key was replaced without a CSRF token: {r!r}"
    pk = base64.b64encode(bytes(staff_keys["technician"].public_key)).decode()
    assert tech.get("/me").data["public_key"] == pk
    assert re.fullmatch(r"[A-Za-z0-9+/=]+", pk)

"""Staff and clients lists (contract: "Staff, roles and permissions", "Clients")."""

from helpers.contract import CLIENT_KEYS, assert_keys, assert_list_shape


def test_staff__list__shape(accounts, demo):
    s = accounts.staff("support")
    r = s.get("/staff")
    assert r.status == 200, r
    assert_list_shape(r.data, "/staff")
    people = s.all("/staff")
    by_id = {p["id"]: p for p in people}
    for p in people:
        assert set(p) >= {"id", "name", "role"}, p
        assert p["role"] in ("support", "technician", "manager", "admin")
    for role in ("support", "technician", "manager", "admin"):
        sid = demo.staff_id(role)
        assert sid in by_id and by_id[sid]["role"] == role
    raw = b"".join(s.get("/staff").wire for _ in range(1))
    assert b"password" not in raw and b"pbkdf2" not in raw


def test_clients__list__shape_and_assignments(accounts, demo):
    s = accounts.staff("support")
    r = s.get("/clients")
    assert r.status == 200, r
    assert_list_shape(r.data, "/clients")
    clients = s.all("/clients")
    assert len(clients) == 40, len(clients)
    for c in clients:
        assert_keys(c, CLIENT_KEYS, "client")
        assert c["phone"] is None or isinstance(c["phone"], str)
        assert isinstance(c["site_url"], str) and c["site_url"].startswith("http")
        for a in c["assigned_staff"]:
            assert set(a) >= {"id", "name"}
    for role in ("technician", "admin"):
        assert demo.assigned_clients(role), f"{role} is assigned to no client"
        assert demo.unassigned_clients(role), f"{role} is assigned to every client"


def test_clients__list__q_filters(accounts, demo):
    s = accounts.staff("support")
    target = demo.clients[5]
    word = max(target["name"].split(), key=len)
    got = s.all("/clients", params={"q": word})
    assert target["id"] in {c["id"] for c in got}
    assert len(got) < len(demo.clients)

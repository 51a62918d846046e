"""Tasks: list, filters, sort, detail, PATCH with If-Match (contract: "Tasks")."""

import itertools

import pytest

from helpers.contract import (PRIORITIES, PRIORITY_RANK, TASK_STATUSES, assert_error,
                              assert_invalid, assert_list_shape, assert_task, error_extra,
                              parse_time)

_pick = itertools.count(3)


@pytest.fixture
def admin(accounts):
    return accounts.staff("admin")


def _a_task(demo, step=53):
    ids = demo.task_ids()
    return ids[(next(_pick) * step) % len(ids)]


def _patch(s, tid, body, version=None, **kw):
    if version is None:
        cur = s.get(f"/tasks/{tid}")
        assert cur.status == 200, cur
        version = cur.data["version"]
    return s.patch(f"/tasks/{tid}", json=body, headers={"If-Match": f'"{version}"'}, **kw)


def test_tasks__list__shape_of_every_task(admin):
    r = admin.get("/tasks")
    assert r.status == 200, r
    assert_list_shape(r.data, "/tasks")
    assert (r.headers.get("Content-Type") or "").startswith("application/json")
    assert len(r.data["results"]) == 50, "the default limit is 50 (300 tasks seeded)"
    for t in admin.all("/tasks"):
        assert_task(t)


def test_tasks__list__rows_are_the_tasks_own_fields(admin):
    """The list writes its rows from plain column values, not from the
    model the detail uses (no model instance per row, times read as
    text): the two must not drift, with and without assignee and due."""
    rows = admin.all("/tasks")
    picks = [t for t in rows if t["assignee"] is None][:3] + \
        [t for t in rows if t["assignee"] is not None][:3] + \
        [t for t in rows if t["due_at"] is None][:3] + \
        [t for t in rows if t["due_at"] is not None][:3]
    assert len(picks) == 12
    for t in picks:
        d = admin.get(f"/tasks/{t['id']}").data
        assert {k: v for k, v in d.items()
                if k not in ("comments", "attachments")} == t


def test_tasks__list__demo_data_covers_every_status_and_priority(demo):
    assert len(demo.tasks) >= 300
    assert {t["status"] for t in demo.tasks} == set(TASK_STATUSES)
    assert {t["priority"] for t in demo.tasks} == set(PRIORITIES)
    assert any(t["comment_count"] > 0 for t in demo.tasks)
    assert any(t["attachment_count"] > 0 for t in demo.tasks)


@pytest.mark.parametrize("statuses", [["new"], ["new", "in_progress"],
                                      ["waiting_on_client", "done", "cancelled"]])
def test_tasks__filter__status(admin, statuses):
    everything = admin.all("/tasks")
    got = admin.all("/tasks", params={"status": ",".join(statuses)})
    assert got, "no task matched"
    assert {t["status"] for t in got} <= set(statuses), {t["status"] for t in got}
    expected = {t["id"] for t in everything if t["status"] in statuses}
    assert {t["id"] for t in got} == expected


@pytest.mark.parametrize("priorities", [["urgent"], ["high", "urgent"], ["low", "normal"]])
def test_tasks__filter__priority(admin, priorities):
    everything = admin.all("/tasks")
    got = admin.all("/tasks", params={"priority": ",".join(priorities)})
    assert got
    expected = {t["id"] for t in everything if t["priority"] in priorities}
    assert {t["id"] for t in got} == expected


def test_tasks__filter__assignee_me(accounts, demo):
    s = accounts.staff("technician")
    me = demo.staff_id("technician")
    everything = s.all("/tasks")
    got = s.all("/tasks", params={"assignee": "me"})
    assert got, "the technician is assigned no task at all in the demo data"
    assert all(t["assignee"] and t["assignee"]["id"] == me for t in got)
    assert {t["id"] for t in got} == {t["id"] for t in everything
                                      if t["assignee"] and t["assignee"]["id"] == me}


def test_tasks__filter__assignee_none(admin):
    everything = admin.all("/tasks")
    got = admin.all("/tasks", params={"assignee": "none"})
    assert got, "no unassigned task in the demo data"
    assert all(t["assignee"] is None for t in got)
    assert {t["id"] for t in got} == {t["id"] for t in everything if t["assignee"] is None}


def test_tasks__filter__assignee_id(admin, demo):
    tech = demo.staff_id("technician")
    got = admin.all("/tasks", params={"assignee": tech})
    everything = admin.all("/tasks")
    assert {t["id"] for t in got} == {t["id"] for t in everything
                                      if t["assignee"] and t["assignee"]["id"] == tech}


def test_tasks__filter__client(admin, demo):
    cid = demo.tasks[0]["client"]["id"]
    got = admin.all("/tasks", params={"client": cid})
    assert got and all(t["client"]["id"] == cid for t in got)
    everything = admin.all("/tasks")
    assert {t["id"] for t in got} == {t["id"] for t in everything if t["client"]["id"] == cid}


def test_tasks__filter__combined(admin):
    everything = admin.all("/tasks")
    got = admin.all("/tasks", params={"status": "new,in_progress", "priority": "high,urgent",
                                      "assignee": "none"})
    expected = {t["id"] for t in everything if t["status"] in ("new", "in_progress")
                and t["priority"] in ("high", "urgent") and t["assignee"] is None}
    assert {t["id"] for t in got} == expected


def test_tasks__filter__q_matches_text(admin, demo):
    target = max(demo.tasks, key=lambda t: len(t["title"]))
    word = max(target["title"].split(), key=len)
    got = admin.all("/tasks", params={"q": word})
    assert target["id"] in {t["id"] for t in got}, f"q={word!r} did not find task {target['id']}"
    assert len(got) < len(demo.tasks), "q did not filter anything"
    w = word.lower()
    for t in got:
        hay = " ".join([t["title"], t["description"], t["client"]["name"],
                        t["client"].get("company") or ""]).lower()
        assert w in hay, f"task {t['id']} does not contain {word!r}"


def test_tasks__filter__q_without_match_is_empty(admin):
    r = admin.get("/tasks", params={"q": "zzqqxx-no-such-text-zzqqxx"})
    assert r.status == 200 and r.data["results"] == [] and r.data["next"] is None, r


def _key_list(tasks, key):
    return [t[key] for t in tasks]


def test_tasks__sort__default_is_priority_desc_then_created_at(admin):
    tasks = admin.all("/tasks")
    keys = [(-PRIORITY_RANK[t["priority"]], parse_time(t["created_at"]), ) for t in tasks]
    assert keys == sorted(keys), "default order is not -priority, then created_at"


def test_tasks__sort__priority_ascending_uses_rank_not_alphabet(admin):
    tasks = admin.all("/tasks", params={"sort": "priority"})
    ranks = [PRIORITY_RANK[t["priority"]] for t in tasks]
    assert ranks == sorted(ranks), "sort=priority is not low, normal, high, urgent"
    assert tasks[0]["priority"] == "low" and tasks[-1]["priority"] == "urgent"


def test_tasks__sort__priority_descending(admin):
    tasks = admin.all("/tasks", params={"sort": "-priority"})
    ranks = [PRIORITY_RANK[t["priority"]] for t in tasks]
    assert ranks == sorted(ranks, reverse=True)


@pytest.mark.parametrize("field", ["created_at", "updated_at"])
@pytest.mark.parametrize("desc", [False, True])
def test_tasks__sort__by_time(admin, field, desc):
    tasks = admin.all("/tasks", params={"sort": ("-" if desc else "") + field})
    times = [parse_time(t[field]) for t in tasks]
    assert times == sorted(times, reverse=desc), f"not sorted by {'-' if desc else ''}{field}"


@pytest.mark.parametrize("desc", [False, True])
def test_tasks__sort__by_due_at(admin, desc):
    tasks = admin.all("/tasks", params={"sort": ("-" if desc else "") + "due_at"})
    dues = [t["due_at"] for t in tasks]
    assert any(d is not None for d in dues) and any(d is None for d in dues), \
        "demo data should have tasks with and without due_at"
    present = [parse_time(d) for d in dues if d is not None]
    assert present == sorted(present, reverse=desc)
    # The tasks without due_at sit together at one end.
    nulls = [i for i, d in enumerate(dues) if d is None]
    assert nulls == list(range(nulls[0], nulls[0] + len(nulls))), "null due_at scattered"
    assert nulls[0] == 0 or nulls[-1] == len(dues) - 1


def test_tasks__sort__paginated_order_matches_single_page(admin):
    one = [t["id"] for t in admin.all("/tasks", params={"sort": "-updated_at"}, limit=500)]
    paged = [t["id"] for t in admin.walk("/tasks", params={"sort": "-updated_at"}, limit=7)[0]]
    assert paged == one


@pytest.mark.parametrize("params", [{"sort": "nonsense"}, {"status": "bogus"},
                                    {"priority": "extreme"}, {"assignee": "someone"}])
def test_tasks__list__bad_parameters_are_4xx_not_5xx(admin, params):
    r = admin.get("/tasks", params=params)
    assert r.status < 500, r
    if r.status >= 400:
        assert_error(r, r.status)


def test_tasks__get__detail_has_comments_and_attachments(admin, demo):
    t = next(x for x in demo.tasks if x["comment_count"] > 0 and x["attachment_count"] > 0)
    r = admin.get(f"/tasks/{t['id']}")
    assert r.status == 200, r
    d = r.data
    assert_task(d)
    assert isinstance(d["comments"], list) and isinstance(d["attachments"], list)
    assert len(d["comments"]) == d["comment_count"]
    assert len(d["attachments"]) == d["attachment_count"]
    from helpers.contract import ATTACHMENT_KEYS, assert_comment, assert_keys, is_int, is_time
    for c in d["comments"]:
        assert_comment(c)
    for a in d["attachments"]:
        assert_keys(a, ATTACHMENT_KEYS, "attachment")
        assert is_int(a["id"]) and is_int(a["size"]) and a["size"] >= 0
        assert isinstance(a["filename"], str) and isinstance(a["content_type"], str)
        assert is_time(a["created_at"])


def test_tasks__get__unknown_id_gives_404_not_found(admin):
    assert_error(admin.get("/tasks/987654321"), 404, "not_found")


def test_tasks__get__staff_see_internal_comments(admin, demo):
    found = False
    for t in demo.tasks:
        if t["comment_count"] == 0:
            continue
        d = admin.get(f"/tasks/{t['id']}").data
        if any(c["internal"] for c in d["comments"]):
            found = True
            break
    assert found, "no internal comment visible to staff anywhere in the demo data"


# -- PATCH ---------------------------------------------------------------------

def test_tasks__patch__with_if_match_increments_version(admin, demo):
    tid = _a_task(demo)
    before = admin.get(f"/tasks/{tid}").data
    new_status = "waiting_on_client" if before["status"] != "waiting_on_client" else "in_progress"
    r = _patch(admin, tid, {"status": new_status}, before["version"])
    assert r.status == 200, r
    assert_task(r.data)
    assert r.data["version"] == before["version"] + 1
    assert r.data["status"] == new_status
    assert parse_time(r.data["updated_at"]) >= parse_time(before["updated_at"])
    again = admin.get(f"/tasks/{tid}").data
    assert again["version"] == before["version"] + 1 and again["status"] == new_status


def test_tasks__patch__each_field(admin, demo):
    tid = _a_task(demo)
    me = demo.staff_id("admin")
    v = admin.get(f"/tasks/{tid}").data["version"]
    for body, check in [
        ({"priority": "urgent"}, lambda t: t["priority"] == "urgent"),
        ({"priority": "low"}, lambda t: t["priority"] == "low"),
        ({"status": "done"}, lambda t: t["status"] == "done"),
        ({"assignee_id": me}, lambda t: t["assignee"] and t["assignee"]["id"] == me),
        ({"assignee_id": None}, lambda t: t["assignee"] is None),
        ({"status": "in_progress", "priority": "high"},
         lambda t: t["status"] == "in_progress" and t["priority"] == "high"),
    ]:
        r = _patch(admin, tid, body, v)
        assert r.status == 200, (body, r)
        assert check(r.data), (body, r.data)
        assert r.data["version"] == v + 1, (body, r.data["version"], v)
        v += 1


def test_tasks__patch__stale_version_gives_412(admin, demo):
    tid = _a_task(demo)
    cur = admin.get(f"/tasks/{tid}").data
    ok = _patch(admin, tid, {"priority": "high" if cur["priority"] != "high" else "normal"},
                cur["version"])
    assert ok.status == 200, ok
    stale = _patch(admin, tid, {"priority": "low"}, cur["version"])
    assert_error(stale, 412, "version_conflict")
    current = error_extra(stale, "current")
    assert_task(current)
    assert current["id"] == tid
    assert current["version"] == ok.data["version"]
    assert current["priority"] == ok.data["priority"], "the stale PATCH was applied"
    assert admin.get(f"/tasks/{tid}").data["priority"] == ok.data["priority"]


def test_tasks__patch__future_version_gives_412(admin, demo):
    tid = _a_task(demo)
    cur = admin.get(f"/tasks/{tid}").data
    r = _patch(admin, tid, {"priority": "low"}, cur["version"] + 5)
    assert_error(r, 412, "version_conflict")
    assert admin.get(f"/tasks/{tid}").data["version"] == cur["version"]


def test_tasks__patch__without_if_match_gives_428(admin, demo):
    tid = _a_task(demo)
    cur = admin.get(f"/tasks/{tid}").data
    r = admin.patch(f"/tasks/{tid}", json={"priority": "low"})
    assert_error(r, 428, "precondition_required")
    assert admin.get(f"/tasks/{tid}").data["version"] == cur["version"]


@pytest.mark.parametrize("role", ["support", "technician"])
def test_tasks__patch__assigning_someone_else_without_assign_any_gives_403(accounts, demo, role):
    s = accounts.staff(role)
    tid = _a_task(demo)
    other = demo.staff_id("manager")
    cur = s.get(f"/tasks/{tid}").data
    r = _patch(s, tid, {"assignee_id": other}, cur["version"])
    assert_error(r, 403, "forbidden")
    after = s.get(f"/tasks/{tid}").data
    assert after["version"] == cur["version"] and after["assignee"] == cur["assignee"]


@pytest.mark.parametrize("role", ["support", "technician"])
def test_tasks__patch__assigning_self_is_allowed(accounts, demo, role):
    s = accounts.staff(role)
    me = demo.staff_id(role)
    tid = next(t["id"] for t in s.all("/tasks", params={"assignee": "none"}))
    r = _patch(s, tid, {"assignee_id": me})
    assert r.status == 200, r
    assert r.data["assignee"]["id"] == me
    mine = {t["id"] for t in s.all("/tasks", params={"assignee": "me"})}
    assert tid in mine


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_tasks__patch__assign_any_may_assign_someone_else(accounts, demo, role):
    s = accounts.staff(role)
    other = demo.staff_id("technician")
    tid = _a_task(demo)
    r = _patch(s, tid, {"assignee_id": other})
    assert r.status == 200, r
    assert r.data["assignee"]["id"] == other


def _assigned_to(admin, demo, role):
    """A task the admin has just assigned to `role`; returns it."""
    tid = _a_task(demo)
    r = _patch(admin, tid, {"assignee_id": demo.staff_id(role)})
    assert r.status == 200, r
    return r.data


@pytest.mark.parametrize("role", ["support", "technician"])
def test_tasks__patch__unassigning_someone_else_without_assign_any_gives_403(
        accounts, admin, demo, role):
    cur = _assigned_to(admin, demo, "manager")
    s = accounts.staff(role)
    r = _patch(s, cur["id"], {"assignee_id": None}, cur["version"])
    assert_error(r, 403, "forbidden")
    after = s.get(f"/tasks/{cur['id']}").data
    assert after["version"] == cur["version"] and after["assignee"] == cur["assignee"]


@pytest.mark.parametrize("role", ["support", "technician"])
def test_tasks__patch__unassigning_self_is_allowed(accounts, admin, demo, role):
    cur = _assigned_to(admin, demo, role)
    r = _patch(accounts.staff(role), cur["id"], {"assignee_id": None}, cur["version"])
    assert r.status == 200, r
    assert r.data["assignee"] is None and r.data["version"] == cur["version"] + 1


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_tasks__patch__assign_any_may_unassign_someone_else(accounts, admin, demo, role):
    cur = _assigned_to(admin, demo, "technician")
    r = _patch(accounts.staff(role), cur["id"], {"assignee_id": None}, cur["version"])
    assert r.status == 200, r
    assert r.data["assignee"] is None


@pytest.mark.parametrize("body,field", [
    ({"status": "finished"}, "status"),
    ({"priority": "extreme"}, "priority"),
    ({"status": 3}, "status"),
])
def test_tasks__patch__invalid_value_gives_422(admin, demo, body, field):
    tid = _a_task(demo)
    cur = admin.get(f"/tasks/{tid}").data
    r = _patch(admin, tid, body, cur["version"])
    assert_invalid(r, field)
    assert admin.get(f"/tasks/{tid}").data["version"] == cur["version"]


def test_tasks__patch__unknown_assignee_is_refused(admin, demo):
    tid = _a_task(demo)
    cur = admin.get(f"/tasks/{tid}").data
    r = _patch(admin, tid, {"assignee_id": 987654}, cur["version"])
    assert 400 <= r.status < 500 and r.status != 412, r
    assert_error(r, r.status)
    assert admin.get(f"/tasks/{tid}").data["version"] == cur["version"]


def test_tasks__patch__unknown_task_gives_404(admin):
    r = admin.patch("/tasks/987654321", json={"priority": "low"}, headers={"If-Match": '"1"'})
    assert_error(r, 404, "not_found")


def test_tasks__patch__change_is_visible_to_other_staff(accounts, demo):
    tid = _a_task(demo)
    r = _patch(accounts.staff("manager"), tid, {"priority": "urgent"})
    assert r.status == 200, r
    seen = accounts.staff("support").get(f"/tasks/{tid}").data
    assert seen["priority"] == "urgent" and seen["version"] == r.data["version"]

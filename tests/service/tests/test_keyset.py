"""GET /tasks paged by keyset: exact in both directions, and seeking an index.

One service of its own (1,500 tasks), with ties planted in its database
(tasks sharing a created_at, an updated_at, a due_at), so the id has to
break them. The expected order comes from SQL on the original columns
(priority_rank, created_at, due_at ...), not from the columns the service
sorts on, so it checks them too. Every `-` sort must be its plain form
reversed exactly (ties and tasks without due_at included): the client
shows a queue's end as the first page of the reversed sort.
"""

import re
import shutil
import sqlite3
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import pytest

from helpers.service import Service, ServiceError

OPEN = "new,in_progress,waiting_on_client"
SORTS = ["priority", "created_at", "updated_at", "due_at"]
# sort -> SQL ORDER BY on the columns the API shows.
EXPECTED = {
    "-priority": "priority_rank DESC, created_at, id",
    "priority": "priority_rank, created_at DESC, id DESC",
    "created_at": "created_at, id",
    "-created_at": "created_at DESC, id DESC",
    "updated_at": "updated_at, id",
    "-updated_at": "updated_at DESC, id DESC",
    "due_at": "due_at IS NULL, due_at, id",
    "-due_at": "due_at IS NOT NULL, due_at DESC, id DESC",
}
# Ties: ids in each range get the same value of the column.
TIES = {"created_at": (1, 40), "updated_at": (41, 80), "due_at": (81, 120)}


def _plant_ties(db):
    with sqlite3.connect(db, timeout=30) as con:
        for column, (lo, hi) in TIES.items():
            value = con.execute(f"SELECT {column} FROM tasks_task WHERE "
                                f"{column} IS NOT NULL LIMIT 1").fetchone()[0]
            con.execute(f"UPDATE tasks_task SET {column} = ? WHERE id "
                        "BETWEEN ? AND ?", (value, lo, hi))
        # due_key is the due date the service sorts on.
        con.execute("UPDATE tasks_task SET due_key = due_at WHERE id "
                    "BETWEEN ? AND ?", TIES["due_at"])


@pytest.fixture(scope="module")
def svc():
    s = Service(Path(tempfile.mkdtemp(prefix="sitecare-keyset-")),
                extra_args=("--tasks", "1500", "--conversations", "10",
                            "--messages", "20"))
    try:
        s.start()
    except ServiceError as e:
        shutil.rmtree(s.state, ignore_errors=True)
        pytest.fail(f"the reference service did not start: {e}", pytrace=False)
    _plant_ties(s.state / "db.sqlite3")
    yield s
    s.stop()
    shutil.rmtree(s.state, ignore_errors=True)


@pytest.fixture(scope="module")
def admin(svc):
    s = svc.session()
    r = s.login("admin@example.com", "sitecare-demo")
    assert r.status == 200, r
    s.me = r.data
    return s


def _filters(admin, filtered):
    return {"status": OPEN, "assignee": "me"} if filtered else {}


def _expected(svc, admin, sort, filtered):
    where, args = "", []
    if filtered:
        where = "WHERE status IN ('new', 'in_progress', " \
            "'waiting_on_client') AND assignee_id = ?"
        args = [admin.me["staff"]["id"] if "staff" in admin.me
                else admin.me["id"]]
    with sqlite3.connect(svc.state / "db.sqlite3", timeout=30) as con:
        return [r[0] for r in con.execute(
            f"SELECT id FROM tasks_task {where} ORDER BY {EXPECTED[sort]}",
            args)]


def _walk(admin, sort, filtered, limit=37):
    params = dict(_filters(admin, filtered), sort=sort)
    return [t["id"] for t in admin.walk("/tasks", params=params,
                                        limit=limit)[0]]


@pytest.mark.parametrize("filtered", [False, True], ids=["all", "open-mine"])
@pytest.mark.parametrize("sort", [s for p in SORTS for s in (p, "-" + p)])
def test_keyset__walk__every_task_once_in_order_with_ties(svc, admin, sort,
                                                          filtered):
    want = _expected(svc, admin, sort, filtered)
    assert len(want) > 37 * 2, "too few tasks for several pages"
    got = _walk(admin, sort, filtered)
    assert len(got) == len(set(got)), f"{sort}: a task came twice"
    assert got == want, f"{sort}: not the expected order"


@pytest.mark.parametrize("filtered", [False, True], ids=["all", "open-mine"])
@pytest.mark.parametrize("sort", SORTS)
def test_keyset__reversed_sort__is_the_exact_reverse(admin, sort, filtered):
    forward = _walk(admin, sort, filtered, limit=53)
    backward = _walk(admin, "-" + sort, filtered, limit=41)
    assert backward == forward[::-1], f"-{sort} is not {sort} reversed"


def test_keyset__due_at__nulls_last_ascending_first_descending(admin):
    def dues(sort):
        return [t["due_at"] for t in admin.all("/tasks", params={"sort": sort})]
    up, down = dues("due_at"), dues("-due_at")
    assert up[-1] is None and up[0] is not None
    assert down[0] is None and down[-1] is not None


def _queries(admin, sort, filtered):
    """The first page's query, one in the middle and the last one's."""
    params = dict(_filters(admin, filtered), sort=sort, limit=50)
    pages = admin.walk("/tasks", params=params)[1]
    cursors = [p["next"] for p in pages[:-1]]
    assert len(cursors) >= 2, "too few pages"
    return [urlencode(params)] + [urlencode(dict(params, cursor=c)) for c in
                                  (cursors[len(cursors) // 2], cursors[-1])]


@pytest.fixture(scope="module")
def plans(svc, admin):
    """{(sort, filtered): [(query, plan lines)]}, from one run of ctl."""
    queries = {(sort, filtered): _queries(admin, sort, filtered)
               for sort in EXPECTED for filtered in (False, True)}
    args = [a for qs in queries.values() for q in qs for a in ("--query", q)]
    got = svc.ctl("task-plan", *args)["plans"]
    return {k: [(q, got[q]) for q in qs] for k, qs in queries.items()}


@pytest.mark.parametrize("filtered", [False, True], ids=["all", "open-mine"])
@pytest.mark.parametrize("sort", [s for p in SORTS for s in (p, "-" + p)])
def test_keyset__plan__seeks_an_index_never_sorts_or_scans(plans, sort,
                                                           filtered):
    """The first page reads an index in order from its start (and stops at
    the limit; with assignee=me, from that member's start); a page after a
    cursor seeks in it (SEARCH) to the cursor, in each of its parts."""
    for query, parts in plans[sort, filtered]:
        assert len(parts) == (2 if "cursor=" in query else 1), query
        for plan in parts:
            text = "\n".join(plan)
            tasks = [line for line in plan if " tasks_task " in line]
            assert len(tasks) == 1, f"{query}:\n{text}"
            how = "SEARCH" if "cursor=" in query or filtered else "SCAN"
            assert tasks[0].startswith(
                f"{how} tasks_task USING INDEX task_"), \
                f"{query}: no index {how}:\n{text}"
            assert "TEMP B-TREE" not in text, f"{query}: sorts:\n{text}"
            if "cursor=" in query:  # seeks to the cursor, not only to me
                assert re.search(r"[<>]\(?\?", tasks[0]), \
                    f"{query}: no seek to the cursor:\n{text}"


# sort -> the first column of its index.
FIRST_COLUMN = {"priority": "priority_key", "created_at": "created_at",
                "updated_at": "updated_at", "due_at": "due_key"}


@pytest.mark.parametrize("filtered", [False, True], ids=["all", "open-mine"])
@pytest.mark.parametrize("sort", [s for p in SORTS for s in (p, "-" + p)])
def test_keyset__plan__rows_tied_with_the_cursor_are_sought_not_read(
        plans, sort, filtered):
    """SQLite seeks a row value on its leading columns only: after a
    cursor among the tasks without a due date (due_key all the same), it
    read every one of them to reach the cursor's id. A page after a cursor
    first reads the rows equal to it on the first column, by an exact
    seek on that value and a range on the next column."""
    column = FIRST_COLUMN[sort.lstrip("-")]
    for query, parts in plans[sort, filtered]:
        if "cursor=" not in query:
            continue
        tasks = [line for line in parts[0] if " tasks_task " in line]
        assert re.search(rf"\b{column}=\? AND \(?\w", tasks[0]), \
            f"{query}: the ties are not sought:\n{tasks}"

"""The reference service's known limits (README, Status, "Known limits"),
each pinned as the README states it (issue #19).

Each test's docstring quotes its limit: when the limit is removed the test
fails, and the README line goes with it.
"""

import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest

from helpers.accounts import STAFF_EMAIL
from helpers.service import SERVE, Service, ServiceError

pytestmark = [pytest.mark.fresh_service]


def _signed_in(svc, role):
    s = svc.session()
    r = s.login(STAFF_EMAIL[role])
    assert r.status == 200, r
    return s


def _patch(s, tid, body):
    """PATCH /tasks/tid with the version just read (the contract's If-Match)."""
    cur = s.get(f"/tasks/{tid}")
    assert cur.status == 200, cur
    return s.patch(f"/tasks/{tid}", json=body,
                   headers={"If-Match": f'"{cur.data["version"]}"'})


def test_limits__self_assign__support_moves_a_colleagues_task_in_two_steps(
        fresh_service):
    """The known limit as the README states it: the reference service lets
    a member assign a task to themselves whoever has it (the contract does
    not forbid it), so support can move a colleague's task in two steps:
    take it, then unassign itself. When it is fixed this test fails and the
    README line goes."""
    svc = fresh_service(seed="demo")
    admin, support = _signed_in(svc, "admin"), _signed_in(svc, "support")
    tech_id = _signed_in(svc, "technician").get("/me").data["id"]
    support_id = support.get("/me").data["id"]
    tid = admin.get("/tasks", params={"limit": 1}).data["results"][0]["id"]
    r = _patch(admin, tid, {"assignee_id": tech_id})
    assert r.status == 200 and r.data["assignee"]["id"] == tech_id, r
    # Support has no tasks.assign_any: it may not unassign the technician.
    r = _patch(support, tid, {"assignee_id": None})
    assert r.status == 403, r
    # Step one: taking the technician's task is allowed (the limit).
    r = _patch(support, tid, {"assignee_id": support_id})
    assert r.status == 200 and r.data["assignee"]["id"] == support_id, r
    # Step two: unassigning itself is allowed: the task is nobody's now.
    r = _patch(support, tid, {"assignee_id": None})
    assert r.status == 200 and r.data["assignee"] is None, r
    assert admin.get(f"/tasks/{tid}").data["assignee"] is None


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def top():
    """A folder of our own in /tmp (mode 0700), removed after the test: not
    tmp_path, whose parents pytest keeps (serve as root would open them)."""
    path = Path(tempfile.mkdtemp(prefix="sitecare-limits-")).resolve()
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _serves(state, *extra_args):
    """Starts serve on state and stops it once it answered (an anonymous
    /me is refused); fails the test if it does not start."""
    svc = Service(state, seed="none", extra_args=extra_args)
    try:
        svc.start()
    except ServiceError as e:
        pytest.fail(f"serve --state {state} did not start: {e}", pytrace=False)
    try:
        assert svc.session().get("/me").status == 401
    finally:
        svc.stop()


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0,
                    reason="the limit is serve's as root: not root here")
def test_limits__postgres_as_root__state_and_folders_above_get_o_x(top):
    """The known limit as the README states it: `serve --db postgres` run
    as root gives the state directory and the folders above it the search
    bit (o+x) so the `postgres` user reaches them (the search bit only,
    never read). When it is fixed this test fails and the README line
    goes."""
    outer = top / "outer"
    outer.mkdir(mode=0o700)
    state = outer / "state"
    state.mkdir(mode=0o700)
    for f in (top, outer, state):
        assert _mode(f) == 0o700, f
    _serves(state, "--front", "none", "--db", "postgres")
    for f in (top, outer, state):
        assert _mode(f) == 0o701, (f, oct(_mode(f)))


def _state_with_socket_path(top, length):
    """A state directory under top whose STATE/gunicorn.sock is length bytes."""
    pad = length - len(os.fsencode(top / "gunicorn.sock")) - 1
    state = top / ("s" * pad)
    assert len(os.fsencode(state / "gunicorn.sock")) == length
    return state


@pytest.mark.slow
def test_limits__front_socket__107_bytes_serve_108_refused(top):
    """The known limit as the README states it: the front's unix socket
    path must stay under 108 bytes (a deeper `--state` makes serve exit at
    once, saying so). At the bound: 107 bytes serve, 108 are refused
    before anything is made (test_service_cli.py has a far deeper one).
    When it is fixed this test fails and the README line goes."""
    deep = _state_with_socket_path(top, 108)
    r = subprocess.run([str(SERVE), "--port", "0", "--state", str(deep),
                        "--seed", "none"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 1, r
    assert "(108 bytes, at most 107)" in r.stderr, r
    assert not deep.exists()
    _serves(_state_with_socket_path(top, 107))

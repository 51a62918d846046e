"""Events across gunicorn workers: a message posted through one worker
reaches a stream served by another, and `ctl` (a process of its own) wakes
streams too, on SQLite (unix datagrams) and on PostgreSQL (LISTEN/NOTIFY).

Each service here polls for events, and pings (a stream also looks for
events when it pings), only once an hour (SITECARE_POLL_SECONDS,
SITECARE_PING_SECONDS), so delivery within a second can only come from the
cross-process wake-up (events/wake.py)."""

import shutil
import tempfile
import time

import pytest

from helpers.accounts import CLIENT_EMAIL, STAFF_EMAIL
from helpers.api import new_msg_id
from helpers.service import Service, ServiceError

pytestmark = [pytest.mark.events, pytest.mark.fresh_service]

WORKER = "X-Sitecare-Worker"
DELIVERY = 1.0  # seconds; the in-process wake-up takes milliseconds
POST_ATTEMPTS = 40  # new connections, until one lands on another worker


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def workers_service(request):
    state = tempfile.mkdtemp(prefix="sitecare-workers-")
    # gunicorn alone (--front none): behind nginx the kernel may hand every
    # one of nginx's connections to the same worker, so no post would ever
    # land on another worker than the stream's; a new TLS connection per
    # post does. The bench measures delivery across workers behind nginx.
    svc = Service(state, seed="none",
                  extra_args=["--front", "none", "--workers", "2",
                              "--db", request.param],
                  env={"SITECARE_POLL_SECONDS": "3600"}, ping_seconds="3600")
    try:
        svc.start()
    except ServiceError as e:
        shutil.rmtree(state, ignore_errors=True)
        pytest.fail(f"the service did not start: {e}", pytrace=False)
    yield svc
    svc.stop()
    shutil.rmtree(state, ignore_errors=True)


def _signed_in(svc, email, client=False):
    s = svc.session()
    r = (s.client_login if client else s.login)(email)
    assert r.status == 200, r
    return s


def _message_body(body):
    return lambda e: (e.event == "message.created" and isinstance(e.data, dict)
                      and (e.data.get("message") or {}).get("body") == body)


def _post_through_other_worker(client, worker):
    """Posts client messages on new connections until one is answered by a
    worker other than `worker`; returns that message's body."""
    seen = set()
    for _ in range(POST_ATTEMPTS):
        body = f"via another worker {new_msg_id()}"
        r = client.post("/client/conversation/messages",
                        json={"body": body, "client_msg_id": new_msg_id()})
        assert r.status == 201, r
        seen.add(r.headers.get(WORKER))
        if r.headers.get(WORKER) not in (None, worker):
            return body
    pytest.fail(f"{POST_ATTEMPTS} posts all answered by workers {seen}, "
                f"never by one other than the stream's ({worker})")


def test_events_workers__message_through_another_worker__reaches_stream(workers_service):
    staff = _signed_in(workers_service, STAFF_EMAIL["support"])
    client = _signed_in(workers_service, CLIENT_EMAIL, client=True)
    with staff.events() as st:
        worker = st.headers.get(WORKER)
        assert worker and worker.isdigit(), f"no {WORKER} header: {st.headers}"
        body = _post_through_other_worker(client, worker)
        t0 = time.monotonic()
        st.wait_for(_message_body(body), timeout=DELIVERY,
                    what="message.created from another worker")
        assert time.monotonic() - t0 <= DELIVERY


def test_events_workers__ctl_client_message__wakes_stream_at_once(workers_service):
    staff = _signed_in(workers_service, STAFF_EMAIL["technician"])
    client = workers_service.session()
    r = client.client_login(CLIENT_EMAIL)
    assert r.status == 200, r
    client_id = r.data["id"]  # the client record the account belongs to
    body = f"ctl says {new_msg_id()}"
    with staff.events() as st:
        workers_service.ctl("client-message", "--client-id", client_id, "--body", body)
        t0 = time.monotonic()
        st.wait_for(_message_body(body), timeout=DELIVERY,
                    what="message.created from ctl")
        assert time.monotonic() - t0 <= DELIVERY

"""Authentication: Django session plus CSRF (contract: "Authentication")."""

import re

import pytest

from helpers.accounts import CLIENT_EMAIL, PASSWORD, ROLES, STAFF_EMAIL
from helpers.api import ApiSession
from helpers.contract import assert_error, assert_me

# Failed logins count towards the per-address rate limit ("more than 5
# failures in 15 minutes for one email or address"), and every test comes
# from 127.0.0.1: the session's service sees at most three failed logins,
# everything else about failures runs on a throwaway service.


def test_auth__csrf__gives_token_and_sets_cookie(service):
    s = service.session()
    r = s.csrf()
    assert r.status == 200, r
    assert isinstance(r.data, dict) and isinstance(r.data.get("csrf_token"), str), r
    assert r.data["csrf_token"], r
    assert s.csrftoken, f"no csrftoken cookie set: {r.headers.get_all('Set-Cookie')}"


def test_auth__login__answers_me_and_sets_session(service):
    s = service.session()
    s.csrf()
    r = s.login(STAFF_EMAIL["technician"])
    assert r.status == 200, r
    assert_me(r.data, "technician")
    assert r.data["email"] == STAFF_EMAIL["technician"]
    assert "sessionid" in s.cookies, s.cookie_log
    me = s.get("/me")
    assert me.status == 200, me
    assert me.data["id"] == r.data["id"]


def test_auth__login__rotates_csrf_token(service):
    s = service.session()
    s.csrf()
    before = s.csrftoken
    r = s.login(STAFF_EMAIL["support"])
    assert r.status == 200, r
    set_names = [c[0] for c in s.cookie_log[-5:]]
    assert "csrftoken" in set_names, f"login did not set a new csrftoken: {s.cookie_log}"
    assert s.csrftoken and s.csrftoken != before, "the CSRF token did not rotate on login"


def test_auth__login__old_csrf_token_is_refused_after_rotation(service):
    s = service.session()
    s.csrf()
    before = s.csrftoken
    assert s.login(STAFF_EMAIL["support"]).status == 200
    r = s.post("/auth/logout", csrf=before)
    assert r.status == 403, f"a pre-login CSRF token was accepted: {r!r}"
    assert s.get("/me").status == 200, "the refused logout logged out anyway"


def test_auth__cookies__only_sessionid_and_csrftoken(service):
    s = service.session()
    s.csrf()
    s.login(STAFF_EMAIL["manager"])
    s.get("/me")
    s.get("/tasks")
    s.logout()
    names = {c[0] for c in s.cookie_log}
    assert names <= {"sessionid", "csrftoken"}, f"non-essential cookies: {names}"
    assert {"sessionid", "csrftoken"} <= names


def test_auth__login__wrong_password_gives_401_invalid_credentials(service):
    s = service.session()
    r = s.login(STAFF_EMAIL["manager"], "not-the-password")
    assert_error(r, 401, "invalid_credentials")
    assert "sessionid" not in s.cookies
    assert_error(s.get("/me"), 401, "not_authenticated")


def test_auth__login__client_account_gives_403_staff_only(service):
    s = service.session()
    r = s.login(CLIENT_EMAIL)
    assert_error(r, 403, "staff_only")
    assert_error(s.get("/me"), 403 if "sessionid" in s.cookies else 401)


@pytest.mark.parametrize("missing", ["csrf_header", "csrf_cookie_and_header"])
def test_auth__login__without_csrf_token_is_refused_403(service, missing):
    s = service.session()
    if missing == "csrf_header":
        s.csrf()
    r = s.login(STAFF_EMAIL["admin"], csrf=False)
    assert r.status == 403, f"login without a CSRF token was not refused: {r!r}"
    assert "sessionid" not in s.cookies


def test_auth__login__wrong_csrf_token_is_refused_403(service):
    s = service.session()
    s.csrf()
    bogus = "x" * len(s.csrftoken)
    r = s.login(STAFF_EMAIL["admin"], csrf=bogus)
    assert r.status == 403, r
    assert "sessionid" not in s.cookies


def test_auth__login__without_referer_is_refused_403(service):
    s = service.session()
    s.csrf()
    r = s.login(STAFF_EMAIL["admin"], referer=False)
    assert r.status == 403, f"login without Referer was not refused: {r!r}"
    assert "sessionid" not in s.cookies


@pytest.mark.parametrize("kind", ["other_host", "plain_http", "other_port"])
def test_auth__login__wrong_referer_is_refused_403(service, kind):
    s = service.session()
    s.csrf()
    referer = {
        "other_host": "https://evil.example/",
        "plain_http": f"http://{s.host}:{s.port}/",
        "other_port": f"https://{s.host}:{1 if s.port != 1 else 2}/",
    }[kind]
    r = s.login(STAFF_EMAIL["admin"], referer=referer)
    assert r.status == 403, f"login with Referer {referer} was not refused: {r!r}"
    assert "sessionid" not in s.cookies


@pytest.mark.parametrize("method,path,body", [
    ("POST", "/auth/logout", None),
    ("PUT", "/me/public-key", {"public_key": "AAAA"}),
    ("PATCH", "/tasks/1", {"priority": "low"}),
    ("POST", "/conversations/1/read", {"last_read_message_id": 1}),
])
@pytest.mark.parametrize("refusal", ["no_csrf_header", "no_referer", "wrong_referer"])
def test_auth__unsafe_request__without_csrf_or_referer_is_refused_403(
        accounts, method, path, body, refusal):
    s = accounts.staff("support")
    kw = {"json": body} if body is not None else {}
    if refusal == "no_csrf_header":
        kw["csrf"] = False
    elif refusal == "no_referer":
        kw["referer"] = False
    else:
        kw["referer"] = "https://evil.example/"
    r = s.request(method, path, headers={"If-Match": '"1"'}, **kw)
    assert r.status == 403, f"{method} {path} ({refusal}) was not refused: {r!r}"
    assert s.get("/me").status == 200, "the refused request changed the session"


def test_auth__me__without_session_gives_401_not_authenticated(service):
    r = service.session().get("/me")
    assert_error(r, 401, "not_authenticated")


def test_auth__me__with_garbage_session_cookie_gives_401(service):
    s = service.session()
    s.cookies["sessionid"] = "0123456789abcdefghijklmnopqrstuv"
    assert_error(s.get("/me"), 401, "not_authenticated")


def test_auth__logout__gives_204_and_ends_session(accounts):
    s = accounts.new_staff("manager")
    old = dict(s.cookies)
    r = s.logout()
    assert r.status == 204, r
    assert not r.body, r
    assert_error(s.get("/me"), 401, "not_authenticated")
    # The old cookie is dead on the server, not just dropped by the client.
    t = accounts.anon()
    t.cookies.update(old)
    assert_error(t.get("/me"), 401, "not_authenticated")


@pytest.mark.parametrize("role", ["technician", "support"])
def test_auth__expire_sessions__gives_401_not_authenticated(service, accounts, role):
    s = accounts.new_staff(role)
    assert s.get("/me").status == 200
    other = accounts.new_staff("manager" if role != "manager" else "admin")
    out = service.ctl("expire-sessions", "--email", STAFF_EMAIL[role])
    assert out is not None
    accounts.forget(role)
    assert_error(s.get("/me"), 401, "not_authenticated")
    assert_error(s.get("/tasks"), 401, "not_authenticated")
    assert other.get("/me").status == 200, "expire-sessions --email expired someone else"
    # Logging in again works.
    again = accounts.new_staff(role)
    assert again.get("/me").status == 200


def test_auth__expire_sessions__client_session_gives_401(service, accounts):
    c = accounts.new_client()
    assert c.get("/client/conversation").status == 200
    service.ctl("expire-sessions", "--email", CLIENT_EMAIL)
    accounts.forget("client")
    assert_error(c.get("/client/conversation"), 401, "not_authenticated")


@pytest.mark.parametrize("role", ROLES)
def test_auth__login__each_demo_staff_account_has_its_role(accounts, role):
    me = accounts.me(role)
    assert_me(me, role)
    assert me["email"] == STAFF_EMAIL[role]


# -- rate limiting and failed logins, on throwaway services -----------------

@pytest.mark.fresh_service
def test_auth__login__unknown_email_gives_401_invalid_credentials(fresh_service):
    svc = fresh_service(seed="demo")
    s = svc.session()
    r = s.login("nobody-at-all@example.com", PASSWORD)
    assert_error(r, 401, "invalid_credentials")


def _retry_after_ok(r):
    v = r.headers.get("Retry-After")
    assert v is not None, f"429 without Retry-After: {r!r}"
    assert re.fullmatch(r"\d+", v.strip()), f"Retry-After is not seconds: {v!r}"
    assert 0 < int(v) <= 15 * 60, f"Retry-After {v}"


@pytest.mark.fresh_service
def test_auth__rate_limit__sixth_failure_for_one_email_gives_429(fresh_service):
    svc = fresh_service(seed="demo")
    s = svc.session()
    for i in range(5):
        r = s.login(STAFF_EMAIL["technician"], f"wrong-{i}")
        assert_error(r, 401, "invalid_credentials")
    r = s.login(STAFF_EMAIL["technician"], "wrong-6")
    assert_error(r, 429, "rate_limited")
    _retry_after_ok(r)
    # The right password does not get through the limit either.
    r = svc.session().login(STAFF_EMAIL["technician"], PASSWORD)
    assert_error(r, 429, "rate_limited")
    _retry_after_ok(r)


@pytest.mark.fresh_service
def test_auth__rate_limit__sixth_failure_from_one_address_gives_429(fresh_service):
    svc = fresh_service(seed="demo")
    for i in range(5):
        r = svc.session().login(f"nobody{i}@example.com", "wrong")
        assert_error(r, 401, "invalid_credentials")
    r = svc.session().login("nobody5@example.com", "wrong")
    assert_error(r, 429, "rate_limited")
    _retry_after_ok(r)


@pytest.mark.fresh_service
def test_auth__rate_limit__four_failures_still_let_the_right_password_in(fresh_service):
    svc = fresh_service(seed="demo")
    for i in range(4):
        assert_error(svc.session().login(STAFF_EMAIL["support"], f"bad{i}"),
                     401, "invalid_credentials")
    r = svc.session().login(STAFF_EMAIL["support"], PASSWORD)
    assert r.status == 200, f"4 failures already locked the account out: {r!r}"


@pytest.mark.fresh_service
def test_auth__rate_limit__client_login_is_limited_too(fresh_service):
    svc = fresh_service(seed="demo")
    for i in range(5):
        r = svc.session().client_login(CLIENT_EMAIL, f"bad{i}")
        assert_error(r, 401, "invalid_credentials")
    r = svc.session().client_login(CLIENT_EMAIL, "bad5")
    assert_error(r, 429, "rate_limited")
    _retry_after_ok(r)


@pytest.mark.fresh_service
def test_auth__rate_limit__holds_for_30_simultaneous_wrong_logins(fresh_service):
    # Each attempt is counted before its password is checked, so however
    # many arrive at once, at most 5 are checked (401) and the rest 429.
    import threading
    svc = fresh_service(seed="none")
    n = 30
    sessions = [svc.session() for _ in range(n)]
    for s in sessions:
        assert s.csrf().status == 200
    start = threading.Barrier(n)
    statuses = [None] * n

    def attempt(i):
        start.wait(timeout=30)
        statuses[i] = sessions[i].login(STAFF_EMAIL["manager"], f"wrong-{i}").status

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(set(statuses)) <= [401, 429], statuses
    checked = statuses.count(401)
    assert 1 <= checked <= 5, f"{checked} of {n} simultaneous wrong passwords were checked"
    assert statuses.count(429) == n - checked
    assert_error(svc.session().login(STAFF_EMAIL["manager"]), 429, "rate_limited")


def test_auth__tls__certificate_is_verified_against_the_ca(service, tmp_path):
    # A session that trusts another CA must not be able to talk to the service.
    import ssl
    import subprocess
    key, cert = tmp_path / "other.key", tmp_path / "other.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj", "/CN=other-ca",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    s = ApiSession(service.url, cert)
    with pytest.raises(ssl.SSLCertVerificationError):
        s.csrf()


def test_auth__tls__plain_http_is_not_served(service):
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", int(service.url.rsplit(":", 1)[1]), timeout=5)
    try:
        conn.request("GET", "/api/v1/auth/csrf")
        resp = conn.getresponse()
        status = resp.status
    except (http.client.HTTPException, OSError):
        status = None
    finally:
        conn.close()
    assert status is None or status >= 400, f"plain HTTP answered {status}"

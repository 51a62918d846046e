"""Fixtures of the command-line integration tests.

- `cli`: a `Cli` with a fresh HOME, pointed at the session's service;
- `cli_for`: makes more `Cli`s, for another service or URL;
- `fault`: a scripted misbehaving HTTPS server (fault_server.py) with the
  service's certificate, and a `Cli` pointed at it as `fault.cli`;
- `own_service`: a throwaway reference service for tests that change data
  or sessions (so the session's service stays as other suites expect it).

With SITECARE_VALGRIND=1 (`make check VALGRIND=1`) the client and the C
probes run under valgrind memcheck (integration/cli.py `MEMCHECK`); a test
during which any of them reported an error or a definite leak fails, with
valgrind's reports in its failure.
"""

import pytest

import helpers.probe
from integration.cli import MEMCHECK, Cli
from integration.fault_server import FaultServer

if MEMCHECK.enabled:
    # The probes are compiled by helpers.probe; the test modules import
    # build_probe after this file, so they get the wrapped one.
    _build_probe = helpers.probe.build_probe

    def _build_probe_under_memcheck(*args, **kw):
        return MEMCHECK.wrap_program(_build_probe(*args, **kw))

    helpers.probe.build_probe = _build_probe_under_memcheck


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Fails a test during which valgrind found errors in a client run.

    Looked at after each phase: set-up (fixtures that run the client), the
    call, and teardown (runs that fixtures stop). A test that failed
    already is not failed twice (JUnit would count it twice); its report
    still carries valgrind's findings.
    """
    outcome = yield
    rep = outcome.get_result()
    found = MEMCHECK.new_errors() if MEMCHECK.enabled else []
    if found:
        text = "\n\n".join(f"{path}:\n" + "\n\n".join(errors) for path, errors in found)
        rep.sections.append(("valgrind memcheck", text))
        if rep.passed and not getattr(item, "_failed", False):
            rep.outcome = "failed"
            rep.longrepr = f"valgrind memcheck found errors in {len(found)} run(s):\n{text}"
    if rep.failed:
        item._failed = True


@pytest.fixture
def cli_for(tmp_path, sitecare_bin):
    made = []

    def make(url=None, ca=None):
        c = Cli(sitecare_bin, tmp_path / f"home{len(made)}", url, ca)
        made.append(c)
        return c

    return make


@pytest.fixture
def cli(cli_for, service):
    return cli_for(service.url, service.ca)


@pytest.fixture
def fault(service, cli_for):
    fs = FaultServer(service.state / "server.pem", service.state / "server.key")
    fs.cli = cli_for(fs.url, service.ca)
    try:
        yield fs
    finally:
        fs.close()


@pytest.fixture
def own_service(fresh_service):
    return fresh_service()

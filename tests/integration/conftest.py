"""Fixtures of the command-line integration tests.

- `cli`: a `Cli` with a fresh HOME, pointed at the session's service;
- `cli_for`: makes more `Cli`s, for another service or URL;
- `fault`: a scripted misbehaving HTTPS server (fault_server.py) with the
  service's certificate, and a `Cli` pointed at it as `fault.cli`;
- `own_service`: a throwaway reference service for tests that change data
  or sessions (so the session's service stays as other suites expect it).
"""

import pytest

from integration.cli import Cli
from integration.fault_server import FaultServer


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

"""Fixtures every suite may use."""

from __future__ import annotations

import socket

import pytest

from tests.shared_lab import shared_aws_server, stop_shared_aws_server


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound, then released)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


@pytest.fixture(scope="session")
def lab_aws():
    """The lab's AWS API server, started once for the whole session and shared by every suite (Labs
    reset it before they build; state otherwise persists between tests)."""
    return shared_aws_server()


def pytest_sessionfinish(session, exitstatus) -> None:
    """Stop the shared lab server, whichever suite started it."""
    stop_shared_aws_server()

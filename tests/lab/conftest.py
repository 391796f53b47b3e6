"""Provides the lab fixtures: one patched moto server per test session, and a clean slate per test."""

from __future__ import annotations

import uuid

import pytest

from wizard.lab.aws_server import LabAwsServer, start_aws_server


@pytest.fixture(scope="session")
def lab_aws() -> LabAwsServer:
    """The lab's AWS API server, started once for the whole session (state persists between tests)."""
    server = start_aws_server()
    yield server
    server.stop()


@pytest.fixture
def fresh_aws(lab_aws: LabAwsServer) -> LabAwsServer:
    """The lab server, emptied first (every account, region and injected state)."""
    lab_aws.reset()
    return lab_aws


@pytest.fixture
def name() -> str:
    """A short unique name, so tests sharing the session server never collide."""
    return "t" + uuid.uuid4().hex[:12]

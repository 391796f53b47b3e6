"""Provides the lab fixtures: a clean slate per test on the session's shared moto server (`lab_aws`,
from tests/conftest.py), and unique names."""

from __future__ import annotations

import uuid

import pytest

from wizard.lab.aws_server import LabAwsServer


@pytest.fixture
def fresh_aws(lab_aws: LabAwsServer) -> LabAwsServer:
    """The lab server, emptied first (every account, region and injected state)."""
    lab_aws.reset()
    return lab_aws


@pytest.fixture
def name() -> str:
    """A short unique name, so tests sharing the session server never collide."""
    return "t" + uuid.uuid4().hex[:12]

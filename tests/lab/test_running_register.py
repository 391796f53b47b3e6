"""The register of running labs that `edgewiz resume` rejoins: only the user's own 0600 entries of a
live process that point at loopback are followed; a dead lab's entry is removed."""

from __future__ import annotations

import json
import os

import pytest

from wizard.engine.facts import Symptom
from wizard.lab import running
from wizard.lab.lab import LabEnv

ENV = LabEnv(aws_endpoint="http://127.0.0.1:5999", edge_address="127.0.0.1:6000", region="us-east-1",
             symptom=Symptom(url="https://d1.cloudfront.net/a.js", complaint="403"),
             credentials={"aws_access_key_id": "AKIALAB", "aws_secret_access_key": "secret"})


@pytest.fixture(autouse=True)
def state(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGEWIZ_STATE_DIR", str(tmp_path))


def test_a_registered_lab_is_found_by_either_name_until_unregistered():
    path = running.register(["asset-403-stacked", "seed-000"], ENV)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    for ref in ("asset-403-stacked", "seed-000"):
        env, pid = running.find(ref)
        assert env == ENV and pid == os.getpid()
    assert running.find("asset-healthy") is None
    running.unregister(path)
    assert running.find("asset-403-stacked") is None


def test_an_entry_of_a_dead_lab_is_removed():
    path = running.register(["asset-403-stacked"], ENV)
    data = json.loads(path.read_text())
    path.write_text(json.dumps(dict(data, pid=2 ** 22 + 12345)))
    assert running.find("asset-403-stacked") is None and not path.exists()


def test_an_entry_not_private_or_pointing_off_the_machine_is_not_followed():
    path = running.register(["asset-403-stacked"], ENV)
    os.chmod(path, 0o644)
    assert running.find("asset-403-stacked") is None
    os.chmod(path, 0o600)
    data = json.loads(path.read_text())
    path.write_text(json.dumps(dict(data, aws_endpoint="http://collector.example.net:80")))
    assert running.find("asset-403-stacked") is None
    path.write_text(json.dumps(dict(data, edge_address="10.0.0.5:443")))
    assert running.find("asset-403-stacked") is None

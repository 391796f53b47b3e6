"""Runs scenarios in the lab the way `edgewiz lab run` does: a real moto server over HTTP, the edge
simulator over HTTP, and the production probe code in between."""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Tuple

import pytest

from wizard.aws.session import AwsAccess
from wizard.diagnose import Diagnosis, diagnose
from wizard.http.client import HttpProber
from wizard.lab.lab import Lab
from wizard.lab.scenario import Scenario
from wizard.playbooks import load
from wizard.probes.runner import ProbeRunner

from tests.shared_lab import shared_aws_server


@dataclass
class LabRun:
    """A diagnosis of a scenario and every AWS operation it sent."""

    diagnosis: Diagnosis
    operations: List[Tuple[str, str]]


def run_in_lab(scenario: Scenario) -> LabRun:
    """Bring the scenario up on the session's shared AWS server (reset first), diagnose, take it down."""
    with Lab(scenario, aws_server=shared_aws_server()) as env:
        access = AwsAccess(region=env.region, endpoint_url=env.aws_endpoint, credentials=env.credentials)
        runner = ProbeRunner(access, HttpProber(connect_to={"*": env.edge_address}))
        try:
            diagnosis = diagnose(load(), env.symptom, runner)
        finally:
            runner.close()
    return LabRun(diagnosis, list(access.calls))


_RUNS = {}  # scenario file -> LabRun, shared by every suite in the session (each run takes seconds)


def cached_run(scenario: Scenario) -> LabRun:
    """The scenario's lab run, diagnosed once per test session."""
    if scenario.path not in _RUNS:
        _RUNS[scenario.path] = run_in_lab(scenario)
    return _RUNS[scenario.path]


@pytest.fixture(scope="session")
def lab_runs():
    """Scenario -> LabRun, computed once per session (scenarios are independent)."""
    return cached_run

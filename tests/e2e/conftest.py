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

from tests.shared_lab import RUNS_DIR_ENV, shared_aws_server


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
    """The scenario's lab run, diagnosed once per test session (across xdist workers, too)."""
    if scenario.path not in _RUNS:
        _RUNS[scenario.path] = _run_once_per_session(scenario)
    return _RUNS[scenario.path]


def _run_once_per_session(scenario: Scenario) -> LabRun:
    """run_in_lab, shared between the session's workers through RUNS_DIR_ENV (set by the controller,
    tests/conftest.py): the first worker to ask builds and diagnoses the scenario, holding its lock;
    the other waits and reads the result instead of building the same lab again. Without the
    variable (one process) it is run_in_lab."""
    import fcntl
    import hashlib
    import os
    import pickle

    directory = os.environ.get(RUNS_DIR_ENV)
    if not directory or not os.path.isdir(directory):
        return run_in_lab(scenario)
    stem = os.path.join(directory, hashlib.sha1(str(scenario.path).encode()).hexdigest())
    with open(stem + ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if os.path.exists(stem + ".pickle"):
                with open(stem + ".pickle", "rb") as f:
                    return pickle.load(f)
            run = run_in_lab(scenario)
            with open(stem + ".tmp", "wb") as f:
                pickle.dump(run, f)
            os.replace(stem + ".tmp", stem + ".pickle")
            return run
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)



@pytest.fixture(scope="session")
def lab_runs():
    """Scenario -> LabRun, computed once per session (scenarios are independent)."""
    return cached_run

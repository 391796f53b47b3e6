"""Fixtures for the trust tests: scripted loopback servers and lab runs (the e2e harness's
run_in_lab, cached per scenario for the session)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, List

import pytest

from tests.e2e.conftest import cached_run
from tests.shared_lab import shared_aws_server
from wizard.lab.scenario import Scenario, load_scenario

from .servers import Reply, ScriptedServer, Seen

SCENARIOS = Path(__file__).resolve().parent / "scenarios"


def journaled_lab_walk(scenario: Scenario, journal_dir: Path):
    """Walk a scenario in the lab as the skins do (a WalkSession with its journal) to its verdict.
    Returns (session, diagnosis)."""
    from wizard.aws.session import AwsAccess
    from wizard.diagnose import auto_answer
    from wizard.http.client import HttpProber
    from wizard.lab.lab import Lab
    from wizard.probes.runner import ProbeRunner
    from wizard.walk_session import Target, WalkSession

    with Lab(scenario, aws_server=shared_aws_server()) as env:
        access = AwsAccess(region=env.region, endpoint_url=env.aws_endpoint, credentials=env.credentials)
        runner = ProbeRunner(access, HttpProber(connect_to={"*": env.edge_address}))
        try:
            session = WalkSession(env.symptom, runner, Target(endpoint_url=env.aws_endpoint), journal_dir=journal_dir)
            diagnosis = session.run_to_end(auto_answer)
        finally:
            runner.close()
    return session, diagnosis


def trust_scenario(name: str) -> Scenario:
    """One of the scenario files under tests/trust/scenarios/."""
    return load_scenario(str(SCENARIOS / f"{name}.yaml"))


@pytest.fixture
def scripted():
    """Start ScriptedServers that answer with a function of the request; all stopped afterwards."""
    started: List[ScriptedServer] = []

    def start(answer: Callable[[Seen], Reply]) -> ScriptedServer:
        server = ScriptedServer(answer).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def trust_lab_runs():
    """Scenario -> LabRun, each scenario diagnosed once per session (shared with the e2e suite)."""
    return cached_run


def lab_credentials() -> dict:
    """Credentials shaped as a lab hands them out (a random key per lab), for a LabEnv built in a test."""
    from wizard.lab.aws_server import new_credentials

    key_id, secret, _token = new_credentials()
    return {"aws_access_key_id": key_id, "aws_secret_access_key": secret}

"""The ALB certificate probe under enforced IAM: with exactly `edgewiz iam-policy` it reads the
listener's certificate list (elasticloadbalancing:DescribeListenerCertificates) and finds the name
mismatch; without that one action the default certificate's miss is not enough to blame the
certificate (an extra SNI certificate might cover the name), so the part is unknown, naming the action."""

from __future__ import annotations

import pytest

from tests.shared_lab import shared_aws_server
from wizard.aws.iam_policy import policy_actions
from wizard.aws.session import AwsAccess
from wizard.diagnose import diagnose
from wizard.http.client import HttpProber
from wizard.lab.lab import Lab
from wizard.lab.scenario import load_scenario
from wizard.playbooks import load
from wizard.probes.runner import ProbeRunner

from .iam_mode import iam_enforced

SCENARIO = "alb-502-acm-cert-name-mismatch"
ACTION = "elasticloadbalancing:DescribeListenerCertificates"


def _diagnose(env, credentials):
    access = AwsAccess(region=env.region, endpoint_url=env.aws_endpoint, credentials=credentials)
    runner = ProbeRunner(access, HttpProber(connect_to={"*": env.edge_address}))
    try:
        return diagnose(load(), env.symptom, runner)
    finally:
        runner.close()


@pytest.fixture(scope="module")
def runs():
    lab = Lab(load_scenario(SCENARIO), aws_server=shared_aws_server())
    env = lab.start()
    try:
        with iam_enforced(lab) as iam:
            assert ACTION in policy_actions()
            full = iam.user("oncall-full", policy_actions())
            partial = iam.user("oncall-no-listener-certs", [a for a in policy_actions() if a != ACTION])
            return {"full": _diagnose(env, full), "partial": _diagnose(env, partial)}
    finally:
        lab.stop()


@pytest.mark.lab
def test_the_generated_policy_reads_the_listener_certificates(runs):
    diagnosis = runs["full"]
    assert [f.id for f in diagnosis.root_causes] == ["origin.tls.name-mismatch"]
    assert not any(ACTION.split(":")[1] in u.reason for u in diagnosis.unknowns)


@pytest.mark.lab
def test_an_unreadable_certificate_list_is_unknown_not_a_name_mismatch(runs):
    diagnosis = runs["partial"]
    assert "origin.tls.name-mismatch" not in [f.id for f in diagnosis.root_causes]
    assert any("SNI" in u.what and "DescribeListenerCertificates" in u.reason for u in diagnosis.unknowns)

"""When AWS refuses (a missing permission, rejected or expired credentials, an SSO session that needs
a login), the probe says what happened and which action is missing, its part of the path becomes
unknown, and no unknown turns into a false "ok" or a false root cause."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from tests.shared_lab import shared_aws_server
from wizard.aws.iam_policy import policy_actions
from wizard.aws.session import AwsAccess
from wizard.diagnose import Diagnosis, diagnose
from wizard.engine.facts import Facts, Symptom
from wizard.http.client import HttpProber
from wizard.lab.lab import Lab
from wizard.lab.scenario import load_scenario
from wizard.playbooks import load
from wizard.probes.runner import ProbeRunner
from wizard.report import json_report, text_report

from .iam_mode import iam_enforced
from .servers import Reply

# Its only fault is in the bucket policy: the OAC statement names another distribution.
SCENARIO = "asset-403-oac-wrong-distribution"
EXPECTED = ["s3.policy.oac-sourcearn-mismatch"]


@dataclass
class Run:
    """A diagnosis and its two reports."""

    diagnosis: Diagnosis
    text: str
    json: dict

    def probe(self, name):
        return next(p for p in self.diagnosis.probes if p.name == name)


def _diagnose(env, credentials) -> Run:
    access = AwsAccess(region=env.region, endpoint_url=env.aws_endpoint, credentials=credentials)
    runner = ProbeRunner(access, HttpProber(connect_to={"*": env.edge_address}))
    try:
        diagnosis = diagnose(load(), env.symptom, runner)
    finally:
        runner.close()
    return Run(diagnosis, text_report.render(diagnosis, width=100), json.loads(json_report.render(diagnosis)))


@pytest.fixture(scope="module")
def refused():
    """The scenario diagnosed under enforced IAM as three callers: exactly `edgewiz iam-policy`, that
    policy without s3:GetBucketPolicy, and keys AWS does not know."""
    lab = Lab(load_scenario(SCENARIO), aws_server=shared_aws_server())
    env = lab.start()
    try:
        with iam_enforced(lab) as iam:
            full = iam.user("oncall-full", policy_actions())
            partial = iam.user("oncall-no-policy-read", [a for a in policy_actions() if a != "s3:GetBucketPolicy"])
            runs = {
                "full": _diagnose(env, full),
                "no-policy-read": _diagnose(env, partial),
                "unknown-keys": _diagnose(env, {"aws_access_key_id": "AKIAEDGEWIZNOSUCHKEY",
                                                "aws_secret_access_key": "x" * 40}),
            }
    finally:
        lab.stop()
    return runs


@pytest.mark.lab
def test_the_generated_policy_is_enough_under_enforced_iam(refused):
    """With exactly the `edgewiz iam-policy` actions, nothing is denied and the root cause is found."""
    run = refused["full"]
    assert [p.name for p in run.diagnosis.probes if p.status == "denied"] == []
    assert [f.id for f in run.diagnosis.root_causes] == EXPECTED


@pytest.mark.lab
def test_a_denied_read_names_the_missing_action(refused):
    """The bucket-policy probe says it was denied and that the caller lacks s3:GetBucketPolicy."""
    probe = refused["no-policy-read"].probe("aws.bucket_policy")
    assert probe.status == "denied"
    assert probe.missing_action == "s3:GetBucketPolicy"
    assert "s3:GetBucketPolicy was denied" in probe.error


@pytest.mark.lab
def test_the_denied_part_is_unknown_in_the_report_and_the_path(refused):
    """The bucket policy is listed as unknown and the CloudFront → bucket edge is "?", not ✓ and not ✗."""
    run = refused["no-policy-read"]
    unknown = [u for u in run.diagnosis.unknowns if "bucket policy" in u.what]
    assert unknown and "s3:GetBucketPolicy" in unknown[0].reason
    edge = next(e for e in run.diagnosis.path.edges if e.dst == "bucket")
    assert edge.status == "unknown"
    assert "? s3://rails-assets-stg" in run.text
    assert "Could not check (unknown, not ok):" in run.text
    assert "lacks s3:GetBucketPolicy" in run.text
    assert any("s3:GetBucketPolicy" in u["reason"] for u in run.json["unknowns"])


@pytest.mark.lab
def test_a_denied_read_gives_no_false_root_cause_and_no_all_clear(refused):
    """The fault behind the denied read is not replaced by another root cause, nor by "no root cause found"."""
    run = refused["no-policy-read"]
    assert set(f.id for f in run.diagnosis.root_causes) <= set(EXPECTED)
    assert "No root cause found" not in run.text
    assert "Inconclusive" in run.text
    assert run.json["complete"] is False


@pytest.mark.lab
def test_the_walk_goes_on_past_a_denied_read(refused):
    """Every other S3 read still ran: one denial does not end the walk."""
    run = refused["no-policy-read"]
    for name in ("aws.bucket_cors", "aws.object", "aws.object_owner"):
        assert run.probe(name).status == "ok", name


@pytest.mark.lab
def test_rejected_credentials_say_so_and_stop_honestly(refused):
    """Keys AWS does not know: every AWS probe says the credentials were rejected; no verdict is claimed."""
    run = refused["unknown-keys"]
    identity = run.probe("aws.identity")
    assert identity.status == "denied"
    assert "credentials were rejected (InvalidClientTokenId)" in identity.error
    assert run.probe("aws.distribution").status == "denied"
    assert run.diagnosis.root_causes == []
    assert run.json["result"] == "inconclusive" and run.json["complete"] is False
    assert "No root cause found" not in run.text
    assert "Stopped: CloudFront could not be read" in run.text
    assert "credentials were rejected" in run.text


ALB_SCENARIO = "alb-504-ghost-sg-reference"
ALB_EXPECTED = {"sg.target-ingress-stale-reference"}


@pytest.fixture(scope="module")
def alb_refused():
    """The ghost-SG-reference 504 diagnosed under enforced IAM: the full policy, and without ec2:DescribeSecurityGroups."""
    lab = Lab(load_scenario(ALB_SCENARIO), aws_server=shared_aws_server())
    env = lab.start()
    try:
        with iam_enforced(lab) as iam:
            full = iam.user("oncall-full", policy_actions())
            partial = iam.user("oncall-no-sg-read",
                               [a for a in policy_actions() if a != "ec2:DescribeSecurityGroups"])
            runs = {"full": _diagnose(env, full), "no-sg-read": _diagnose(env, partial)}
    finally:
        lab.stop()
    return runs


@pytest.mark.lab
def test_the_generated_policy_finds_the_network_root_cause_under_enforced_iam(alb_refused):
    """The control for the next test: with the full policy nothing is denied and the ghost reference is found."""
    run = alb_refused["full"]
    assert [p.name for p in run.diagnosis.probes if p.status == "denied"] == []
    assert {f.id for f in run.diagnosis.root_causes} == ALB_EXPECTED


@pytest.mark.lab
def test_a_denied_security_group_read_is_named_and_unknown(alb_refused):
    """Without ec2:DescribeSecurityGroups the security groups are listed as unknown, naming the action."""
    run = alb_refused["no-sg-read"]
    assert any("ec2:DescribeSecurityGroups" in u.what and "lacks ec2:DescribeSecurityGroups" in u.reason
               for u in run.diagnosis.unknowns)
    assert "lacks ec2:DescribeSecurityGroups" in " ".join(run.text.split())


@pytest.mark.lab
def test_a_denied_security_group_read_gives_no_false_root_cause(alb_refused):
    """Unreadable security groups make the network hops unknown, never a made-up root cause."""
    run = alb_refused["no-sg-read"]
    assert {f.id for f in run.diagnosis.root_causes} <= ALB_EXPECTED


EXPIRED = Reply(403, [("Content-Type", "text/xml")], (
    b'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>'
    b'<Code>ExpiredToken</Code><Message>The security token included in the request is expired</Message>'
    b'</Error><RequestId>1</RequestId></ErrorResponse>'), "Forbidden")


def test_an_expired_session_token_says_refresh(scripted):
    """An endpoint answering ExpiredToken: the probes are denied with "refresh them", after one request each."""
    server = scripted(lambda _seen: EXPIRED)
    access = AwsAccess(region="us-east-1", endpoint_url=server.url, credentials={
        "aws_access_key_id": "ASIAEXAMPLE", "aws_secret_access_key": "x", "aws_session_token": "old-token"})
    runner = ProbeRunner(access, None)
    try:
        outcomes = runner.run(Facts(Symptom("https://d111111abcdef8.cloudfront.net/a.js")), ["aws.identity"])
    finally:
        runner.close()
    assert outcomes[0].status == "denied"
    assert "credentials were rejected (ExpiredToken)" in outcomes[0].error
    assert "aws sso login" in outcomes[0].error
    assert len(server.requests) == 1  # an expired token is not retried


SSO_CONFIG = """\
[profile oncall-sso]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = ReadOnly
region = us-east-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
"""


def test_an_sso_profile_without_a_login_says_run_sso_login(scripted, tmp_path, monkeypatch):
    """An SSO profile with no cached token: the probe is denied with "run aws sso login", nothing is sent."""
    server = scripted(lambda _seen: EXPIRED)
    (tmp_path / "config").write_text(SSO_CONFIG)
    monkeypatch.setenv("HOME", str(tmp_path))  # the SSO token cache is ~/.aws/sso/cache: empty here
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    access = AwsAccess(profile="oncall-sso", endpoint_url=server.url)
    runner = ProbeRunner(access, None)
    try:
        outcomes = runner.run(Facts(Symptom("https://d111111abcdef8.cloudfront.net/a.js")), ["aws.identity"])
    finally:
        runner.close()
    assert outcomes[0].status == "denied"
    assert "aws sso login" in outcomes[0].error
    assert server.requests == []

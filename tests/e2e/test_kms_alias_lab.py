"""A KMS key is named by its alias (kms:ListAliases, KeyId filter) in the encryption probe's line and
in the finding's evidence, on the lab's oac-403-kms-key-policy story; a refused ListAliases leaves
the alias unknown (the key id is shown) and the probe and the finding stand."""

from __future__ import annotations

import boto3
import pytest
from botocore.awsrequest import AWSResponse

from wizard.aws.session import AwsAccess
from wizard.diagnose import diagnose
from wizard.http.client import HttpProber
from wizard.lab.lab import Lab
from tests.shared_lab import builtin_scenarios
from wizard.playbooks import load
from wizard.probes.runner import ProbeRunner
from wizard.report.probe_words import found

from tests.shared_lab import shared_aws_server

pytestmark = pytest.mark.lab

ALIAS = "alias/reports-files"


def _diagnose(deny_list_aliases: bool):
    """The story with an alias on its key (added the way an operator would), diagnosed as `lab run` does."""
    scenario = next(s for s in builtin_scenarios() if s.name == "oac-403-kms-key-policy")
    with Lab(scenario, aws_server=shared_aws_server()) as env:
        admin = boto3.client("kms", region_name=env.region, endpoint_url=env.aws_endpoint, **env.credentials)
        key = admin.list_keys()["Keys"][0]["KeyArn"]
        admin.create_alias(AliasName=ALIAS, TargetKeyId=key)
        access = AwsAccess(region=env.region, endpoint_url=env.aws_endpoint, credentials=env.credentials)
        if deny_list_aliases:
            # What AWS answers a caller whose IAM policy lacks kms:ListAliases (moto enforces no IAM).
            def refuse(**_kwargs):
                return AWSResponse(env.aws_endpoint, 400, {}, None), {"Error": {"Code": "AccessDeniedException", "Message": "not authorized"},
                              "ResponseMetadata": {"HTTPStatusCode": 400}}

            access._session.events.register("before-call.kms.ListAliases", refuse)
        runner = ProbeRunner(access, HttpProber(connect_to={"*": env.edge_address}))
        try:
            diagnosis = diagnose(load(), env.symptom, runner)
        finally:
            runner.close()
    return diagnosis, key, list(access.calls)


def _parts(diagnosis):
    probe = next(p for p in diagnosis.probes if p.name == "aws.encryption")
    finding = next(f for f in diagnosis.findings if f.id == "s3.kms-not-allowed")
    return probe, finding


def test_the_key_is_named_by_its_alias():
    diagnosis, key, calls = _diagnose(deny_list_aliases=False)
    probe, finding = _parts(diagnosis)
    assert ("kms", "ListAliases") in calls
    assert found(probe) == f"SSE-KMS, key {ALIAS}, key policy: no cloudfront.amazonaws.com"
    assert f"kms list-aliases: the key is {ALIAS}" in finding.evidence
    assert f"the key policy of {ALIAS} ({key}) does not allow it" in finding.why
    # The commands need the key id (GetKeyPolicy/PutKeyPolicy do not take an alias).
    assert f"aws kms put-key-policy --key-id {key} " in finding.fix


def test_a_refused_list_aliases_shows_the_key_id_and_the_finding_stands():
    diagnosis, key, _calls = _diagnose(deny_list_aliases=True)
    probe, finding = _parts(diagnosis)
    assert probe.status == "ok"
    assert probe.data["key_alias"] is None and "ListAliases failed (AccessDeniedException)" in probe.data["alias_error"]
    key_id = key.split("key/", 1)[1]
    assert found(probe) == f"SSE-KMS, key {key_id}, key policy: no cloudfront.amazonaws.com"
    assert not any("list-aliases" in line for line in finding.evidence)
    assert f"the key policy of {key} does not allow it" in finding.why

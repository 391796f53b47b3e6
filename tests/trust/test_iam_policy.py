"""`edgewiz iam-policy` is derived from the probes: every AWS operation a lab diagnosis sends is
allowed by it, and it allows nothing a probe does not declare."""

from __future__ import annotations

import json

import botocore.session
import pytest

from wizard.aws.errors import explain
from wizard.aws.guard import is_allowed
from wizard.aws.iam_policy import iam_action, least_privilege_policy, policy_actions
from wizard.cli import main
from tests.shared_lab import builtin_scenarios
from wizard.probes.specs import PROBES, declared_operations

SCENARIOS = builtin_scenarios()
SPEC_OPERATIONS = sorted({op for spec in PROBES.values() for op in spec.operations})
DECLARED = sorted(f"{service}:{name}" for service, name in declared_operations())


def _allowed(policy):
    return {a for st in policy["Statement"] if st["Effect"] == "Allow" for a in st["Action"]}


@pytest.mark.lab
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_policy_allows_every_operation_a_scenario_sends(scenario, trust_lab_runs):
    """Each AWS operation a built-in scenario's diagnosis sends is declared by a probe and allowed by the policy."""
    run = trust_lab_runs(scenario)
    sent = {f"{service}:{operation}" for service, operation in run.operations}
    assert sent, "a diagnosis that sends no AWS call proves nothing here"
    assert sent - set(SPEC_OPERATIONS) == set(), "sent but not declared in wizard/probes/specs.py"
    assert all(is_allowed(*op.split(":")) for op in sent), "sent but not in the guard's allowlist"
    allowed = _allowed(least_privilege_policy())
    assert {iam_action(*op.split(":")) for op in sent} - allowed == set()


def test_policy_allows_exactly_what_the_probe_specs_declare():
    """Every action in the policy comes from some probe's or command's declared operations, and nothing else."""
    from_specs = {iam_action(*op.split(":")) for op in DECLARED}
    assert _allowed(least_privilege_policy()) == from_specs == set(policy_actions())


@pytest.mark.parametrize("operation", DECLARED)
def test_every_declared_operation_exists_and_only_reads(operation):
    """A probe spec or command names a real botocore operation of its service, and the guard lets it through."""
    service, name = operation.split(":")
    model = botocore.session.get_session().get_service_model(service)
    assert name in model.operation_names
    assert is_allowed(service, name)


@pytest.mark.parametrize("service, operation, action", [
    ("elbv2", "DescribeTargetHealth", "elasticloadbalancing:DescribeTargetHealth"),
    ("s3", "HeadObject", "s3:GetObject"),
    ("s3", "ListObjectsV2", "s3:ListBucket"),
    ("s3", "GetBucketCors", "s3:GetBucketCORS"),
    ("s3", "GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock"),
    ("s3control", "GetPublicAccessBlock", "s3:GetAccountPublicAccessBlock"),
    ("s3", "GetBucketEncryption", "s3:GetEncryptionConfiguration"),
    ("monitoring", "GetMetricData", "cloudwatch:GetMetricData"),
    ("cloudfront", "ListDistributions", "cloudfront:ListDistributions"),
])
def test_botocore_names_become_iam_action_names(service, operation, action):
    """The botocore service and operation name turn into the IAM action AWS checks."""
    assert iam_action(service, operation) == action


def test_a_denial_names_the_same_action_the_policy_grants():
    """A denied probe call names the missing action with the same table the policy is built from."""
    from botocore.exceptions import ClientError

    denied = ClientError({"Error": {"Code": "AccessDenied", "Message": "Access Denied"}}, "GetPublicAccessBlock")
    failure = explain(denied, "s3control", "GetPublicAccessBlock")
    assert failure.missing_action == "s3:GetAccountPublicAccessBlock"
    assert failure.missing_action in _allowed(least_privilege_policy())


# Read-only actions whose names do not start with Get/List/Describe, by exact name (AWS service
# authorization reference: access level "Read"). Lambda@Edge logs are searched across streams.
READS_BY_OTHER_NAMES = {"logs:FilterLogEvents"}


def test_policy_is_read_only_and_has_no_wildcards():
    """Only Allow statements of Get/List/Describe actions (or a named read), no `service:*`, Resource "*" (ARNs are found by the walk)."""
    policy = least_privilege_policy()
    assert policy["Version"] == "2012-10-17"
    for statement in policy["Statement"]:
        assert statement["Effect"] == "Allow" and statement["Resource"] == "*"
        assert statement["Sid"].isalnum()
        for action in statement["Action"]:
            assert "*" not in action
            assert action.split(":", 1)[1].startswith(("Get", "List", "Describe")) or action in READS_BY_OTHER_NAMES, action


def test_cli_prints_the_policy(capsys):
    """`edgewiz iam-policy` prints that policy as JSON; --compact fits a managed policy (6,144 characters)."""
    assert main(["iam-policy"]) == 0
    assert json.loads(capsys.readouterr().out) == least_privilege_policy()
    assert main(["iam-policy", "--compact"]) == 0
    compact = capsys.readouterr().out.strip()
    assert "\n" not in compact and json.loads(compact) == least_privilege_policy()
    assert len("".join(compact.split())) <= 6144


def test_cli_explains_which_operations_need_each_action(capsys):
    """`edgewiz iam-policy --explain` shows each action next to the probe operations that need it."""
    assert main(["iam-policy", "--explain"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("s3:GetObject ") and "s3:HeadObject" in line for line in lines)
    assert any(line.startswith("s3:GetAccountPublicAccessBlock ") and "s3control:GetPublicAccessBlock" in line
               for line in lines)

"""The Organizations patches: an invited account joins as a member with its own id, and a member
reads organization policies only when the management account delegated those reads."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError

pytestmark = pytest.mark.lab

MANAGEMENT = "999988887777"
MEMBER = "123456789012"


def _org(lab_aws, account):
    return boto3.client("organizations", endpoint_url=lab_aws.endpoint, region_name="us-east-1",
                        **lab_aws.credentials(account))


def _join(lab_aws):
    mgmt = _org(lab_aws, MANAGEMENT)
    mgmt.create_organization(FeatureSet="ALL")
    handshake = mgmt.invite_account_to_organization(Target={"Id": MEMBER, "Type": "ACCOUNT"})["Handshake"]
    _org(lab_aws, MEMBER).accept_handshake(HandshakeId=handshake["Id"])
    return mgmt


def test_an_invited_account_joins_as_a_member_under_the_root(fresh_aws):
    mgmt = _join(fresh_aws)
    member = _org(fresh_aws, MEMBER)
    assert member.describe_organization()["Organization"]["MasterAccountId"] == MANAGEMENT
    assert mgmt.list_parents(ChildId=MEMBER)["Parents"][0]["Type"] == "ROOT"
    rcps = mgmt.list_policies_for_target(TargetId=MEMBER, Filter="RESOURCE_CONTROL_POLICY")["Policies"]
    assert [p["Name"] for p in rcps] == ["RCPFullAWSAccess"]


def test_a_member_may_not_read_policies_unless_delegated(fresh_aws):
    mgmt = _join(fresh_aws)
    member = _org(fresh_aws, MEMBER)
    with pytest.raises(ClientError) as denied:
        member.list_policies_for_target(TargetId=MEMBER, Filter="SERVICE_CONTROL_POLICY")
    assert denied.value.response["Error"]["Code"] == "AccessDeniedException"
    mgmt.put_resource_policy(Content=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "DelegatePolicyReads", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{MEMBER}:root"},
        "Action": ["organizations:ListParents", "organizations:ListPoliciesForTarget",
                   "organizations:DescribePolicy"], "Resource": "*"}]}))
    policies = member.list_policies_for_target(TargetId=MEMBER, Filter="SERVICE_CONTROL_POLICY")["Policies"]
    assert [p["Name"] for p in policies] == ["FullAWSAccess"]
    assert member.list_parents(ChildId=MEMBER)["Parents"][0]["Type"] == "ROOT"


def test_a_reset_forgets_the_membership(fresh_aws):
    _join(fresh_aws)
    fresh_aws.reset()
    _org(fresh_aws, MEMBER).create_organization(FeatureSet="ALL")  # free to found its own again

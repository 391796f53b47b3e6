"""The AWS reads behind issue 17: whose bucket is it, whose KMS key, which load balancer is behind a
custom origin name. Against the lab's moto over HTTP, acting as the CloudFront account."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from botocore.exceptions import ClientError

from wizard.aws import kms as kms_reads
from wizard.aws import origin_dns, ownership
from wizard.aws.models import Origin
from wizard.aws.session import AwsAccess
from wizard.probes.context import ProbeFailed
from wizard.probes.ownership import guard

pytestmark = pytest.mark.lab

OTHER = "210987654321"


def _access(lab_aws):
    return AwsAccess(region="us-east-1", endpoint_url=lab_aws.endpoint, credentials=lab_aws.credentials())


def test_listing_tells_own_bucket_from_another_accounts(fresh_aws, name):
    fresh_aws.client("s3").create_bucket(Bucket=name + "-mine")
    fresh_aws.client("s3", account=OTHER).create_bucket(Bucket=name)
    access = _access(fresh_aws)
    assert ownership.caller_owns_bucket(access, name + "-mine") is True
    # "<name>" is a prefix of "<name>-mine": only an exact name counts.
    assert ownership.caller_owns_bucket(access, name) is False


def _refused_policy_read(fresh_aws, name):
    fresh_aws.client("s3", account=OTHER).create_bucket(Bucket=name)
    access = _access(fresh_aws)

    def bucket_policy_probe(ctx):
        return ctx.aws.client("s3").get_bucket_policy(Bucket=name)

    return access, bucket_policy_probe


def test_refused_read_of_another_accounts_bucket_names_the_profile_not_iam(fresh_aws, name):
    access, probe = _refused_policy_read(fresh_aws, name)
    with pytest.raises(ProbeFailed) as failed:
        guard(probe)(SimpleNamespace(aws=access, facts=SimpleNamespace(bucket=name)))
    assert str(failed.value).startswith(f"bucket {name} is owned by another account")
    assert "--profile" in str(failed.value) and "s3:GetBucketPolicy" not in str(failed.value)


def test_refused_read_of_an_own_bucket_stays_an_iam_refusal(fresh_aws, name):
    """The caller's own bucket refusing a read is a permissions question: the original 403 goes on."""
    fresh_aws.client("s3").create_bucket(Bucket=name)
    access = _access(fresh_aws)

    def refused(ctx):
        raise ClientError({"Error": {"Code": "AccessDenied"}, "ResponseMetadata": {"HTTPStatusCode": 403}},
                          "GetBucketPolicy")

    with pytest.raises(ClientError):
        guard(refused)(SimpleNamespace(aws=access, facts=SimpleNamespace(bucket=name)))


def test_key_policy_of_another_accounts_key_is_not_asked_for(fresh_aws):
    arn = fresh_aws.client("kms", account=OTHER).create_key(Description="media")["KeyMetadata"]["Arn"]
    access = _access(fresh_aws)
    got = kms_reads.key_facts(access, arn, caller_account="123456789012")
    assert got["key_policy"] is None and got["key_account"] == OTHER
    assert "re-run with that account's profile" in got["key_policy_error"]
    assert ("kms", "GetKeyPolicy") not in access.calls


def test_aws_managed_key_is_told_apart_with_describe_key(fresh_aws):
    arn = fresh_aws.client("kms").describe_key(KeyId="alias/aws/s3")["KeyMetadata"]["Arn"]
    got = kms_reads.key_facts(_access(fresh_aws), arn, caller_account="123456789012")
    assert got["key_manager"] == "AWS"


def _alb(fresh_aws, name):
    ec2 = fresh_aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.40.{i}.0/24", AvailabilityZone=f"us-east-1{z}")
               ["Subnet"]["SubnetId"] for i, z in ((1, "a"), (2, "b"))]
    return fresh_aws.client("elbv2").create_load_balancer(Name=name, Subnets=subnets)["LoadBalancers"][0]


def _records(fresh_aws, zone, *records):
    r53 = fresh_aws.client("route53")
    zone_id = r53.create_hosted_zone(Name=zone, CallerReference=zone)["HostedZone"]["Id"]
    r53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": [
        {"Action": "CREATE", "ResourceRecordSet": r} for r in records]})


def test_alias_and_cname_chain_lead_to_the_load_balancer(fresh_aws, name):
    lb = _alb(fresh_aws, name)
    _records(fresh_aws, "example.com",
             {"Name": "origin.example.com", "Type": "CNAME", "TTL": 60,
              "ResourceRecords": [{"Value": "lb.example.com"}]},
             {"Name": "lb.example.com", "Type": "A", "AliasTarget": {
                 "HostedZoneId": lb["CanonicalHostedZoneId"], "DNSName": "dualstack." + lb["DNSName"],
                 "EvaluateTargetHealth": False}})
    got = origin_dns.resolve(_access(fresh_aws), "origin.example.com")
    assert got["kind"] == "alb" and got["target"] == "dualstack." + lb["DNSName"].lower()
    assert got["chain"][:2] == ["origin.example.com", "lb.example.com"]
    origin = Origin.from_raw({"Id": "web", "DomainName": "origin.example.com",
                              "CustomOriginConfig": {"OriginProtocolPolicy": "https-only"}}, got)
    assert origin.kind == "alb" and origin.domain == "origin.example.com"


def test_a_name_route53_does_not_hold_stays_custom(fresh_aws):
    got = origin_dns.resolve(_access(fresh_aws), "api.partner.example.net")
    assert got["target"] is None and got["kind"] == "custom"


def test_nlb_dns_name_is_read_in_its_own_region_and_a_missing_one_may_be_another_accounts(fresh_aws):
    """NLB names put the region after `elb.` (NAME-ID.elb.REGION.amazonaws.com); an unknown name is
    said to be another account's (or deleted), not just "none of N load balancers"."""
    from wizard.aws.network import collect_alb_inventory

    inv = collect_alb_inventory(_access(fresh_aws), None,
                                {"Id": "nlb", "DomainName": "web-nlb-0123456789abcdef.elb.us-west-2.amazonaws.com"})
    assert inv.region == "us-west-2"
    assert any("another account" in u.reason and "--profile" in u.reason for u in inv.unknowns)


def test_account_block_public_access_of_another_accounts_bucket_is_not_read_from_the_callers_account(fresh_aws, name):
    """Account-level Block Public Access that applies is the bucket owner's: the caller's own settings
    (or the distribution account's) say nothing about another account's bucket."""
    from wizard.aws.facts import EdgeFacts
    from wizard.engine.facts import Symptom
    from wizard.model import ProbeOutcome
    from wizard.probes.aws_probes import public_access
    from wizard.probes.context import ProbeContext

    fresh_aws.client("s3", account=OTHER).create_bucket(Bucket=name)
    origin = {"Id": "web", "DomainName": f"{name}.s3-website-us-east-1.amazonaws.com",
              "CustomOriginConfig": {"OriginProtocolPolicy": "http-only"}}
    dist = ProbeOutcome("aws.distribution", "ok", data={
        "found": True, "id": "E1", "arn": "arn:aws:cloudfront::123456789012:distribution/E1",
        "domain": "d111111abcdef8.cloudfront.net", "aliases": [],
        "config": {"Origins": {"Items": [origin]}, "DefaultCacheBehavior": {"TargetOriginId": "web"}}})
    access = _access(fresh_aws)
    got = public_access(ProbeContext(EdgeFacts(Symptom("https://d111111abcdef8.cloudfront.net/index.html"),
                                               {"aws.distribution": dist}), aws=access))
    assert got["account"] is None and "owned by another account" in got["account_error"]
    assert ("s3control", "GetPublicAccessBlock") not in access.calls

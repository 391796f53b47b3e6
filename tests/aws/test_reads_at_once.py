"""Reads that do not depend on each other are sent at once (a round trip is 50-200 ms from a bastion),
and the answer is the same as reading them one after another: the distribution's Route 53 reads with
its configuration (from ListDistributions' summary, again from the configuration if that names other
origins), a KMS key's alias with its policy, and whose bucket it is with the bucket's own Block
Public Access.

"At once" is shown without timing: the first read of a pair waits (up to a few seconds) for the other
to be asked, and records whether it was; read one after another, it never is."""

from __future__ import annotations

import threading
from typing import Any, Dict, List

from wizard.aws import cloudfront, kms
from wizard.probes.aws_probes import public_access
from wizard.probes.context import ProbeContext

_WAIT_S = 5.0  # a bound on waiting for the other read, not a measured time


class _Pages:
    def __init__(self, client, method: str) -> None:
        self.client, self.method = client, method

    def paginate(self, **kwargs):
        yield getattr(self.client, self.method)(**kwargs)


class _Access:
    """AwsAccess's shape: one fake client for every service, which records each call."""

    region = "us-east-1"

    def __init__(self, client) -> None:
        self._client = client

    def client(self, _service: str, region=None):
        return self._client


class _Pair:
    """`first` waits for `second` to be asked; `overlapped` says whether it was, while `first` waited."""

    def __init__(self) -> None:
        self.second_asked = threading.Event()
        self.overlapped = False

    def first(self) -> None:
        self.overlapped = self.second_asked.wait(_WAIT_S)

    def second(self) -> None:
        self.second_asked.set()


# -- the distribution and Route 53 -------------------------------------------------------------------

def _origins(domain: str) -> Dict[str, Any]:
    return {"Quantity": 1, "Items": [{"Id": "app", "DomainName": domain,
                                      "CustomOriginConfig": {"OriginProtocolPolicy": "https-only"}}]}


class _Edge:
    """CloudFront with one distribution for www.example.com and a Route 53 zone example.com whose
    origin names are aliases of load balancers."""

    def __init__(self, summary_origin: str, config_origin: str) -> None:
        self.summary_origin, self.config_origin = summary_origin, config_origin
        self.pair = _Pair()
        self.calls: List[str] = []

    def get_paginator(self, method: str) -> _Pages:
        return _Pages(self, method)

    def list_distributions(self, **_kw) -> Dict[str, Any]:
        self.calls.append("ListDistributions")
        return {"DistributionList": {"Items": [{
            "Id": "E1", "ARN": "arn:aws:cloudfront::123456789012:distribution/E1",
            "DomainName": "d1.cloudfront.net", "Aliases": {"Quantity": 1, "Items": ["www.example.com"]},
            "Status": "Deployed", "Origins": _origins(self.summary_origin)}]}}

    def get_distribution_config(self, Id: str) -> Dict[str, Any]:
        self.calls.append("GetDistributionConfig")
        self.pair.first()
        return {"DistributionConfig": {"Origins": _origins(self.config_origin),
                                       "DefaultCacheBehavior": {"TargetOriginId": "app"}}}

    def list_hosted_zones(self, **_kw) -> Dict[str, Any]:
        self.calls.append("ListHostedZones")
        self.pair.second()
        return {"HostedZones": [{"Id": "/hostedzone/Z1", "Name": "example.com.", "Config": {"PrivateZone": False}}]}

    def list_resource_record_sets(self, HostedZoneId: str, StartRecordName: str, MaxItems: str) -> Dict[str, Any]:
        self.calls.append(f"ListResourceRecordSets {StartRecordName}")
        lb = {"origin.example.com.": "web-1.us-east-1.elb.amazonaws.com.",
              "origin2.example.com.": "web-2.us-east-1.elb.amazonaws.com."}.get(StartRecordName)
        if lb is None:
            return {"ResourceRecordSets": []}
        return {"ResourceRecordSets": [{"Name": StartRecordName, "Type": "A", "AliasTarget": {"DNSName": lb}}]}


def test_route53_reads_of_the_origins_start_with_the_distribution_configuration():
    edge = _Edge("origin.example.com", "origin.example.com")
    found = cloudfront.find_distribution(_Access(edge), "www.example.com", resolve_origins=True)
    assert edge.pair.overlapped  # ListHostedZones was asked while GetDistributionConfig was in flight
    assert found["origin_dns"]["app"]["target"] == "web-1.us-east-1.elb.amazonaws.com"
    assert found["origin_dns"]["app"]["kind"] == "alb"
    # Resolved once: the configuration names the origins the summary did.
    assert edge.calls.count("ListResourceRecordSets origin.example.com.") == 1


def test_a_configuration_naming_another_origin_than_the_summary_is_resolved_from_the_configuration():
    edge = _Edge("origin.example.com", "origin2.example.com")
    found = cloudfront.find_distribution(_Access(edge), "www.example.com", resolve_origins=True)
    assert found["origin_dns"]["app"]["name"] == "origin2.example.com"
    assert found["origin_dns"]["app"]["target"] == "web-2.us-east-1.elb.amazonaws.com"


# -- KMS ---------------------------------------------------------------------------------------------

class _Kms:
    KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

    def __init__(self, manager: str = "CUSTOMER") -> None:
        self.manager = manager
        self.pair = _Pair()
        self.calls: List[str] = []

    def describe_key(self, KeyId: str) -> Dict[str, Any]:
        self.calls.append("DescribeKey")
        return {"KeyMetadata": {"KeyManager": self.manager, "AWSAccountId": "123456789012"}}

    def get_key_policy(self, KeyId: str, PolicyName: str) -> Dict[str, Any]:
        self.calls.append("GetKeyPolicy")
        self.pair.second()
        return {"Policy": '{"Statement": []}'}

    def list_aliases(self, KeyId: str) -> Dict[str, Any]:
        self.calls.append("ListAliases")
        if self.manager != "AWS":  # an AWS managed key's policy is not read: nothing to wait for
            self.pair.first()
        return {"Aliases": [{"AliasName": "alias/assets"}]}


def test_a_customer_key_s_alias_and_policy_are_read_at_once_after_describe_key():
    client = _Kms()
    out = kms.key_facts(_Access(client), _Kms.KEY, "123456789012")
    assert client.pair.overlapped
    assert client.calls[0] == "DescribeKey" and sorted(client.calls[1:]) == ["GetKeyPolicy", "ListAliases"]
    assert (out["key_alias"], out["key_policy"], out["key_manager"]) == ("alias/assets", '{"Statement": []}',
                                                                         "CUSTOMER")


def test_an_aws_managed_key_s_policy_is_still_not_read():
    client = _Kms(manager="AWS")
    out = kms.key_facts(_Access(client), _Kms.KEY, "123456789012")
    assert client.calls == ["DescribeKey", "ListAliases"]
    assert out["key_policy"] is None and out["key_alias"] == "alias/assets"


# -- Block Public Access -----------------------------------------------------------------------------

class _S3:
    def __init__(self, owned: bool) -> None:
        self.owned = owned
        self.pair = _Pair()
        self.calls: List[str] = []

    def get_paginator(self, method: str) -> _Pages:
        return _Pages(self, method)

    def list_buckets(self, **_kw) -> Dict[str, Any]:
        self.calls.append("ListBuckets")
        self.pair.first()
        return {"Buckets": [{"Name": "assets"}] if self.owned else []}

    def get_public_access_block(self, **kw) -> Dict[str, Any]:
        self.calls.append("s3control" if "AccountId" in kw else "s3")
        if "Bucket" in kw:
            self.pair.second()
        return {"PublicAccessBlockConfiguration": {"BlockPublicPolicy": "AccountId" in kw}}


def _bucket_context(client) -> ProbeContext:
    from wizard.aws.facts import EdgeFacts
    from wizard.engine.facts import Symptom
    from wizard.model import ProbeOutcome

    origin = {"Id": "s3", "DomainName": "assets.s3.us-east-1.amazonaws.com", "S3OriginConfig": {}}
    dist = ProbeOutcome("aws.distribution", "ok", data={
        "found": True, "id": "E1", "arn": "arn:aws:cloudfront::123456789012:distribution/E1",
        "domain": "d111111abcdef8.cloudfront.net", "aliases": [],
        "config": {"Origins": {"Items": [origin]}, "DefaultCacheBehavior": {"TargetOriginId": "s3"}}})
    return ProbeContext(EdgeFacts(Symptom("https://d111111abcdef8.cloudfront.net/index.html"),
                                  {"aws.distribution": dist}), aws=_Access(client))


def test_whose_bucket_and_its_own_block_public_access_are_read_at_once():
    client = _S3(owned=True)
    out = public_access(_bucket_context(client))
    assert client.pair.overlapped
    assert client.calls[-1] == "s3control"  # the account's setting after: it is our own bucket
    assert out == {"bucket": {"BlockPublicPolicy": False}, "account": {"BlockPublicPolicy": True},
                   "account_error": None}


def test_another_account_s_bucket_still_gets_no_account_level_read():
    client = _S3(owned=False)
    out = public_access(_bucket_context(client))
    assert "s3control" not in client.calls
    assert out["bucket"] == {"BlockPublicPolicy": False} and "owned by another account" in out["account_error"]

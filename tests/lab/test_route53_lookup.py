"""The Route 53 reading behind "which distribution serves this host", against the lab's moto:
zones are matched at a label boundary and wildcard records answer for names below them."""

from __future__ import annotations

import boto3

from wizard.aws.cloudfront import _dns_target
from wizard.aws.session import AwsAccess


def _access(lab_aws):
    return AwsAccess(region="us-east-1", endpoint_url=lab_aws.endpoint, credentials=lab_aws.credentials())


def _zone_with(lab_aws, zone: str, name: str, target: str) -> None:
    r53 = boto3.client("route53", endpoint_url=lab_aws.endpoint, region_name="us-east-1", **lab_aws.credentials())
    zone_id = r53.create_hosted_zone(Name=zone, CallerReference=zone)["HostedZone"]["Id"]
    r53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": [{
        "Action": "CREATE", "ResourceRecordSet": {"Name": name, "Type": "CNAME", "TTL": 60,
                                                  "ResourceRecords": [{"Value": target}]}}]})


def test_wildcard_record_answers_for_a_deeper_name(fresh_aws):
    _zone_with(fresh_aws, "example.com", "*.example.com", "d111111abcdef8.cloudfront.net")
    assert _dns_target(_access(fresh_aws), "img.cdn.example.com") == "d111111abcdef8.cloudfront.net"


def test_zone_suffix_must_end_at_a_dot(fresh_aws):
    # example.com does not hold cdn.shop-example.com, though "cdn.shop-example.com." ends with "example.com.":
    # its wildcard must not answer for a name in someone else's domain.
    _zone_with(fresh_aws, "example.com", "*.example.com", "d222222abcdef8.cloudfront.net")
    assert _dns_target(_access(fresh_aws), "cdn.shop-example.com") is None

"""Origin names CloudFront users really configure (dual-stack, Multi-Region Access Points, directory
buckets), alternate-domain-name matching as CloudFront documents it, and the plain refusal of
partitions edgewiz cannot read."""

from __future__ import annotations

import pytest

from wizard.analysis.edge import cloudfront_config as cfc
from wizard.aws import cloudfront
from wizard.aws.errors import UnsupportedPartition, explain


def _kind(domain: str):
    origin = cfc.classify_origin({"Id": "o", "DomainName": domain})
    return origin.kind, origin.bucket, origin.bucket_region


def test_dual_stack_rest_endpoint_is_the_bucket_in_its_region():
    assert _kind("media-prod.s3.dualstack.eu-west-1.amazonaws.com") == ("s3-rest", "media-prod", "eu-west-1")


def test_dotted_bucket_on_a_regional_endpoint_keeps_its_dots():
    assert _kind("media.prod.s3.us-east-1.amazonaws.com") == ("s3-rest", "media.prod", "us-east-1")


def test_multi_region_access_point_is_s3_but_not_one_bucket():
    assert _kind("mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com") == ("s3-mrap", None, None)


def test_directory_bucket_zonal_endpoint_names_bucket_and_region():
    domain = "media-base--use1-az4--x-s3.s3express-use1-az4.us-east-1.amazonaws.com"
    assert _kind(domain) == ("s3-directory", "media-base--use1-az4--x-s3", "us-east-1")


def test_plain_custom_origin_stays_custom():
    assert _kind("origin.example.com")[0] == "custom"


@pytest.mark.parametrize("host", ["www.example.com", "a.b.example.com", "marketing.product-name.example.com"])
def test_wildcard_alias_covers_any_depth(host):
    # AWS "Use wildcards in alternate domain names": *.example.com serves marketing.product-name.example.com.
    assert cfc.alias_matches(["*.example.com"], host)


@pytest.mark.parametrize("host", ["example.com", "badexample.com", "www.example.org"])
def test_wildcard_alias_needs_a_label_before_its_suffix(host):
    assert not cfc.alias_matches(["*.example.com"], host)


def _dist(dist_id, *aliases):
    return {"Id": dist_id, "Aliases": {"Quantity": len(aliases), "Items": list(aliases)}}


def test_exact_alias_on_a_later_distribution_beats_a_wildcard_listed_first():
    items = [_dist("EWILD", "*.example.com"), _dist("EEXACT", "shop.example.com")]
    assert cfc.best_alias_match(items, "shop.example.com")["Id"] == "EEXACT"
    assert cfc.best_alias_match(items, "blog.example.com")["Id"] == "EWILD"


def test_longer_wildcard_beats_a_shorter_one():
    items = [_dist("EWIDE", "*.example.com"), _dist("ENARROW", "*.cdn.example.com")]
    assert cfc.best_alias_match(items, "img.cdn.example.com")["Id"] == "ENARROW"


class _NoCalls:
    region = "cn-north-1"

    def client(self, *args, **kwargs):  # pragma: no cover - reaching it is the failure
        raise AssertionError("no AWS call may be sent in a partition edgewiz cannot read")


def test_china_region_is_refused_in_one_plain_sentence_before_any_call():
    with pytest.raises(UnsupportedPartition) as caught:
        cloudfront.find_distribution(_NoCalls(), "www.example.cn")
    failure = explain(caught.value, "cloudfront", "ListDistributions")
    assert failure.status == "error"
    assert "cn-north-1 is in the aws-cn partition" in failure.message
    assert "us-east-1 of the standard aws partition" in failure.message
    assert "\n" not in failure.message and "Traceback" not in failure.message


def test_govcloud_region_is_refused_too():
    with pytest.raises(UnsupportedPartition, match="aws-us-gov"):
        cloudfront.refuse_other_partitions("us-gov-west-1")
    cloudfront.refuse_other_partitions("eu-west-1")  # the aws partition goes on

"""The lab's CloudFront answers like CloudFront: origin access, certificates, ids, ETags, OAIs."""

from __future__ import annotations

import re

import pytest
from botocore.exceptions import ClientError

from wizard.lab.identity import oai_canonical_id

pytestmark = pytest.mark.lab

CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0f5e2c4a-1111-2222-3333-444455556666"


def _config(ref, origins, behavior=None, **extra):
    behavior = behavior or {"TargetOriginId": origins[0]["Id"], "ViewerProtocolPolicy": "redirect-to-https",
                            "CachePolicyId": CACHING_OPTIMIZED}
    return {"CallerReference": ref, "Comment": "", "Enabled": True,
            "Origins": {"Quantity": len(origins), "Items": origins}, "DefaultCacheBehavior": behavior, **extra}


def _oac(cf, name):
    return cf.create_origin_access_control(OriginAccessControlConfig={
        "Name": name, "SigningProtocol": "sigv4", "SigningBehavior": "always",
        "OriginAccessControlOriginType": "s3"})["OriginAccessControl"]["Id"]


def _oai(cf, ref):
    return cf.create_cloud_front_origin_access_identity(
        CloudFrontOriginAccessIdentityConfig={"CallerReference": ref, "Comment": "assets"})


def _by_id(config):
    return {o["Id"]: o for o in config["Origins"]["Items"]}


def test_oac_and_oai_origins_stay_distinguishable_everywhere(lab_aws, name):
    """An OAC origin, an OAI origin and an open S3 origin read back differently from every API."""
    cf = lab_aws.client("cloudfront")
    oac_id = _oac(cf, name)
    oai_id = _oai(cf, name)["CloudFrontOriginAccessIdentity"]["Id"]
    origins = [
        {"Id": "oac", "DomainName": f"{name}-a.s3.us-east-1.amazonaws.com",
         "S3OriginConfig": {"OriginAccessIdentity": ""}, "OriginAccessControlId": oac_id},
        {"Id": "oai", "DomainName": f"{name}-b.s3.amazonaws.com",
         "S3OriginConfig": {"OriginAccessIdentity": f"origin-access-identity/cloudfront/{oai_id}"}},
        {"Id": "open", "DomainName": f"{name}-c.s3.amazonaws.com", "S3OriginConfig": {"OriginAccessIdentity": ""}},
    ]
    created = cf.create_distribution(DistributionConfig=_config(name, origins))
    dist_id = created["Distribution"]["Id"]
    listed = next(d for d in cf.list_distributions()["DistributionList"]["Items"] if d["Id"] == dist_id)
    for config in (created["Distribution"]["DistributionConfig"],
                   cf.get_distribution(Id=dist_id)["Distribution"]["DistributionConfig"],
                   cf.get_distribution_config(Id=dist_id)["DistributionConfig"], listed):
        got = _by_id(config)
        assert got["oac"]["OriginAccessControlId"] == oac_id
        assert got["oai"]["S3OriginConfig"]["OriginAccessIdentity"] == f"origin-access-identity/cloudfront/{oai_id}"
        assert got["oai"]["OriginAccessControlId"] == ""
        assert got["open"]["S3OriginConfig"] == {"OriginAccessIdentity": ""}


def test_update_keeps_origin_access_and_issues_a_new_etag(lab_aws, name):
    """A get-config / update round trip keeps the OAC id, and the ETag changes after the update."""
    cf = lab_aws.client("cloudfront")
    oac_id = _oac(cf, name)
    origins = [{"Id": "s3", "DomainName": f"{name}.s3.us-east-1.amazonaws.com",
                "S3OriginConfig": {"OriginAccessIdentity": ""}, "OriginAccessControlId": oac_id}]
    dist_id = cf.create_distribution(DistributionConfig=_config(name, origins))["Distribution"]["Id"]
    current = cf.get_distribution_config(Id=dist_id)
    current["DistributionConfig"]["Comment"] = "updated"
    updated = cf.update_distribution(Id=dist_id, IfMatch=current["ETag"],
                                     DistributionConfig=current["DistributionConfig"])
    assert updated["ETag"] != current["ETag"]
    assert _by_id(cf.get_distribution_config(Id=dist_id)["DistributionConfig"])["s3"]["OriginAccessControlId"] == oac_id


def test_stale_if_match_is_refused(lab_aws, name):
    """Updating with an old ETag fails with PreconditionFailed (412), as CloudFront does."""
    cf = lab_aws.client("cloudfront")
    origins = [{"Id": "s3", "DomainName": f"{name}.s3.amazonaws.com", "S3OriginConfig": {"OriginAccessIdentity": ""}}]
    dist_id = cf.create_distribution(DistributionConfig=_config(name, origins))["Distribution"]["Id"]
    current = cf.get_distribution_config(Id=dist_id)
    cf.update_distribution(Id=dist_id, IfMatch=current["ETag"], DistributionConfig=current["DistributionConfig"])
    with pytest.raises(ClientError) as err:
        cf.update_distribution(Id=dist_id, IfMatch=current["ETag"], DistributionConfig=current["DistributionConfig"])
    assert err.value.response["Error"]["Code"] == "PreconditionFailed"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412


def test_origin_with_both_oai_and_oac_is_refused(lab_aws, name):
    """An origin that names both an OAI and an OAC is rejected (IllegalOriginAccessConfiguration)."""
    cf = lab_aws.client("cloudfront")
    oai_id = _oai(cf, name)["CloudFrontOriginAccessIdentity"]["Id"]
    origins = [{"Id": "s3", "DomainName": f"{name}.s3.amazonaws.com", "OriginAccessControlId": _oac(cf, name),
                "S3OriginConfig": {"OriginAccessIdentity": f"origin-access-identity/cloudfront/{oai_id}"}}]
    with pytest.raises(ClientError) as err:
        cf.create_distribution(DistributionConfig=_config(name, origins))
    assert err.value.response["Error"]["Code"] == "IllegalOriginAccessConfiguration"


def test_origin_naming_an_unknown_oai_is_refused(lab_aws, name):
    """An origin whose OAI does not exist in the account is rejected (InvalidOriginAccessIdentity)."""
    cf = lab_aws.client("cloudfront")
    origins = [{"Id": "s3", "DomainName": f"{name}.s3.amazonaws.com",
                "S3OriginConfig": {"OriginAccessIdentity": "origin-access-identity/cloudfront/E2ABCDEFGHIJKL"}}]
    with pytest.raises(ClientError) as err:
        cf.create_distribution(DistributionConfig=_config(name, origins))
    assert err.value.response["Error"]["Code"] == "InvalidOriginAccessIdentity"


def test_acm_viewer_certificate_round_trips(lab_aws, name):
    """An ACM certificate comes back as set, with CloudFrontDefaultCertificate false."""
    cf = lab_aws.client("cloudfront")
    origins = [{"Id": "s3", "DomainName": f"{name}.s3.amazonaws.com", "S3OriginConfig": {"OriginAccessIdentity": ""}}]
    config = _config(name, origins, Aliases={"Quantity": 1, "Items": [f"{name}.example.com"]},
                     ViewerCertificate={"ACMCertificateArn": CERT, "SSLSupportMethod": "sni-only",
                                        "MinimumProtocolVersion": "TLSv1.2_2021"})
    dist_id = cf.create_distribution(DistributionConfig=config)["Distribution"]["Id"]
    cert = cf.get_distribution_config(Id=dist_id)["DistributionConfig"]["ViewerCertificate"]
    assert cert["CloudFrontDefaultCertificate"] is False
    assert cert["ACMCertificateArn"] == CERT
    assert cert["SSLSupportMethod"] == "sni-only"
    assert cert["MinimumProtocolVersion"] == "TLSv1.2_2021"
    assert cert["CertificateSource"] == "acm"


def test_ids_and_domain_look_like_aws(lab_aws, name):
    """Distribution ids are E + 13, domains d + 13 .cloudfront.net, and the ARN carries the id."""
    cf = lab_aws.client("cloudfront")
    origins = [{"Id": "s3", "DomainName": f"{name}.s3.amazonaws.com", "S3OriginConfig": {"OriginAccessIdentity": ""}}]
    dist = cf.create_distribution(DistributionConfig=_config(name, origins))["Distribution"]
    assert re.fullmatch(r"E[A-Z0-9]{13}", dist["Id"])
    assert re.fullmatch(r"d[a-z0-9]{13}\.cloudfront\.net", dist["DomainName"])
    assert dist["ARN"] == f"arn:aws:cloudfront::{lab_aws.default_account}:distribution/{dist['Id']}"
    assert re.fullmatch(r"E[A-Z0-9]{13}", _oac(cf, name))


def test_seeded_rebuild_gives_the_same_ids(fresh_aws):
    """After reset + the same seed, the same build yields the same distribution id and domain."""
    def build():
        fresh_aws.reset()
        fresh_aws.seed(7)
        cf = fresh_aws.client("cloudfront")
        origins = [{"Id": "s3", "DomainName": "seeded.s3.amazonaws.com",
                    "S3OriginConfig": {"OriginAccessIdentity": ""}}]
        dist = cf.create_distribution(DistributionConfig=_config("seeded", origins))["Distribution"]
        return dist["Id"], dist["DomainName"]

    assert build() == build()


def test_cache_policy_behavior_has_no_legacy_forwarded_values(lab_aws, name):
    """A behavior with a cache policy carries no ForwardedValues or TTLs; a legacy one keeps them."""
    cf = lab_aws.client("cloudfront")
    origins = [{"Id": "s3", "DomainName": f"{name}.s3.amazonaws.com", "S3OriginConfig": {"OriginAccessIdentity": ""}}]
    legacy = {"PathPattern": "/legacy/*", "TargetOriginId": "s3", "ViewerProtocolPolicy": "allow-all",
              "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"},
                                  "Headers": {"Quantity": 1, "Items": ["Origin"]}}, "MinTTL": 0}
    config = _config(name, origins, CacheBehaviors={"Quantity": 1, "Items": [legacy]})
    dist_id = cf.create_distribution(DistributionConfig=config)["Distribution"]["Id"]
    got = cf.get_distribution_config(Id=dist_id)["DistributionConfig"]
    assert "ForwardedValues" not in got["DefaultCacheBehavior"]
    assert "MinTTL" not in got["DefaultCacheBehavior"]
    assert got["CacheBehaviors"]["Items"][0]["ForwardedValues"]["Headers"]["Items"] == ["Origin"]


def test_origin_access_identity_life_cycle(lab_aws, name):
    """OAIs can be created, read, listed, updated and deleted, with AWS-shaped ids and canonical ids."""
    cf = lab_aws.client("cloudfront")
    created = _oai(cf, name)
    oai = created["CloudFrontOriginAccessIdentity"]
    assert re.fullmatch(r"E[A-Z0-9]{13}", oai["Id"])
    assert oai["S3CanonicalUserId"] == oai_canonical_id(oai["Id"])
    assert created["Location"].endswith(f"/origin-access-identity/cloudfront/{oai['Id']}")
    assert cf.get_cloud_front_origin_access_identity(Id=oai["Id"])["CloudFrontOriginAccessIdentity"] == oai
    config = cf.get_cloud_front_origin_access_identity_config(Id=oai["Id"])
    assert config["CloudFrontOriginAccessIdentityConfig"] == {"CallerReference": name, "Comment": "assets"}
    listed = cf.list_cloud_front_origin_access_identities()["CloudFrontOriginAccessIdentityList"]["Items"]
    assert {"Id": oai["Id"], "S3CanonicalUserId": oai["S3CanonicalUserId"], "Comment": "assets"} in listed
    updated = cf.update_cloud_front_origin_access_identity(
        Id=oai["Id"], IfMatch=config["ETag"],
        CloudFrontOriginAccessIdentityConfig={"CallerReference": name, "Comment": "renamed"})
    assert updated["ETag"] != config["ETag"]
    cf.delete_cloud_front_origin_access_identity(Id=oai["Id"], IfMatch=updated["ETag"])
    with pytest.raises(ClientError) as err:
        cf.get_cloud_front_origin_access_identity(Id=oai["Id"])
    assert err.value.response["Error"]["Code"] == "NoSuchCloudFrontOriginAccessIdentity"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_oai_in_use_cannot_be_deleted(lab_aws, name):
    """Deleting an OAI that a distribution's origin uses fails with CloudFrontOriginAccessIdentityInUse."""
    cf = lab_aws.client("cloudfront")
    created = _oai(cf, name)
    oai_id = created["CloudFrontOriginAccessIdentity"]["Id"]
    origins = [{"Id": "s3", "DomainName": f"{name}.s3.amazonaws.com",
                "S3OriginConfig": {"OriginAccessIdentity": f"origin-access-identity/cloudfront/{oai_id}"}}]
    cf.create_distribution(DistributionConfig=_config(name, origins))
    with pytest.raises(ClientError) as err:
        cf.delete_cloud_front_origin_access_identity(Id=oai_id, IfMatch=created["ETag"])
    assert err.value.response["Error"]["Code"] == "CloudFrontOriginAccessIdentityInUse"


def test_origin_access_control_config_is_readable(lab_aws, name):
    """get_origin_access_control_config returns the OAC's settings (moto raised a 500)."""
    cf = lab_aws.client("cloudfront")
    config = cf.get_origin_access_control_config(Id=_oac(cf, name))["OriginAccessControlConfig"]
    assert config["Name"] == name
    assert config["SigningBehavior"] == "always"

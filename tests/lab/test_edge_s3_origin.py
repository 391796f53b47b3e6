"""The edge simulator answers CloudFront's origin requests as S3 does, from the lab's AWS state only."""

from __future__ import annotations

import json

import pytest

from wizard.analysis.edge.cloudfront_config import classify_origin
from wizard.lab.edge import s3_origin
from wizard.lab.edge.view import LabView

pytestmark = pytest.mark.lab

ACCOUNT = "123456789012"
WRITER = "210987654321"
DIST_ARN = f"arn:aws:cloudfront::{ACCOUNT}:distribution/ETESTDIST00001"


def _view(lab_aws) -> LabView:
    return LabView(lambda service, account, region: lab_aws.client(service, account=account, region=region or "us-east-1"))


def _website(bucket: str):
    return classify_origin({"Id": "web", "DomainName": f"{bucket}.s3-website-us-east-1.amazonaws.com",
                            "CustomOriginConfig": {"OriginProtocolPolicy": "http-only"}})


def _rest_oai(bucket: str, oai_id: str):
    return classify_origin({"Id": "rest", "DomainName": f"{bucket}.s3.amazonaws.com",
                            "S3OriginConfig": {"OriginAccessIdentity": f"origin-access-identity/cloudfront/{oai_id}"}})


def _rest_oac(bucket: str):
    return classify_origin({"Id": "rest", "DomainName": f"{bucket}.s3.us-east-1.amazonaws.com",
                            "S3OriginConfig": {"OriginAccessIdentity": ""}, "OriginAccessControlId": "EOAC0000000001"})


def _get(view, origin, key: str):
    return s3_origin.answer(view, origin, s3_origin.OriginCall("GET", key, {}, DIST_ARN, ACCOUNT))


def _public_website(s3, bucket: str, error_document: str = "error.html") -> None:
    s3.create_bucket(Bucket=bucket)
    s3.delete_public_access_block(Bucket=bucket)
    s3.put_bucket_website(Bucket=bucket, WebsiteConfiguration={"IndexDocument": {"Suffix": "index.html"},
                                                               "ErrorDocument": {"Key": error_document}})
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}]}))


def test_website_error_serves_the_custom_error_document_with_the_error_status(lab_aws, name):
    """A missing page on a public website answers 403 with the bucket's error.html as the body."""
    s3 = lab_aws.client("s3")
    _public_website(s3, name)
    s3.put_object(Bucket=name, Key="error.html", Body=b"<h1>Sorry</h1>", ContentType="text/html")
    status, headers, body = _get(_view(lab_aws), _website(name), "missing.html")
    assert status == 403
    assert body == b"<h1>Sorry</h1>"
    assert ("Server", "AmazonS3") in headers


def test_website_error_says_when_the_error_document_itself_fails(lab_aws, name):
    """With no readable error document, S3's HTML page adds "An Error Occurred While Attempting to Retrieve a Custom Error Document"."""
    s3 = lab_aws.client("s3")
    _public_website(s3, name)
    s3.put_bucket_request_payment(Bucket=name, RequestPaymentConfiguration={"Payer": "Requester"})
    s3.put_object(Bucket=name, Key="index.html", Body=b"home", ContentType="text/html")
    status, _, body = _get(_view(lab_aws), _website(name), "index.html")
    assert status == 403
    assert b"Code: AccessDenied" in body
    assert b"Custom Error Document" in body


def test_an_object_acl_grant_to_the_oai_reads_an_object_the_bucket_owner_does_not_own(lab_aws, name):
    """An OAI granted READ in the object's own ACL gets the object even though another account owns it."""
    s3 = lab_aws.client("s3")
    cf = lab_aws.client("cloudfront")
    oai = cf.create_cloud_front_origin_access_identity(CloudFrontOriginAccessIdentityConfig={
        "CallerReference": name, "Comment": name})["CloudFrontOriginAccessIdentity"]
    s3.create_bucket(Bucket=name, ObjectOwnership="ObjectWriter")
    writer = lab_aws.client("s3", account=WRITER)
    writer.put_object(Bucket=name, Key="a.pdf", Body=b"%PDF", ACL="bucket-owner-full-control")
    view = _view(lab_aws)
    assert _get(view, _rest_oai(name, oai["Id"]), "a.pdf")[0] == 403
    writer.put_object_acl(Bucket=name, Key="a.pdf", GrantRead=f"id={oai['S3CanonicalUserId']}")
    status, _, body = _get(view, _rest_oai(name, oai["Id"]), "a.pdf")
    assert (status, body) == (200, b"%PDF")


def test_the_bucket_root_is_a_listing_that_oac_may_not_make(lab_aws, name):
    """'/' with no default root object asks a REST origin for the bucket: 403 unless the policy allows s3:ListBucket."""
    s3 = lab_aws.client("s3")
    s3.create_bucket(Bucket=name)
    grant = {"Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject",
             "Resource": f"arn:aws:s3:::{name}/*", "Condition": {"StringEquals": {"AWS:SourceArn": DIST_ARN}}}
    s3.put_bucket_policy(Bucket=name, Policy=json.dumps({"Version": "2012-10-17", "Statement": [grant]}))
    view = _view(lab_aws)
    status, _, body = _get(view, _rest_oac(name), "")
    assert status == 403 and b"<Code>AccessDenied</Code>" in body
    listing = dict(grant, Action="s3:ListBucket", Resource=f"arn:aws:s3:::{name}")
    s3.put_bucket_policy(Bucket=name, Policy=json.dumps({"Version": "2012-10-17", "Statement": [grant, listing]}))
    status, _, body = _get(view, _rest_oac(name), "")
    assert status == 200 and b"<ListBucketResult" in body


def test_an_scp_never_denies_the_read_but_an_rcp_above_a_member_bucket_does(fresh_aws, name):
    """A deny SCP at the root leaves the anonymous website read alone (SCPs limit only IAM principals
    of member accounts); the same deny as an RCP refuses it, the bucket's account being a member."""
    lab_aws = fresh_aws
    mgmt = lab_aws.client("organizations", account="999988887777")
    mgmt.create_organization(FeatureSet="ALL")
    invite = mgmt.invite_account_to_organization(Target={"Id": "123456789012", "Type": "ACCOUNT"})["Handshake"]
    lab_aws.client("organizations").accept_handshake(HandshakeId=invite["Id"])
    root = mgmt.list_roots()["Roots"][0]["Id"]
    deny = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject",
                                                    "Resource": "*"}]}
    scp_doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}]}
    scp = mgmt.create_policy(Name="no-reads", Description="d", Type="SERVICE_CONTROL_POLICY", Content=json.dumps(scp_doc))
    rcp = mgmt.create_policy(Name="no-reads-rcp", Description="d", Type="RESOURCE_CONTROL_POLICY", Content=json.dumps(deny))
    s3 = lab_aws.client("s3")
    _public_website(s3, name)
    s3.put_object(Bucket=name, Key="index.html", Body=b"home", ContentType="text/html")
    view = _view(lab_aws)
    mgmt.attach_policy(PolicyId=scp["Policy"]["PolicySummary"]["Id"], TargetId=root)
    assert _get(view, _website(name), "index.html")[0] == 200
    mgmt.attach_policy(PolicyId=rcp["Policy"]["PolicySummary"]["Id"], TargetId=root)
    assert _get(view, _website(name), "index.html")[0] == 403

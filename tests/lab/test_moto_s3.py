"""The lab's S3 reports owners per account, keeps Requester Pays, and applies AWS's bucket defaults."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from wizard.lab.identity import canonical_id_for_account

pytestmark = pytest.mark.lab

OTHER = "222233334444"


def _object_writer_bucket(s3, bucket):
    s3.create_bucket(Bucket=bucket, ObjectOwnership="ObjectWriter")


def test_requester_pays_round_trips(lab_aws, name):
    """put_bucket_request_payment(Requester) is what get_bucket_request_payment returns."""
    s3 = lab_aws.client("s3")
    s3.create_bucket(Bucket=name)
    assert s3.get_bucket_request_payment(Bucket=name)["Payer"] == "BucketOwner"
    s3.put_bucket_request_payment(Bucket=name, RequestPaymentConfiguration={"Payer": "Requester"})
    assert s3.get_bucket_request_payment(Bucket=name)["Payer"] == "Requester"


def test_new_bucket_has_aws_2023_defaults(lab_aws, name):
    """A new bucket reports BucketOwnerEnforced and all four Block Public Access settings on."""
    s3 = lab_aws.client("s3")
    s3.create_bucket(Bucket=name)
    rules = s3.get_bucket_ownership_controls(Bucket=name)["OwnershipControls"]["Rules"]
    assert rules == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    assert set(s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"].values()) == {True}


def test_acls_are_refused_when_the_bucket_disables_them(lab_aws, name):
    """With BucketOwnerEnforced, a public-read upload fails with AccessControlListNotSupported (400)."""
    s3 = lab_aws.client("s3")
    s3.create_bucket(Bucket=name)
    with pytest.raises(ClientError) as err:
        s3.put_object(Bucket=name, Key="index.html", Body=b"hi", ACL="public-read")
    assert err.value.response["Error"]["Code"] == "AccessControlListNotSupported"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    s3.put_object(Bucket=name, Key="index.html", Body=b"hi", ACL="bucket-owner-full-control")


def test_bucket_acls_are_refused_unless_acls_are_enabled(lab_aws, name):
    """A public-read bucket is refused at creation unless ObjectWriter is chosen, and then allowed."""
    s3 = lab_aws.client("s3")
    with pytest.raises(ClientError) as err:
        s3.create_bucket(Bucket=name, ACL="public-read")
    assert err.value.response["Error"]["Code"] == "InvalidBucketAclWithObjectOwnership"
    s3.create_bucket(Bucket=name, ACL="public-read", ObjectOwnership="ObjectWriter")
    s3.create_bucket(Bucket=name + "-enforced")
    with pytest.raises(ClientError) as err:
        s3.put_bucket_acl(Bucket=name + "-enforced", ACL="private")
    assert err.value.response["Error"]["Code"] == "AccessControlListNotSupported"


def test_acls_cannot_be_disabled_while_the_bucket_acl_is_public(lab_aws, name):
    """BucketOwnerEnforced is refused while the bucket ACL grants others, accepted once it is private."""
    s3 = lab_aws.client("s3")
    s3.create_bucket(Bucket=name, ACL="public-read", ObjectOwnership="ObjectWriter")
    enforced = {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    with pytest.raises(ClientError) as err:
        s3.put_bucket_ownership_controls(Bucket=name, OwnershipControls=enforced)
    assert err.value.response["Error"]["Code"] == "InvalidBucketAclWithObjectOwnership"
    s3.put_bucket_acl(Bucket=name, ACL="private")
    s3.put_bucket_ownership_controls(Bucket=name, OwnershipControls=enforced)


def test_object_uploaded_by_another_account_is_owned_by_it(lab_aws, name):
    """Seed 004: with ACLs enabled, the uploading account owns its object, not the bucket owner."""
    owner_s3, other_s3 = lab_aws.client("s3"), lab_aws.client("s3", account=OTHER)
    _object_writer_bucket(owner_s3, name)
    other_s3.put_object(Bucket=name, Key="assets/app.js", Body=b"x", ACL="bucket-owner-full-control")
    owner_s3.put_object(Bucket=name, Key="assets/own.js", Body=b"x")
    bucket_owner = owner_s3.get_bucket_acl(Bucket=name)["Owner"]["ID"]
    acl = owner_s3.get_object_acl(Bucket=name, Key="assets/app.js")
    listing = owner_s3.list_objects_v2(Bucket=name, FetchOwner=True)["Contents"]
    owners = {o["Key"]: o["Owner"]["ID"] for o in listing}
    assert bucket_owner == canonical_id_for_account(lab_aws.default_account)
    assert acl["Owner"]["ID"] == canonical_id_for_account(OTHER) == owners["assets/app.js"]
    assert owners["assets/own.js"] == bucket_owner
    # bucket-owner-full-control gives the bucket owner a grant, not the ownership.
    assert {g["Grantee"]["ID"] for g in acl["Grants"]} == {canonical_id_for_account(OTHER), bucket_owner}


def test_bucket_owner_enforced_makes_the_bucket_owner_own_everything(lab_aws, name):
    """Switching to BucketOwnerEnforced makes the bucket owner the owner of another account's object."""
    owner_s3, other_s3 = lab_aws.client("s3"), lab_aws.client("s3", account=OTHER)
    _object_writer_bucket(owner_s3, name)
    other_s3.put_object(Bucket=name, Key="app.js", Body=b"x")
    owner_s3.put_bucket_ownership_controls(
        Bucket=name, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
    acl = owner_s3.get_object_acl(Bucket=name, Key="app.js")
    assert acl["Owner"]["ID"] == canonical_id_for_account(lab_aws.default_account)
    assert [g["Grantee"]["ID"] for g in acl["Grants"]] == [canonical_id_for_account(lab_aws.default_account)]


def test_bucket_owner_preferred_takes_objects_sent_with_full_control(lab_aws, name):
    """BucketOwnerPreferred: an upload with bucket-owner-full-control belongs to the bucket owner."""
    owner_s3, other_s3 = lab_aws.client("s3"), lab_aws.client("s3", account=OTHER)
    owner_s3.create_bucket(Bucket=name, ObjectOwnership="BucketOwnerPreferred")
    other_s3.put_object(Bucket=name, Key="given.js", Body=b"x", ACL="bucket-owner-full-control")
    other_s3.put_object(Bucket=name, Key="kept.js", Body=b"x")
    assert owner_s3.get_object_acl(Bucket=name, Key="given.js")["Owner"]["ID"] == canonical_id_for_account(
        lab_aws.default_account)
    assert owner_s3.get_object_acl(Bucket=name, Key="kept.js")["Owner"]["ID"] == canonical_id_for_account(OTHER)


def test_list_buckets_owner_is_the_calling_account(lab_aws, name):
    """list_buckets' Owner is the caller's canonical id, the same one get_bucket_acl reports."""
    s3 = lab_aws.client("s3", account=OTHER)
    s3.create_bucket(Bucket=name)
    assert s3.list_buckets()["Owner"]["ID"] == s3.get_bucket_acl(Bucket=name)["Owner"]["ID"] == \
        canonical_id_for_account(OTHER)


def test_account_block_public_access_is_reachable(lab_aws):
    """s3control account-level Block Public Access works through the lab (no "{AccountId}." host)."""
    s3control = lab_aws.client("s3control", account=OTHER)
    config = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": False,
              "RestrictPublicBuckets": False}
    s3control.put_public_access_block(AccountId=OTHER, PublicAccessBlockConfiguration=config)
    assert s3control.get_public_access_block(AccountId=OTHER)["PublicAccessBlockConfiguration"] == config

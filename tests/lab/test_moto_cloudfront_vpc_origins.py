"""The lab's CloudFront serves VPC origins as CloudFront does: CreateVpcOrigin creates the
service-managed group CloudFront-VPCOrigins-Service-SG in the endpoint's VPC, GetVpcOrigin and
ListVpcOrigins read it back, and a distribution origin keeps its VpcOriginConfig."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.lab.test_moto_cloudfront import CACHING_OPTIMIZED, _config

pytestmark = pytest.mark.lab


def _private_instance(lab_aws):
    ec2 = lab_aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.40.1.0/24")["Subnet"]["SubnetId"]
    instance = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, SubnetId=subnet)["Instances"][0]
    return vpc, instance


def test_a_vpc_origin_reads_back_and_brings_the_service_group_into_the_vpc(lab_aws, name):
    cf, ec2 = lab_aws.client("cloudfront"), lab_aws.client("ec2")
    vpc, instance = _private_instance(lab_aws)
    arn = f"arn:aws:ec2:us-east-1:123456789012:instance/{instance['InstanceId']}"
    created = cf.create_vpc_origin(VpcOriginEndpointConfig={
        "Name": name, "Arn": arn, "HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "http-only"})["VpcOrigin"]
    got = cf.get_vpc_origin(Id=created["Id"])["VpcOrigin"]
    assert got["VpcOriginEndpointConfig"]["Arn"] == arn and got["Status"] == "Deployed"
    assert created["Id"] in [o["Id"] for o in cf.list_vpc_origins()["VpcOriginList"]["Items"]]
    groups = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["CloudFront-VPCOrigins-Service-SG"]},
                                                   {"Name": "vpc-id", "Values": [vpc]}])["SecurityGroups"]
    assert len(groups) == 1


def test_an_unknown_vpc_origin_is_not_found(lab_aws):
    with pytest.raises(ClientError) as caught:
        lab_aws.client("cloudfront").get_vpc_origin(Id="vo_doesnotexist")
    assert caught.value.response["Error"]["Code"] == "EntityNotFound"


def test_a_distribution_origin_keeps_its_vpc_origin_config(lab_aws, name):
    cf = lab_aws.client("cloudfront")
    _, instance = _private_instance(lab_aws)
    vo = cf.create_vpc_origin(VpcOriginEndpointConfig={
        "Name": name, "Arn": f"arn:aws:ec2:us-east-1:123456789012:instance/{instance['InstanceId']}",
        "HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "http-only"})["VpcOrigin"]
    origin = {"Id": "private", "DomainName": instance["PrivateDnsName"],
              "VpcOriginConfig": {"VpcOriginId": vo["Id"], "OriginReadTimeout": 30, "OriginKeepaliveTimeout": 5}}
    behavior = {"TargetOriginId": "private", "ViewerProtocolPolicy": "redirect-to-https",
                "CachePolicyId": CACHING_OPTIMIZED}
    dist = cf.create_distribution(DistributionConfig=_config(name, [origin], behavior))["Distribution"]
    config = cf.get_distribution_config(Id=dist["Id"])["DistributionConfig"]
    assert config["Origins"]["Items"][0]["VpcOriginConfig"]["VpcOriginId"] == vo["Id"]

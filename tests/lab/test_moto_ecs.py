"""The lab's ECS gives awsvpc tasks an address inside their subnet (seed 003's targets)."""

from __future__ import annotations

import ipaddress

import pytest

pytestmark = pytest.mark.lab


def test_awsvpc_task_address_is_inside_its_subnet(lab_aws, name):
    """run_task's ENI address lies in the task's subnet and carries a private DNS name."""
    ec2, ecs = lab_aws.client("ec2"), lab_aws.client("ecs")
    vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]  # no enableDnsHostnames: moto crashed here
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.30.7.0/24", AvailabilityZone="us-east-1a")["Subnet"]
    group = ec2.create_security_group(GroupName=name, Description="tasks", VpcId=vpc)["GroupId"]
    ecs.create_cluster(clusterName=name)
    ecs.register_task_definition(family=name, networkMode="awsvpc", requiresCompatibilities=["FARGATE"],
                                 cpu="256", memory="512",
                                 containerDefinitions=[{"name": "web", "image": "nginx", "memory": 512}])
    task = ecs.run_task(cluster=name, taskDefinition=name, launchType="FARGATE", networkConfiguration={
        "awsvpcConfiguration": {"subnets": [subnet["SubnetId"]], "securityGroups": [group]}})["tasks"][0]
    details = {d["name"]: d["value"] for d in task["attachments"][0]["details"]}
    address = details["privateIPv4Address"]
    assert ipaddress.ip_address(address) in ipaddress.ip_network(subnet["CidrBlock"])
    assert details["privateDnsName"] == "ip-" + address.replace(".", "-") + ".ec2.internal"
    eni = ec2.describe_network_interfaces(NetworkInterfaceIds=[details["networkInterfaceId"]])["NetworkInterfaces"][0]
    assert eni["SubnetId"] == subnet["SubnetId"] and [g["GroupId"] for g in eni["Groups"]] == [group]

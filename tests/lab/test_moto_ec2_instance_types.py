"""moto_patches.ec2_instance_types: a lab that builds VPCs, subnets and security groups does not read
moto's instance-type catalogue (moto 5.2.5 read it, ~90 files, whenever moto's EC2 was imported),
and what does need it (launching an instance, describing types and offerings) still gets it, through
boto3 over HTTP. Each case runs in a new process: moto's EC2 is imported once per process, and the
suite's shared lab server imported it long before."""

from __future__ import annotations

import textwrap

import pytest

from tests.lab.fresh_process import run_fresh

pytestmark = pytest.mark.lab


SCRIPT = textwrap.dedent("""
    import json, os, sys
    opened = []  # moto's catalogue files: ec2/resources/instance_types.json.gz, instance_type_offerings/
    catalogue = os.path.join("ec2", "resources", "instance_type")
    sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" and
                     catalogue in str(args[0]) else None)
    from wizard.lab.aws_server import start_aws_server
    server = start_aws_server()
    try:
        ec2 = server.client("ec2")
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
        ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)
        built = len(opened)
        types = ec2.describe_instance_types(InstanceTypes=["t3.small"])["InstanceTypes"]
        offers = ec2.describe_instance_type_offerings(
            Filters=[{"Name": "instance-type", "Values": ["t3.small"]}])["InstanceTypeOfferings"]
        launched = ec2.run_instances(ImageId="ami-12c6146b", InstanceType="t3.small", MinCount=1, MaxCount=1,
                                     SubnetId=subnet)["Instances"][0]
        print(json.dumps({"files_read_while_building": built, "files_read_after": len(opened) - built,
                          "types": [t["InstanceType"] for t in types], "memory": types[0]["MemoryInfo"],
                          "offers": sorted({o["Location"] for o in offers}),
                          "launched": launched["InstanceType"]}))
    finally:
        server.stop()
""")


def _run() -> dict:
    return run_fresh(SCRIPT)


def test_building_a_network_reads_no_instance_types_and_launching_still_checks_them():
    result = _run()
    assert result["files_read_while_building"] == 0
    assert result["files_read_after"] > 0
    assert result["types"] == ["t3.small"] and result["memory"] == {"SizeInMiB": 2048}
    assert "us-east-1" in result["offers"]
    assert result["launched"] == "t3.small"


def test_the_rewrite_matches_the_installed_moto():
    """The patch rewrites moto's module text; another moto version would leave it unpatched (slower,
    not wrong): this says so, instead of the lab quietly getting slower."""
    import importlib.util

    from wizard.lab.moto_patches.ec2_instance_types import MODULE, rewrite

    spec = importlib.util.find_spec(MODULE)
    assert rewrite(spec.loader.get_source(MODULE)) is not None

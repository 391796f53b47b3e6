"""moto_patches.ec2_regions: moto's EC2 builds its region table without making a boto3 session per
partition, and the table is the one moto would build (the same regions, endpoints and opt-in
states). Runs in a new process: moto's EC2 is imported once per process."""

from __future__ import annotations

import textwrap

import pytest

from tests.lab.fresh_process import run_fresh

pytestmark = pytest.mark.lab


SCRIPT = textwrap.dedent("""
    import json, sys
    import botocore.session
    made = []
    original = botocore.session.Session.__init__

    def counting(self, *args, **kwargs):
        made.append(1)
        original(self, *args, **kwargs)

    from wizard.lab.aws_server import start_aws_server
    server = start_aws_server()
    try:
        import boto3
        expected = [(r, p) for p in ("aws", "aws-us-gov", "aws-cn")
                    for r in boto3.Session().get_available_regions("ec2", partition_name=p)]
        from wizard.aws.botocore_loader import model_session
        ec2 = server.client("ec2")
        model_session()  # a lab has both before its first EC2 call (the scenario check made the latter)
        botocore.session.Session.__init__ = counting  # from here: moto's EC2 import and first call
        regions = sorted(r["RegionName"] for r in ec2.describe_regions(AllRegions=True)["Regions"])
        botocore.session.Session.__init__ = original
        from moto.ec2.models import availability_zones_and_regions as module
        from wizard.lab.moto_patches import ec2_regions
        table = [(r.name, r.endpoint, r.opt_in_status) for r in module.RegionsAndZonesBackend.regions]
        print(json.dumps({"sessions": len(made), "rewritten": ec2_regions.rewritten(),
                          "table": sorted(r for r, _, _ in table), "expected": sorted(r for r, _ in expected),
                          "cn_endpoints": sorted({e.rsplit(".", 1)[-1] for r, e, _ in table if r.startswith("cn-")}),
                          "regions": regions, "us_east_1": [s for r, _, s in table if r == "us-east-1"]}))
    finally:
        server.stop()
""")


def test_moto_ec2_region_table_is_built_without_a_session_per_partition():
    result = run_fresh(SCRIPT)
    assert result["rewritten"] is True  # moto's source is the text the patch expects
    assert result["table"] == result["expected"]
    assert "us-gov-west-1" in result["table"] and "cn-north-1" in result["table"]
    assert result["cn_endpoints"] == ["cn"]
    assert result["us_east_1"] == ["opt-in-not-required"]
    assert "us-east-1" in result["regions"]
    # moto's own BackendDict keeps one session of its own; the three per-partition ones are gone.
    assert result["sessions"] <= 1

"""moto_patches.model_loader: the lab's server parses each service's model without listing botocore's
data folder again for every model (moto 5.2.5 made a new loader per model, and each listed the ~400
services to find the model's version). Runs in a new process: moto keeps parsed models for the
process, and the suite's shared lab server parsed them long before."""

from __future__ import annotations

import textwrap

import pytest

from tests.lab.fresh_process import run_fresh

pytestmark = pytest.mark.lab


SCRIPT = textwrap.dedent("""
    import json, os, sys
    import botocore
    data = os.path.join(os.path.dirname(botocore.__file__), "data")
    listed = []
    counting = [False]
    sys.addaudithook(lambda event, args: listed.append(args[0]) if counting[0] and event in ("os.listdir",
                     "os.scandir") and os.path.normpath(str(args[0])) == data else None)
    from wizard.lab.aws_server import start_aws_server
    server = start_aws_server()
    try:
        clients = {name: server.client(name) for name in ("sts", "cloudfront", "elbv2", "route53")}
        counting[0] = True  # from here on, only the server's first request per service
        answers = [clients["sts"].get_caller_identity()["Account"],
                   clients["cloudfront"].list_distributions()["DistributionList"]["Quantity"],
                   len(clients["elbv2"].describe_load_balancers()["LoadBalancers"]),
                   len(clients["route53"].list_hosted_zones()["HostedZones"])]
        print(json.dumps({"listings": len(listed), "answers": answers}))
    finally:
        server.stop()
""")


def test_the_server_lists_botocores_models_once_not_per_service():
    result = run_fresh(SCRIPT)
    assert result["answers"] == ["123456789012", 0, 0, 0]
    assert result["listings"] <= 1


PARSED_ONCE = textwrap.dedent("""
    import json, os, sys
    import botocore
    model = os.path.join(os.path.dirname(botocore.__file__), "data", "ec2", "2016-11-15", "service-2.json")
    opened = []
    sys.addaudithook(lambda event, args: opened.append(args[0]) if event == "open" and isinstance(args[0], str)
                     and args[0].startswith(model) else None)
    from wizard.lab.aws_server import start_aws_server
    server = start_aws_server()
    try:
        ec2 = server.client("ec2")  # the client parses EC2's model; the server's first EC2 request needs it too
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        try:
            ec2.describe_vpcs(VpcIds=["vpc-00000000"])
            missing = None
        except botocore.exceptions.ClientError as exc:
            missing = exc.response["Error"]["Code"]
        from moto.core.utils import get_service_model
        print(json.dumps({"opened": len(opened), "vpc": vpc.startswith("vpc-"), "missing": missing,
                          "server_has_moto_extras": "AuthFailure" in get_service_model("ec2").shape_names,
                          "client_has_moto_extras": "AuthFailure" in ec2.meta.service_model.shape_names}))
    finally:
        server.stop()
""")


def test_the_server_takes_ec2s_model_from_the_clients_parse_with_motos_extras_kept_apart():
    result = run_fresh(PARSED_ONCE)
    assert result == {"opened": 1, "vpc": True, "missing": "InvalidVpcID.NotFound",
                      "server_has_moto_extras": True, "client_has_moto_extras": False}

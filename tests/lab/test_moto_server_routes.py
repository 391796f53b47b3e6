"""moto_patches.server_routes: the lab's server routes requests without generating werkzeug's
URL-building code for each of moto's routes (moto never builds a URL from a route; moto 5.2.5
generated two functions per route of each service's app and of each REST service's operation
router: 464 for the S3 and CloudFront calls below), and a route asked to build a URL still builds
the one werkzeug would."""

from __future__ import annotations

import textwrap

import pytest

from tests.lab.fresh_process import run_fresh

pytestmark = pytest.mark.lab


SCRIPT = textwrap.dedent("""
    import json, sys
    generated = []
    sys.addaudithook(lambda event, args: generated.append(1) if event == "exec" and
                     getattr(args[0], "co_filename", "") == "<werkzeug routing>" else None)
    from wizard.lab.aws_server import start_aws_server
    server = start_aws_server()
    try:
        s3 = server.client("s3")
        s3.create_bucket(Bucket="routes")
        s3.put_object(Bucket="routes", Key="a/b.txt", Body=b"x")
        body = s3.get_object(Bucket="routes", Key="a/b.txt")["Body"].read().decode()
        dists = server.client("cloudfront").list_distributions()["DistributionList"]["Quantity"]
        print(json.dumps({"generated": len(generated), "body": body, "distributions": dists}))
    finally:
        server.stop()
""")


def test_serving_requests_generates_no_url_builders():
    result = run_fresh(SCRIPT)
    assert result == {"generated": 0, "body": "x", "distributions": 0}


def test_a_route_still_builds_the_url_werkzeug_would():
    from werkzeug.routing import Map, Rule

    from wizard.lab.moto_patches.server_routes import _lazy_rule_class

    lazy = Map([_lazy_rule_class()("/<bucket>/<path:key>", endpoint="key")]).bind("lab")
    plain = Map([Rule("/<bucket>/<path:key>", endpoint="key")]).bind("lab")
    for values in ({"bucket": "b", "key": "a/b c.txt"}, {"bucket": "b", "key": "k", "extra": "1"}):
        assert lazy.build("key", values) == plain.build("key", values)

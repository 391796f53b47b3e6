"""The lab's HTTP API (API Gateway v2) origin answers from the API's state in moto: a path whose first
segment is no stage is 404 {"message":"Not Found"} (not a REST API's 403 Missing Authentication
Token); once a $default stage exists the same path is served from it; a route that is not there is
404 too."""

from __future__ import annotations

import boto3
import httpx
import pytest

from wizard.lab.lab import Lab
from wizard.lab.scenario import load_scenario

pytestmark = pytest.mark.lab


def test_an_http_api_answers_by_stage_and_route_from_moto_state(lab_aws):
    lab = Lab(load_scenario("apigw-v2-404-origin-path-missing-stage"), aws_server=lab_aws)
    env = lab.start()
    try:
        host = env.symptom.url.split("/")[2]
        get = lambda path: httpx.get(f"http://{env.edge_address}{path}", headers={"Host": host}, timeout=10)  # noqa: E731
        first = get("/orders")
        assert first.status_code == 404 and first.json() == {"message": "Not Found"}
        assert "Missing Authentication Token" not in first.text
        v2 = boto3.client("apigatewayv2", endpoint_url=env.aws_endpoint, region_name=env.region, **env.credentials)
        api_id = v2.get_apis()["Items"][0]["ApiId"]
        assert get("/orders/7").status_code == 404  # no stage named 'orders'
        v2.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
        v2.create_route(ApiId=api_id, RouteKey="GET /orders/{id}")
        # CloudFront still holds the earlier 404s (error caching); a path not asked before shows the change.
        assert get("/orders/8").status_code == 200
        assert get("/customers").status_code == 404  # no such route
    finally:
        lab.stop()


def test_an_http_api_refuses_a_forwarded_viewer_host_before_any_stage(lab_aws):
    """AllViewer forwards the distribution's Host to an HTTP API: the execute-api endpoint answers 403
    {"message":"Forbidden"} although the stage and route exist (not the 404 of a missing stage)."""
    lab = Lab(load_scenario("apigw-v2-403-host-header-forwarded"), aws_server=lab_aws)
    env = lab.start()
    try:
        host = env.symptom.url.split("/")[2]
        answer = httpx.get(f"http://{env.edge_address}/orders", headers={"Host": host}, timeout=10)
        assert answer.status_code == 403 and answer.json() == {"message": "Forbidden"}
    finally:
        lab.stop()


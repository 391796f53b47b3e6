"""Provides the reads behind API Gateway and Lambda function URL origins: the API's endpoint type,
stages and resources (REST: apigateway GetRestApi/GetStages/GetResources; HTTP APIs: apigatewayv2
GetApi/GetStages), and the function behind a URL id with its URL auth type and resource policy
(lambda ListFunctions/GetFunctionUrlConfig/GetPolicy). All reads; a refusal raises (the probe runner
turns it into a denied probe, so the part stays unknown)."""

from __future__ import annotations

from typing import Any, Dict, Optional

from botocore.exceptions import ClientError

# Functions read per page when looking for the one behind a URL id (GetFunctionUrlConfig each).
MAX_FUNCTIONS = 200


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def api(access, api_id: str, region: str) -> Dict[str, Any]:
    """The API behind an execute-api domain: kind (rest/http), endpoint type, stages, resources."""
    rest = access.client("apigateway", region=region)
    try:
        info = rest.get_rest_api(restApiId=api_id)
    except ClientError as exc:
        if _code(exc) != "NotFoundException":
            raise
        return _http_api(access, api_id, region)
    types = list((info.get("endpointConfiguration") or {}).get("types") or ["EDGE"])
    stages = [s["stageName"] for s in rest.get_stages(restApiId=api_id).get("item") or []]
    resources = []
    for page in rest.get_paginator("get_resources").paginate(restApiId=api_id):
        for item in page.get("items") or []:
            resources.append({"path": item.get("path"), "methods": sorted((item.get("resourceMethods") or {}).keys())})
    return {"api_id": api_id, "region": region, "kind": "rest", "name": info.get("name"),
            "endpoint_type": types[0], "stages": stages, "resources": resources}


def _http_api(access, api_id: str, region: str) -> Dict[str, Any]:
    v2 = access.client("apigatewayv2", region=region)
    try:
        info = v2.get_api(ApiId=api_id)
    except ClientError as exc:
        if _code(exc) != "NotFoundException":
            raise
        return {"api_id": api_id, "region": region, "kind": None, "found": False}
    stages = [s["StageName"] for s in v2.get_stages(ApiId=api_id).get("Items") or []]
    return {"api_id": api_id, "region": region, "kind": str(info.get("ProtocolType") or "HTTP").lower(),
            "name": info.get("Name"), "endpoint_type": "REGIONAL", "stages": stages, "resources": None}


def function_url(access, url_id: str, region: str) -> Dict[str, Any]:
    """The function whose URL is https://URLID.lambda-url.REGION.on.aws, its auth type and policy."""
    client = access.client("lambda", region=region)
    wanted = f"https://{url_id}.lambda-url.{region}.on.aws"
    seen = 0
    for page in client.get_paginator("list_functions").paginate():
        for fn in page.get("Functions") or []:
            seen += 1
            if seen > MAX_FUNCTIONS:
                return {"url_id": url_id, "region": region, "function": None, "truncated": True,
                        "error": f"more than {MAX_FUNCTIONS} functions in {region}: stopped looking"}
            config = _url_config(client, fn["FunctionName"])
            if config and str(config.get("FunctionUrl", "")).rstrip("/") == wanted:
                return {"url_id": url_id, "region": region, "function": fn["FunctionName"],
                        "function_arn": fn.get("FunctionArn"), "auth_type": config.get("AuthType"),
                        "policy": _policy(client, fn["FunctionName"])}
    return {"url_id": url_id, "region": region, "function": None}


def _url_config(client, name: str) -> Optional[Dict[str, Any]]:
    try:
        return client.get_function_url_config(FunctionName=name)
    except ClientError as exc:
        if _code(exc) == "ResourceNotFoundException":
            return None
        raise


def _policy(client, name: str) -> Optional[str]:
    try:
        return client.get_policy(FunctionName=name)["Policy"]
    except ClientError as exc:
        if _code(exc) == "ResourceNotFoundException":
            return None  # no resource-based policy at all: nothing is granted
        raise

"""Provides the API Gateway side of the simulator: how an execute-api endpoint answers CloudFront,
from the API's state in moto. API Gateway picks the API by Host (a Host it does not know: 403
ForbiddenException), then the stage by the path's first segment and the resource and method under
it (none: 403 "Missing Authentication Token"). An HTTP API (apigatewayv2) answers differently: its
$default stage serves paths without a stage name, and a path no stage and route serve is 404
{"message":"Not Found"}. The lab's own matcher, not the diagnosis's."""

from __future__ import annotations

import json
import re
from typing import List, Optional, Tuple

from botocore.exceptions import ClientError

from .view import LabView

Answer = Tuple[int, List[Tuple[str, str]], bytes]
_DOMAIN = re.compile(r"^([a-z0-9]+)\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$")


def _json(status: int, body: dict, error_type: Optional[str] = None) -> Answer:
    headers = [("Content-Type", "application/json"), ("x-amzn-RequestId", "lab-apigw-request")]
    if error_type:
        headers.append(("x-amzn-ErrorType", error_type))
    return status, headers, json.dumps(body).encode()


def _segment_matches(template: List[str], parts: List[str]) -> bool:
    for i, piece in enumerate(template):
        if piece.startswith("{") and piece.endswith("+}"):
            return len(parts) > i
        if i >= len(parts) or (not piece.startswith("{") and piece != parts[i]):
            return False
    return len(template) == len(parts)


def answer(view: LabView, domain: str, origin_path: str, method: str, path: str, host: str) -> Answer:
    """API Gateway's answer to CloudFront's request for `origin_path + path` with Host `host`."""
    match = _DOMAIN.match(domain)
    if not match or host.lower() != domain:
        return _json(403, {"message": "Forbidden"}, "ForbiddenException")
    api_id, region = match.groups()
    client = view.client("apigateway", region)
    try:
        client.get_rest_api(restApiId=api_id)
    except ClientError:
        return _http_api(view, api_id, region, origin_path, method, path)
    stages = {s["stageName"] for s in client.get_stages(restApiId=api_id).get("item") or []}
    parts = [p for p in ((origin_path or "").strip("/") + "/" + path.split("?", 1)[0].lstrip("/")).split("/") if p]
    missing_token = _json(403, {"message": "Missing Authentication Token"}, "MissingAuthenticationTokenException")
    if not parts or parts[0] not in stages:
        return missing_token
    for resource in client.get_resources(restApiId=api_id, limit=500).get("items") or []:
        template = [p for p in str(resource.get("path", "")).split("/") if p]
        methods = set((resource.get("resourceMethods") or {}).keys())
        if _segment_matches(template, parts[1:]) and (method in methods or "ANY" in methods):
            return _json(200, {"message": "ok", "stage": parts[0], "resource": resource.get("path")})
    return missing_token


def _route_matches(route_key: str, method: str, parts: List[str]) -> bool:
    """An HTTP API route key ("GET /orders/{id}", "ANY /{proxy+}", "$default") against the request."""
    if route_key == "$default":
        return True
    verb, _, template = route_key.partition(" ")
    if verb not in ("ANY", method):
        return False
    return _segment_matches([p for p in template.split("/") if p], parts)


def _http_api(view: LabView, api_id: str, region: str, origin_path: str, method: str, path: str) -> Answer:
    """An HTTP API's answer: the stage by the first segment, else $default for the whole path; then
    the route. No API with that id: 403 Forbidden, like a REST API's unknown Host."""
    client = view.client("apigatewayv2", region)
    try:
        client.get_api(ApiId=api_id)
    except ClientError:
        return _json(403, {"message": "Forbidden"}, "ForbiddenException")
    stages = {s["StageName"] for s in client.get_stages(ApiId=api_id).get("Items") or []}
    parts = [p for p in ((origin_path or "").strip("/") + "/" + path.split("?", 1)[0].lstrip("/")).split("/") if p]
    if parts and parts[0] in stages:
        stage, parts = parts[0], parts[1:]
    elif "$default" in stages:
        stage = "$default"
    else:
        return _json(404, {"message": "Not Found"})
    for route in client.get_routes(ApiId=api_id).get("Items") or []:
        if _route_matches(str(route.get("RouteKey") or ""), method, parts):
            return _json(200, {"message": "ok", "stage": stage, "route": route.get("RouteKey")})
    return _json(404, {"message": "Not Found"})

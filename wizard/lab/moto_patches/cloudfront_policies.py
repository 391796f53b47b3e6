"""Provides CloudFront's cache, origin request and response headers policies: AWS's managed
catalogue (real ids, names and settings) plus custom policies created in the lab.

moto 5.2.5 has no route for any of the three policy APIs, so even the managed CORS-S3Origin
policy at the heart of seed 000 is a 404. Sources for the catalogue, checked when written:
AWS docs "Use managed cache policies", "Use managed origin request policies", "Use managed
response headers policies" (ids, names, settings); the names carry the "Managed-" prefix as
the API returns them; `AllViewerExceptHostHeader` is `allExcept` + `host` as get-origin-request-
policy returns it (its docs prose lists CloudFront headers the API config does not).
"""

from __future__ import annotations

import copy
import datetime
from typing import Any, Callable, Dict, List, Optional

from ._common import add_routes, cloudfront_id, install, uuid, wrap
from .cloudfront import OAI_PATH, check_if_match, error, oais_of

# Managed policies are not versioned per account; AWS shows the same ETag and date for all.
MANAGED_ETAG = "E23ZP02F085DFQ"
MANAGED_LAST_MODIFIED = datetime.datetime(2020, 9, 16, 0, 0, 0, tzinfo=datetime.timezone.utc)


def _items(values: List[str]) -> Dict[str, Any]:
    return {"Quantity": len(values), "Items": list(values)} if values else {"Quantity": 0}


def _cache(name: str, comment: str, min_ttl: int, default_ttl: int, max_ttl: int, compress: bool) -> Dict[str, Any]:
    return {
        "Name": name, "Comment": comment, "MinTTL": min_ttl, "DefaultTTL": default_ttl, "MaxTTL": max_ttl,
        "ParametersInCacheKeyAndForwardedToOrigin": {
            "EnableAcceptEncodingGzip": compress, "EnableAcceptEncodingBrotli": compress,
            "HeadersConfig": {"HeaderBehavior": "none"},
            "CookiesConfig": {"CookieBehavior": "none"},
            "QueryStringsConfig": {"QueryStringBehavior": "none"},
        },
    }


def _origin_request(name: str, comment: str, headers: Dict[str, Any], cookies: str, query: str) -> Dict[str, Any]:
    return {"Name": name, "Comment": comment, "HeadersConfig": headers,
            "CookiesConfig": {"CookieBehavior": cookies}, "QueryStringsConfig": {"QueryStringBehavior": query}}


def _cors(name: str, comment: str, methods: List[str], headers: List[str], expose: List[str]) -> Dict[str, Any]:
    cors: Dict[str, Any] = {
        "AccessControlAllowOrigins": _items(["*"]),
        "AccessControlAllowHeaders": _items(headers),
        "AccessControlAllowMethods": _items(methods),
        "AccessControlAllowCredentials": False,
        "OriginOverride": False,
    }
    if expose:
        cors["AccessControlExposeHeaders"] = _items(expose)
    return {"Name": name, "Comment": comment, "CorsConfig": cors}


MANAGED_CACHE_POLICIES: Dict[str, Dict[str, Any]] = {
    "658327ea-f89d-4fab-a63d-7e88639e58f6": _cache(
        "Managed-CachingOptimized", "Policy with caching enabled. Supports Gzip and Brotli compression.",
        1, 86400, 31536000, True),
    "4135ea2d-6df8-44a3-9df3-4b5a84be39ad": _cache(
        "Managed-CachingDisabled", "Policy with caching disabled", 0, 0, 0, False),
    "b2884449-e4de-46a7-ac36-70bc7f1ddd6d": _cache(
        "Managed-CachingOptimizedForUncompressedObjects", "Default policy when compression is disabled",
        1, 86400, 31536000, False),
}

MANAGED_ORIGIN_REQUEST_POLICIES: Dict[str, Dict[str, Any]] = {
    "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf": _origin_request(
        "Managed-CORS-S3Origin", "Policy for S3 origin with CORS",
        {"HeaderBehavior": "whitelist",
         "Headers": _items(["origin", "access-control-request-headers", "access-control-request-method"])},
        "none", "none"),
    "216adef6-5c7f-47e4-b989-5492eafa07d3": _origin_request(
        "Managed-AllViewer", "Policy to forward all parameters in viewer requests",
        {"HeaderBehavior": "allViewer"}, "all", "all"),
    "b689b0a8-53d0-40ab-baf2-68738e2966ac": _origin_request(
        "Managed-AllViewerExceptHostHeader",
        "Policy to forward all parameters in viewer requests except for the Host header",
        {"HeaderBehavior": "allExcept", "Headers": _items(["host"])}, "all", "all"),
    "59781a5b-3903-41f3-afcb-af62929ccde1": _origin_request(
        "Managed-CORS-CustomOrigin", "Policy for custom origin with CORS",
        {"HeaderBehavior": "whitelist", "Headers": _items(["origin"])}, "none", "none"),
    "acba4595-bd28-49b8-b9fe-13317c0390fa": _origin_request(
        "Managed-UserAgentRefererHeaders", "Policy for forwarding User-Agent and Referer headers",
        {"HeaderBehavior": "whitelist", "Headers": _items(["user-agent", "referer"])}, "none", "none"),
}

MANAGED_RESPONSE_HEADERS_POLICIES: Dict[str, Dict[str, Any]] = {
    # SimpleCORS only adds Access-Control-Allow-Origin: * (docs table); "ALL" is the method value
    # the console shows for it. The docs do not list the other CORS fields.
    "60669652-455b-4ae9-85a4-c4c02393f86c": _cors(
        "Managed-SimpleCORS", "Allows all origins for simple CORS requests", ["ALL"], [], []),
    "5cc3b908-e619-4b99-88e5-2cf7f45965bd": _cors(
        "Managed-CORS-With-Preflight", "Allows all origins for CORS requests, including preflight requests",
        ["GET", "HEAD", "PUT", "POST", "PATCH", "DELETE", "OPTIONS"], ["*"], ["*"]),
}


class _Kind:
    """One of the three policy families: its names in the API and its managed catalogue."""

    def __init__(self, noun: str, path: str, managed: Dict[str, Dict[str, Any]]) -> None:
        self.noun = noun                      # "CachePolicy"
        self.path = path                      # "cache-policy"
        self.managed = managed
        self.config_key = noun + "Config"     # "CachePolicyConfig"
        self.missing = "NoSuch" + noun        # "NoSuchCachePolicy"
        self.exists = noun + "AlreadyExists"  # "CachePolicyAlreadyExists"
        self.store = "lab_" + path.replace("-", "_")

    def custom(self, backend) -> Dict[str, Dict[str, Any]]:
        # On the per-account backend object, so moto's reset drops custom policies too.
        return backend.__dict__.setdefault(self.store, {})

    def find(self, backend, policy_id: str) -> Dict[str, Any]:
        if policy_id in self.managed:
            return {"id": policy_id, "config": self.managed[policy_id], "etag": MANAGED_ETAG,
                    "modified": MANAGED_LAST_MODIFIED, "type": "managed"}
        found = self.custom(backend).get(policy_id)
        if found is None:
            raise error(self.missing, f"The {self.noun} does not exist.")
        return found

    def shape(self, entry: Dict[str, Any]) -> Dict[str, Any]:
        return {"Id": entry["id"], "LastModifiedTime": entry["modified"],
                self.config_key: copy.deepcopy(entry["config"])}

    def every(self, backend, kind: Optional[str]) -> List[Dict[str, Any]]:
        entries = []
        if kind in (None, "", "managed"):
            entries += [self.find(backend, pid) for pid in self.managed]
        if kind in (None, "", "custom"):
            entries += list(self.custom(backend).values())
        return entries


CACHE = _Kind("CachePolicy", "cache-policy", MANAGED_CACHE_POLICIES)
ORIGIN_REQUEST = _Kind("OriginRequestPolicy", "origin-request-policy", MANAGED_ORIGIN_REQUEST_POLICIES)
RESPONSE_HEADERS = _Kind("ResponseHeadersPolicy", "response-headers-policy", MANAGED_RESPONSE_HEADERS_POLICIES)


def _handlers(kind: _Kind) -> Dict[str, Callable[..., Any]]:
    from moto.core.responses import ActionResult, EmptyResult

    def get(self):
        entry = kind.find(self.backend, self._get_param("Id"))
        return ActionResult({kind.noun: kind.shape(entry), "ETag": entry["etag"]})

    def get_config(self):
        entry = kind.find(self.backend, self._get_param("Id"))
        return ActionResult({kind.config_key: copy.deepcopy(entry["config"]), "ETag": entry["etag"]})

    def listing(self):
        entries = kind.every(self.backend, self._get_param("Type"))
        items = [{"Type": e["type"], kind.noun: kind.shape(e)} for e in entries]
        return ActionResult({kind.noun + "List": {"MaxItems": self._get_int_param("MaxItems") or 100,
                                                  "Quantity": len(items), "Items": items or None}})

    def create(self):
        config = self._get_param(kind.config_key, {}) or {}
        names = {e["config"].get("Name") for e in kind.every(self.backend, None)}
        if config.get("Name") in names:
            raise error(kind.exists, f"A {kind.noun} with this name already exists.")
        entry = {"id": uuid(), "config": config, "etag": cloudfront_id(),
                 "modified": datetime.datetime.now(datetime.timezone.utc), "type": "custom"}
        kind.custom(self.backend)[entry["id"]] = entry
        return ActionResult({kind.noun: kind.shape(entry), "ETag": entry["etag"],
                             "Location": f"https://cloudfront.amazonaws.com/2020-05-31/{kind.path}/{entry['id']}"})

    def delete(self):
        policy_id = self._get_param("Id")
        if policy_id in kind.managed:
            raise error("IllegalDelete", "You cannot delete a managed policy.")
        entry = kind.find(self.backend, policy_id)
        check_if_match(self._get_param("IfMatch"), entry["etag"])
        del kind.custom(self.backend)[policy_id]
        return EmptyResult()

    snake = {"CachePolicy": "cache_policy", "OriginRequestPolicy": "origin_request_policy",
             "ResponseHeadersPolicy": "response_headers_policy"}[kind.noun]
    plural = {"cache_policy": "cache_policies", "origin_request_policy": "origin_request_policies",
              "response_headers_policy": "response_headers_policies"}[snake]
    return {f"get_{snake}": get, f"get_{snake}_config": get_config, f"list_{plural}": listing,
            f"create_{snake}": create, f"delete_{snake}": delete}


def patch_policies() -> None:
    """Serve get/get-config/list/create/delete for cache, origin request and response headers policies.

    Replaces: moto's 404 for all three APIs. Managed policies answer in every account under their
    real ids; list_*(Type="managed") returns the catalogue, Type="custom" what the account
    created. Managed policies cannot be deleted (IllegalDelete), as on AWS.
    """
    from moto.cloudfront import responses, urls

    for kind in (CACHE, ORIGIN_REQUEST, RESPONSE_HEADERS):
        base = "{0}/2020-05-31/" + kind.path
        add_routes(urls, responses.CloudFrontResponse.dispatch,
                   {base + "$": None, base + "/(?P<policy_id>[^/]+)$": None,
                    base + "/(?P<policy_id>[^/]+)/config$": None})
        for name, handler in _handlers(kind).items():
            install(responses.CloudFrontResponse, name, handler)


def _items_of(container: Any) -> List[Dict[str, Any]]:
    items = (container or {}).get("Items") or []
    return items if isinstance(items, list) else [items]


def check_references(backend, config: Dict[str, Any]) -> None:
    """Refuse a distribution config that names a policy, OAC or OAI the account does not have."""
    behaviors = [config.get("DefaultCacheBehavior") or {}] + _items_of(config.get("CacheBehaviors"))
    for behavior in behaviors:
        for field, kind in (("CachePolicyId", CACHE), ("OriginRequestPolicyId", ORIGIN_REQUEST),
                            ("ResponseHeadersPolicyId", RESPONSE_HEADERS)):
            if behavior.get(field):
                kind.find(backend, behavior[field])
    for origin in _items_of(config.get("Origins")):
        oac_id = origin.get("OriginAccessControlId")
        if oac_id and oac_id not in backend.origin_access_controls:
            raise error("InvalidOriginAccessControl", f"The origin access control {oac_id} does not exist.")
        path = ((origin.get("S3OriginConfig") or {}).get("OriginAccessIdentity") or "")
        if path and (not path.startswith(OAI_PATH) or path[len(OAI_PATH):] not in oais_of(backend)):
            raise error("InvalidOriginAccessIdentity",
                        "The origin access identity is not valid or doesn't exist.")


def patch_reference_checks() -> None:
    """create/update_distribution refuse unknown policy, OAC and OAI ids.

    Replaces: moto stores any id, so a scenario with a mistyped managed-policy id builds fine and
    the wizard later reads a 404. CloudFront refuses the distribution (NoSuchCachePolicy,
    NoSuchOriginRequestPolicy, NoSuchResponseHeadersPolicy, InvalidOriginAccessControl,
    InvalidOriginAccessIdentity), so the mistake shows where it was made.
    """
    from moto.cloudfront import models

    def make_create(original):
        def create_distribution_with_tags(self, distribution_config, tags):
            check_references(self, distribution_config)
            return original(self, distribution_config, tags)
        return create_distribution_with_tags

    def make_update(original):
        def update_distribution(self, dist_config, _id, if_match):
            if _id in self.distributions and dist_config:
                check_references(self, dist_config)
            return original(self, dist_config, _id, if_match)
        return update_distribution

    wrap(models.CloudFrontBackend, "create_distribution_with_tags", make_create)
    wrap(models.CloudFrontBackend, "update_distribution", make_update)


def apply() -> None:
    """Apply the policy patches (idempotent)."""
    patch_policies()
    patch_reference_checks()

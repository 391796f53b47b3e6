"""Provides the CloudFront side of the simulator: the checks CloudFront makes at the edge, in its
order (alternate domain names, geo restriction, WAF, the behavior's viewer protocol policy, allowed
methods, signed URLs), the edge cache, the call to the origin, and the headers CloudFront adds to
what it passes back."""

from __future__ import annotations

import time
from typing import Any, Dict, List, Mapping, Optional, Tuple
from urllib.parse import parse_qs, unquote

from ...analysis.edge import cloudfront_config as cfc
from . import (access_log, alb_origin, ec2_origin, error_pages, functions, origin_groups, pages, routing, s3_origin,
               serverless_origin, vpc_origin, waf)
from .cache import EdgeCache
from .view import LabView

Answer = Tuple[int, List[Tuple[str, str]], bytes]
POP = "NRT57-P3"
_SIGNED = ("Signature", "Key-Pair-Id")


def _viewer_scheme(headers: Mapping[str, str]) -> str:
    """The scheme the viewer used. The lab's transport reaches the simulator over plain HTTP and
    names the viewer's scheme in X-Forwarded-Proto (as it does for match-viewer origins); a request
    without it is taken as HTTPS, the scheme every other scenario uses."""
    return str(headers.get("x-forwarded-proto") or "https").lower()


def viewer_protocol(policy: Optional[str], scheme: str, method: str, host: str, path: str, query: str,
                    cf_id: str) -> Optional[Answer]:
    """CloudFront's answer to a plain-HTTP viewer request under the behavior's ViewerProtocolPolicy
    (AWS CacheBehavior.ViewerProtocolPolicy): https-only refuses it with 403; redirect-to-https
    answers GET and HEAD with 301 to the https:// URL and refuses other methods with 403; allow-all
    (or an HTTPS request) goes on. None means the request goes on."""
    if scheme != "http" or policy not in ("https-only", "redirect-to-https"):
        return None
    if policy == "redirect-to-https" and method in ("GET", "HEAD"):
        return pages.cloudfront_redirect(f"https://{host}{path}" + (f"?{query}" if query else ""))
    return pages.cloudfront_error(403, "protocol", cf_id)


def _alias_rank(alias: str, host: str) -> Optional[Tuple[int, int]]:
    """(1, 0) for an exact alternate domain name, (0, suffix length) for a wildcard whose suffix
    ends the host with at least one label before it, None when the name does not cover the host."""
    if alias == host:
        return (1, 0)
    suffix = alias[1:] if alias.startswith("*.") else None
    if suffix and host.endswith(suffix) and len(host) > len(suffix):
        return (0, len(suffix))
    return None


class CloudFrontEdge:
    """Answers viewer requests for every distribution in the lab."""

    def __init__(self, view: LabView, sim: Mapping[str, Any], record_sample=None) -> None:
        self.view = view
        self.sim = sim
        self.cache = EdgeCache()
        self._invalidations: Dict[str, int] = {}
        self._record_sample = record_sample
        self._error_keys: set = set()  # cache keys holding an error (a custom error page included)
        self.origins = None  # tls_origin.LabOrigins: the custom origin servers (set by EdgeServer)

    # Routing -----------------------------------------------------------------------------------

    def find(self, host: str) -> Tuple[Optional[Dict[str, Any]], str]:
        """The distribution for a Host header: ('domain'|'alias'|'dns-only'|'none').

        Among alternate domain names CloudFront takes the most specific match across all
        distributions, whatever DNS points at: an exact name before any wildcard, a longer wildcard
        before a shorter one; *.example.com covers names at any depth below example.com (AWS
        "Use wildcards in alternate domain names" and the CNAME restrictions on overlapping names).
        """
        host = host.lower().rstrip(".")
        items = self.view.distributions()
        for item in items:
            if item["DomainName"].lower() == host:
                return item, "domain"
        best, best_rank = None, (-1, -1)
        for item in items:
            for alias in (item.get("Aliases") or {}).get("Items") or []:
                rank = _alias_rank(str(alias).lower(), host)
                if rank and rank > best_rank:
                    best, best_rank = item, rank
        if best is not None:
            return best, "alias"
        target = None if host.endswith(".cloudfront.net") else self.view.dns_target(host)
        if target:
            for item in items:
                if item["DomainName"].lower() == target:
                    return item, "dns-only"
        return None, "none"

    def handle(self, dist: Dict[str, Any], how: str, method: str, path: str, query: str,
               headers: Mapping[str, str]) -> Answer:
        cf_id = pages.request_id()
        started = time.time()
        config = self.view.distribution_config(dist["Id"])
        status, out_headers, body, result, taken = self._decide(dist, how, config, method, path, query, headers, cf_id)
        if result.split(" ")[0] in ("Hit", "Miss"):  # viewer-response CloudFront Functions see what goes out
            status, out_headers, body = functions.viewer_response(
                self.view, dist, routing.behavior_for(config, path), method, path, headers,
                (self.sim.get("viewer") or {}).get("ip", "203.0.113.10"), cf_id, (status, out_headers, body))
            result = "Error from cloudfront" if status == 503 and ("Server", "CloudFront") in out_headers else result
        out_headers = [h for h in out_headers if h[0].lower() not in ("via", "x-cache", "x-amz-cf-pop", "x-amz-cf-id")]
        out_headers += [("Via", f"1.1 {cf_id[:32].lower()}.cloudfront.net (CloudFront)"), ("X-Cache", result),
                        ("X-Amz-Cf-Pop", POP), ("X-Amz-Cf-Id", cf_id)]
        self._log(dist, config, method, path, query, headers, status, body, result, cf_id,
                  taken if taken is not None else time.time() - started)
        return status, out_headers, body

    # The edge's decisions ----------------------------------------------------------------------

    def _decide(self, dist, how, config, method, path, query, headers, cf_id):
        viewer = self.sim.get("viewer") or {}
        if how == "dns-only":
            return (*pages.cloudfront_error(403, "bad-request", cf_id), "Error from cloudfront", None)
        geo = ((config.get("Restrictions") or {}).get("GeoRestriction") or {})
        country = viewer.get("country", "US")
        listed = country in (geo.get("Items") or [])
        if (geo.get("RestrictionType") == "whitelist" and not listed) or (geo.get("RestrictionType") == "blacklist" and listed):
            return (*pages.cloudfront_error(403, "geo", cf_id), "Error from cloudfront", None)
        if config.get("WebACLId"):
            blocked = self._waf(config["WebACLId"], method, path, query, headers, viewer)
            if blocked:
                return (*pages.cloudfront_error(403, "waf", cf_id), "Error from cloudfront", None)
        behavior = routing.behavior_for(config, path)  # the lab's own matcher, not the diagnosis's
        refusal = viewer_protocol(behavior.get("ViewerProtocolPolicy"), _viewer_scheme(headers), method,
                                  headers.get("host", dist["DomainName"]), path, query, cf_id)
        if refusal:
            return (*refusal, "Error from cloudfront" if refusal[0] >= 400 else "Redirect from cloudfront", None)
        allowed = ((behavior.get("AllowedMethods") or {}).get("Items") or ["GET", "HEAD"])
        if method not in allowed:
            return (*pages.cloudfront_error(403, "method", cf_id), "Error from cloudfront", None)
        refusal = self._signed_url(behavior, query)
        if refusal:
            return (*refusal, "Error from cloudfront", None)
        edge = functions.viewer_request(self.view, dist, behavior, method, path, query, headers,  # CloudFront Functions, Lambda@Edge
                                        viewer.get("ip", "203.0.113.10"), cf_id)
        if edge.answer:
            return (*edge.answer, edge.label, None)
        path, query = edge.uri, edge.query
        self._apply_invalidations(dist["Id"])
        cache_key, ttl = self._cache_key_and_ttl(behavior, path, headers)
        if method in ("GET", "HEAD"):
            hit = self.cache.get(dist["Id"], cache_key)
            if hit:
                status, hdrs, body, age = hit
                error = status >= 400 or (dist["Id"], cache_key) in self._error_keys
                label = "Error from cloudfront" if error else "Hit from cloudfront"
                # The policy applies per viewer request, to cached answers too (its CORS headers
                # depend on this request's Origin), so the cache keeps the origin's headers.
                hdrs = self._response_policy(behavior, hdrs, headers)
                return status, hdrs + [("Age", str(age))], body, label, None
        edge = functions.lambda_edge(self.view, behavior, ("origin-request", "origin-response"), path, query, cf_id)
        if edge.answer:
            return (*edge.answer, edge.label, None)
        answered = self._ask_path(dist, config, method, path, headers, cf_id)
        if answered is None:
            return (*pages.cloudfront_error(502, "origin-refused", cf_id), "Error from cloudfront", None)
        status, hdrs, body, taken = answered
        error, error_ttl = status >= 400, self._error_ttl(config, status)
        mapped = error_pages.apply(config, status, lambda page: self._ask_path(dist, config, "GET", page, headers, cf_id))
        if mapped:  # a custom error response: still an error for caching and X-Cache, whatever its code
            status, hdrs, body = mapped
        if method in ("GET", "HEAD"):
            self.cache.put(dist["Id"], cache_key, error_ttl if error else ttl, status, hdrs, body)
            self._error_keys.discard((dist["Id"], cache_key))
            if error:
                self._error_keys.add((dist["Id"], cache_key))
        label = "Error from cloudfront" if error else "Miss from cloudfront"
        return status, self._response_policy(behavior, hdrs, headers), body, label, taken

    def _ask_path(self, dist, config, method, path, headers, cf_id):
        """The origin's answer for `path` through the behavior that matches it (an origin group
        fails over per its criteria); None when the behavior's target does not exist."""
        behavior = routing.behavior_for(config, path)
        return origin_groups.ask(config, behavior.get("TargetOriginId", ""), method, lambda raw: self._origin(
            dist, config, behavior, cfc.classify_origin(raw), method, path, headers, cf_id))

    def _waf(self, acl_arn, method, path, query, headers, viewer) -> bool:
        _, name, acl_id = acl_arn.rsplit("/", 2)
        client = self.view.client("wafv2", "us-east-1")
        acl = client.get_web_acl(Name=name, Scope="CLOUDFRONT", Id=acl_id)["WebACL"]

        def ip_sets(arn):
            _, set_name, set_id = arn.rsplit("/", 2)
            return client.get_ip_set(Name=set_name, Scope="CLOUDFRONT", Id=set_id)["IPSet"]["Addresses"]

        request = {"method": method, "path": path, "query": query, "headers": dict(headers),
                   "country": viewer.get("country", "US"), "ip": viewer.get("ip", "203.0.113.10")}
        action, rule = waf.decide(acl, request, ip_sets)
        if self._record_sample:
            name = rule["Name"] if rule else "Default_Action"
            metric = (rule or acl).get("VisibilityConfig", {}).get("MetricName", name)
            self._record_sample(acl_arn, metric, {
                "ClientIP": request["ip"], "Country": request["country"], "URI": path, "Method": method,
                "HTTPVersion": "HTTP/2.0", "Headers": [{"Name": k, "Value": v} for k, v in headers.items()]},
                action, rule_name=name)
        return action == "BLOCK"

    def _signed_url(self, behavior, query) -> Optional[Answer]:
        groups = behavior.get("TrustedKeyGroups") or {}
        if not groups.get("Enabled"):
            return None
        params = parse_qs(query)
        if not all(p in params for p in _SIGNED):
            return pages.cloudfront_xml_error(403, "MissingKey", "Missing Key-Pair-Id query parameter or cookie value")
        expires = (params.get("Expires") or ["0"])[0]
        now = self._now()
        if not expires.isdigit() or int(expires) < now:
            return pages.cloudfront_xml_error(403, "AccessDenied", "Access denied")
        return None  # the lab does not verify the RSA signature itself

    def _now(self) -> float:
        clock = self.sim.get("clock")
        if clock:
            return time.mktime(time.strptime(str(clock), "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
        return time.time()

    def _cache_key_and_ttl(self, behavior, path, headers) -> Tuple[str, float]:
        key_headers: List[str] = []
        ttl = float(behavior.get("DefaultTTL") or 0)
        if behavior.get("CachePolicyId"):
            policy = self.view.policy("cache", behavior["CachePolicyId"]) or {}
            cfg = policy.get("CachePolicyConfig") or {}
            ttl = float(cfg.get("DefaultTTL", 86400))
            hdrs = ((cfg.get("ParametersInCacheKeyAndForwardedToOrigin") or {}).get("HeadersConfig") or {})
            key_headers = list((hdrs.get("Headers") or {}).get("Items") or [])
        else:
            key_headers = cfc.legacy_forwarded_headers(behavior)
        parts = [path] + [f"{h.lower()}={headers.get(h.lower(), '')}" for h in sorted(key_headers)]
        return "|".join(parts), ttl

    def _error_ttl(self, config, status) -> float:
        for item in ((config.get("CustomErrorResponses") or {}).get("Items") or []):
            if int(item.get("ErrorCode", 0)) == status:
                return float(item.get("ErrorCachingMinTTL", 10))
        return 10.0

    def _apply_invalidations(self, dist_id: str) -> None:
        cf = self.view.client("cloudfront", "us-east-1")
        count = (cf.list_invalidations(DistributionId=dist_id).get("InvalidationList") or {}).get("Quantity", 0)
        if count != self._invalidations.get(dist_id, 0):
            self._invalidations[dist_id] = count
            self.cache.invalidate(dist_id)

    def _forwarded(self, behavior, raw_origin, headers) -> Dict[str, str]:
        names = self._forwarded_names(behavior)
        forwarded = {k: v for k, v in headers.items() if cfc.forwards_header(names, k)}
        forwarded.pop("host", None)
        for item in ((raw_origin.get("CustomHeaders") or {}).get("Items") or []):
            forwarded[item["HeaderName"].lower()] = item["HeaderValue"]  # custom origin headers override
        return forwarded

    def _forwarded_names(self, behavior) -> List[str]:
        names: List[str] = []
        if behavior.get("OriginRequestPolicyId"):
            names = cfc.policy_forwarded_headers(self.view.policy("origin_request", behavior["OriginRequestPolicyId"])) or []
        if behavior.get("CachePolicyId"):
            cfg = ((self.view.policy("cache", behavior["CachePolicyId"]) or {}).get("CachePolicyConfig") or {})
            hdrs = ((cfg.get("ParametersInCacheKeyAndForwardedToOrigin") or {}).get("HeadersConfig") or {})
            names += list((hdrs.get("Headers") or {}).get("Items") or [])
        else:
            names += cfc.legacy_forwarded_headers(behavior)
        return names

    def _origin(self, dist, config, behavior, origin, method, path, headers, cf_id):
        raw = cfc.origin_by_id(config, origin.id)
        forwarded = self._forwarded(behavior, raw, headers)
        if method == "OPTIONS" and "origin" in forwarded:
            forwarded.setdefault("access-control-request-method", headers.get("access-control-request-method", "GET"))
        if origin.kind == "s3-rest" and serverless_origin.host_forwarded(self.view, behavior):
            return (*serverless_origin.s3_rest_answer(self.view, origin, headers), None)
        if origin.kind in ("s3-rest", "s3-website"):
            key = routing.origin_key(path, config, origin.origin_path)
            call = s3_origin.OriginCall(method, key, forwarded, dist["ARN"], dist["ARN"].split(":")[4])
            return (*s3_origin.answer(self.view, origin, call), None)
        if origin.kind in ("apigw", "lambda-url"):
            host_forwarded = serverless_origin.host_forwarded(self.view, behavior)
            return (*serverless_origin.answer(self.view, origin, dist["ARN"], method, path, headers, host_forwarded), None)
        if origin.kind == "ec2":
            return ec2_origin.answer(self.view, raw, path, forwarded, cf_id)
        if origin.kind == "vpc-origin":
            return vpc_origin.answer(self.view, raw, method, path, forwarded, cf_id)
        if origin.kind == "custom" and self.origins is not None and self.origins.handles(origin.domain):
            return self.origins.cloudfront_answer(self.view, behavior, raw, method, path, headers, cf_id)
        return alb_origin.answer(self.view, config, raw, origin, method, path, forwarded, cf_id, viewer_host=(
            headers.get("host", "") if serverless_origin.host_forwarded(self.view, behavior) else ""),
            latency_s=float(self.sim.get("origin_latency_ms") or 0) / 1000.0)

    def _response_policy(self, behavior, hdrs, headers):
        if not behavior.get("ResponseHeadersPolicyId") or "origin" not in headers:
            return hdrs
        policy = self.view.policy("response_headers", behavior["ResponseHeadersPolicyId"]) or {}
        cors = ((policy.get("ResponseHeadersPolicyConfig") or {}).get("CorsConfig") or {})
        origins = ((cors.get("AccessControlAllowOrigins") or {}).get("Items") or [])
        if cors and ("*" in origins or headers["origin"] in origins):
            kept = [h for h in hdrs if h[0].lower() != "access-control-allow-origin"] if cors.get("OriginOverride") else hdrs
            if not any(h[0].lower() == "access-control-allow-origin" for h in kept):
                kept = kept + [("Access-Control-Allow-Origin", "*" if "*" in origins else headers["origin"])]
            return kept
        return hdrs

    def _log(self, dist, config, method, path, query, headers, status, body, result, cf_id, taken) -> None:
        logging = config.get("Logging") or {}
        if not logging.get("Enabled") or not logging.get("Bucket"):
            return
        now = time.gmtime()
        detailed = "OriginError" if status in (502, 504) and result.startswith("Error") else result.split(" ")[0]
        entry = {
            "date": time.strftime("%Y-%m-%d", now), "time": time.strftime("%H:%M:%S", now), "x-edge-location": POP,
            "sc-bytes": len(body), "c-ip": (self.sim.get("viewer") or {}).get("ip", "203.0.113.10"), "cs-method": method,
            "cs(Host)": dist["DomainName"], "cs-uri-stem": unquote(path), "sc-status": status,
            "cs(Referer)": headers.get("referer"), "cs(User-Agent)": headers.get("user-agent"), "cs-uri-query": query,
            "x-edge-result-type": "Error" if status >= 400 else result.split(" ")[0],
            "x-edge-request-id": cf_id, "x-host-header": headers.get("host"), "cs-protocol": "https", "cs-bytes": 0,
            "time-taken": f"{taken:.3f}", "ssl-protocol": "TLSv1.3", "ssl-cipher": "TLS_AES_128_GCM_SHA256",
            "x-edge-response-result-type": "Error" if status >= 400 else result.split(" ")[0],
            "cs-protocol-version": "HTTP/2.0", "c-port": 50000, "time-to-first-byte": f"{taken:.3f}",
            "x-edge-detailed-result-type": detailed, "sc-content-type": "text/html", "sc-content-len": len(body),
        }
        access_log.write(self.view.client("s3"), logging["Bucket"], logging.get("Prefix") or "", dist["Id"], entry)

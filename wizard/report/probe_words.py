"""Provides the probes' own vocabulary, shared by the TUI and plain mode: status_word() (ran, denied,
error, skipped: words, never the ✓/✗ that mean "lets the request through" on the path) and found(),
one short line saying what a probe found IN WORDS WITH VALUES ("payer: Requester", "403
(AccessDenied), x-cache: Error from cloudfront"), or why it found nothing.

Pure (no Textual). The values came from HTTP and AWS: found() cleans them of control sequences and
the callers redact and show the line without markup.
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Dict, List, Optional

from ..model import ProbeOutcome
from ..redact import Redactor
from ..untrusted import sanitize

__all__ = ["found", "status_word", "STATUS_WORDS", "PROBE_MARKS"]

_SECRET_NAME = re.compile(r"(?i)secret|token|passw|api_?key|credential|private")

# A probe's outcome, in words. "ran" says the read worked, not that what it read is fine.
STATUS_WORDS = {"ok": "ran", "denied": "denied", "error": "error", "skipped": "skipped",
                "queued": "queued", "running": "running"}

# A probe row's mark, never ✓ or ✗ (those are the path's: the hop lets the request through, or not):
# "!" asks for a look (denied, error); the others only tell the rows apart without colour.
PROBE_MARKS = {"ok": "•", "denied": "!", "error": "!", "skipped": "–", "queued": "·"}


def status_word(status: str) -> str:
    """The word for a probe status (ok → "ran")."""
    return STATUS_WORDS.get(status, status)


def _short(value: Any, limit: int = 60) -> str:
    """A value from HTTP or AWS, one line, cut to `limit` characters."""
    text = " ".join(sanitize(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _kms_key(key_id: str) -> str:
    """A KMS key ARN shortened to what people name it: alias/NAME, else the key id."""
    for mark in ("alias/", "key/"):
        if mark in key_id:
            rest = key_id.split(mark, 1)[1]
            return ("alias/" if mark == "alias/" else "") + rest
    return key_id


def _header(data: Dict[str, Any], name: str) -> Optional[str]:
    for pair in data.get("headers") or []:
        if len(pair) == 2 and str(pair[0]).lower() == name:
            return str(pair[1])
    return None


def _http(data: Dict[str, Any]) -> str:
    """Status (S3 error code), X-Cache and who answered: "403 (AccessDenied), x-cache: Error from
    cloudfront; S3 refused ...". """
    if data.get("status") is None:
        return f"no answer: {_short(data.get('error') or data.get('error_kind') or 'unreachable', 120)}"
    from ..analysis.edge.responder import classify

    who = classify(data)
    head = f"{data['status']}" + (f" ({_short(who.s3_error_code, 40)})" if who.s3_error_code else "")
    x_cache = _header(data, "x-cache")
    if x_cache:
        head += f", x-cache: {_short(x_cache, 40)}"
    return head + (f"; {who.summary}" if who.summary else "")


def _http_cors(data: Dict[str, Any]) -> str:
    if data.get("status") is None:
        return _http(data)
    allow = _header(data, "access-control-allow-origin")
    cors = f"Access-Control-Allow-Origin: {_short(allow)}" if allow else "no Access-Control-Allow-Origin"
    methods = _header(data, "access-control-allow-methods")
    return f"{data['status']}, {cors}" + (f", methods: {_short(methods, 40)}" if methods else "")


def _page(data: Dict[str, Any]) -> str:
    assets = data.get("assets") or []
    if not assets:
        return f"{data.get('status')}: the page names no asset hosts"
    parts = [f"{a.get('host')} ({a.get('count')}{', CloudFront' if a.get('cloudfront') else ''})" for a in assets[:3]]
    return "loads assets from " + ", ".join(parts)


def _identity(data: Dict[str, Any]) -> str:
    return f"account {data.get('account')} as {data.get('arn')}"


def _distribution(data: Dict[str, Any]) -> str:
    if not data.get("found"):
        return "no distribution in this account serves the host"
    return f"{data.get('id')} ({data.get('domain')}), matched by {data.get('matched_by') or 'name'}"


def _ecs(data: Dict[str, Any]) -> str:
    matches = data.get("matches") or []
    if not matches:
        return f"no task definition mentions the distribution ({data.get('task_definitions_scanned', 0)} read)"
    m = matches[0]
    more = f" and {len(matches) - 1} more" if len(matches) > 1 else ""
    name = str(m.get("name"))
    # An environment variable named like a credential shows that it matched, never its value.
    value = "[REDACTED]" if _SECRET_NAME.search(name) else _short(m.get("value"), 80)
    return f"{_short(name, 40)}={value} in {_short(m.get('task_definition'), 60)}{more}"


def _origin_access(data: Dict[str, Any]) -> str:
    oac = data.get("oac") or {}
    if oac:
        cfg = oac.get("OriginAccessControlConfig") or {}
        return f"OAC {cfg.get('Name') or oac.get('Id')} (signing: {cfg.get('SigningBehavior')})"
    oai = data.get("oai") or {}
    return f"OAI {oai.get('Id')}" if oai else "neither OAC nor OAI"


def _policies(data: Dict[str, Any]) -> str:
    names = []
    for key, label in (("cache_policy", "cache"), ("origin_request_policy", "origin request"),
                       ("response_headers_policy", "response headers")):
        policy = data.get(key) or {}
        config = next((v for k, v in policy.items() if k.endswith("Config") and isinstance(v, dict)), {})
        if config.get("Name"):
            names.append(f"{label}: {config['Name']}")
    return "; ".join(names) or "no policies attached"


def _principal(statement: Dict[str, Any]) -> str:
    principal = statement.get("Principal")
    if principal == "*" or principal is None:
        return "*" if principal == "*" else "no principal"
    if isinstance(principal, dict):
        values = [v for vs in principal.values() for v in (vs if isinstance(vs, list) else [vs])]
        return ", ".join(_short(str(v).split(":")[-1] if str(v).startswith("arn:") else v, 40) for v in values[:2])
    return _short(principal, 40)


def _bucket_policy(data: Dict[str, Any]) -> str:
    """Each statement as effect, principal and (when it has one) the distribution it names:
    "Allow cloudfront.amazonaws.com for distribution/E2ABC; Deny *"."""
    text = data.get("policy")
    if not text:
        return "no bucket policy"
    try:
        statements = json.loads(text).get("Statement") or []
    except (ValueError, AttributeError):
        return "a policy that is not valid JSON"
    statements = [statements] if isinstance(statements, dict) else statements
    parts = []
    for st in [s for s in statements if isinstance(s, dict)][:3]:
        words = f"{st.get('Effect', '?')} {_principal(st)}"
        source = json.dumps(st.get("Condition") or {})
        for mark in ("distribution/", "cloudfront.amazonaws.com"):
            if mark == "distribution/" and mark in source:
                words += " for distribution/" + _short(source.split(mark, 1)[1].split('"', 1)[0], 24)
        parts.append(words)
    more = f" (+{len(statements) - 3} more)" if len(statements) > 3 else ""
    return f"{len(statements)} statement{'s' if len(statements) != 1 else ''}: " + "; ".join(parts) + more


def _cors(data: Dict[str, Any]) -> str:
    rules = data.get("rules")
    if not rules:
        return "no CORS configuration"
    origins = sorted({o for r in rules for o in (r.get("AllowedOrigins") or [])})
    return f"{len(rules)} CORS rule(s) for {', '.join(origins[:3]) or 'no origin'}"


def _object(data: Dict[str, Any]) -> str:
    if data.get("exists"):
        head = data.get("head") or {}
        size = head.get("ContentLength")
        return f"{data.get('key')} exists" + (f" ({size} bytes)" if size is not None else "")
    nearby: List[str] = list(data.get("nearby") or [])
    near = f"; nearest: {', '.join(nearby[:3])}" if nearby else ""
    return f"{data.get('key')} is NOT in the bucket{near}"


def _owner(data: Dict[str, Any]) -> str:
    same = data.get("object_owner") in (None, data.get("bucket_owner"))
    return f"Object Ownership {data.get('ownership') or 'not set'}" + ("" if same else "; the object has another owner")


def _scp(data: Dict[str, Any]) -> str:
    if not data.get("in_organization"):
        return "the account is not in an organization"
    return f"{len(data.get('policies') or [])} service control policies apply"


def _alb(data: Dict[str, Any]) -> str:
    lb = data.get("load_balancer") or {}
    if not lb:
        return "no load balancer found for the origin's domain"
    health: Dict[str, int] = {}
    for targets in (data.get("target_health") or {}).values():
        for t in targets or []:
            state = str(((t or {}).get("TargetHealth") or {}).get("State") or "unknown")
            health[state] = health.get(state, 0) + 1
    states = ", ".join(f"{n} {s}" for s, n in sorted(health.items())) or "no targets"
    ports = [str(l.get("Port")) + "/" + str(l.get("Protocol")) for l in data.get("listeners") or []]
    return (f"{_short(lb.get('LoadBalancerName'), 40)} ({lb.get('Scheme')}), listeners {', '.join(ports) or 'none'}; "
            f"targets: {states}; security groups: {_groups(data)}")


def _origin_host(data: Dict[str, Any]) -> str:
    """EC2 and VPC origins: the instance or load balancer found and the groups that guard it."""
    host = data.get("load_balancer") or {}
    if not host:
        return "no instance or load balancer found for the origin"
    return f"{_short(host.get('LoadBalancerName'), 50)} ({host.get('Scheme')}); security groups: {_groups(data)}"


def _logs(data: Dict[str, Any]) -> str:
    read = data.get("read") or {}
    where = f" (s3://{_short(read.get('bucket'), 40)}/{_short(read.get('prefix') or '', 30)})" if read.get("bucket") else ""
    return _short(data.get("summary") or "no log lines in the window", 120) + where


def _sse(data: Dict[str, Any]) -> str:
    """How the object is encrypted, the KMS key, and whether its policy lets CloudFront in:
    "SSE-KMS, key alias/assets, key policy: no cloudfront.amazonaws.com"."""
    sse = data.get("sse")
    if not sse:
        return "no server-side encryption recorded on the object"
    if sse == "AES256":
        return "SSE-S3 (AES256): CloudFront needs no key permission"
    words = ["DSSE-KMS" if "dsse" in str(sse) else "SSE-KMS" if "kms" in str(sse) else _short(sse, 30)]
    if data.get("key_alias"):  # ListAliases named it; when refused the key id stands in
        words.append(f"key {_short(data['key_alias'], 50)}")
    elif data.get("kms_key_id"):
        words.append(f"key {_short(_kms_key(str(data['kms_key_id'])), 50)}")
    if data.get("key_manager") == "AWS":
        words.append("an AWS managed key (its policy cannot let CloudFront in)")
    elif data.get("key_policy"):
        allows = "cloudfront.amazonaws.com" in str(data["key_policy"])
        words.append("key policy: " + ("names cloudfront.amazonaws.com" if allows else "no cloudfront.amazonaws.com"))
    elif data.get("key_policy_error"):
        words.append(f"key policy not read: {_short(data['key_policy_error'], 80)}")
    return ", ".join(words)


_BPA = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")


def _bpa(config: Any) -> str:
    if not isinstance(config, dict):
        return "not set"
    on = [k for k in _BPA if config.get(k)]
    return "all four on" if len(on) == 4 else ("off" if not on else ", ".join(on) + " on")


def _public_access(data: Dict[str, Any]) -> str:
    account = _bpa(data.get("account")) if not data.get("account_error") else f"not read ({_short(data['account_error'], 60)})"
    return f"Block Public Access: bucket {_bpa(data.get('bucket'))}; account {account}"


def _payer(data: Dict[str, Any]) -> str:
    return f"payer: {_short(data.get('payer') or 'unknown', 30)}"


def _website(data: Dict[str, Any]) -> str:
    if not data.get("enabled"):
        return "website hosting: off"
    return f"website hosting: on, index document {_short(data.get('index') or 'none', 40)}"


def _waf(data: Dict[str, Any]) -> str:
    acl = data.get("web_acl") or {}
    if not acl:
        return _short(data.get("sampled_error") or "no web ACL on the distribution", 120)
    default = next(iter(acl.get("DefaultAction") or {}), "?")
    rules = acl.get("Rules") or []
    sampled = data.get("sampled") or []
    blocked = sum(1 for x in sampled if str(x.get("Action", "")).upper() == "BLOCK")
    words = f"web ACL {_short(acl.get('Name'), 40)}: {len(rules)} rule{'s' if len(rules) != 1 else ''}, default {default}"
    if data.get("sampled_error"):
        return words + f"; samples not read: {_short(data['sampled_error'], 60)}"
    return words + f"; {len(sampled)} sampled request{'s' if len(sampled) != 1 else ''} ({blocked} blocked)"


def _edge_code(data: Dict[str, Any]) -> str:
    parts = [f"function {_short(f.get('name'), 30)} on {f.get('event_type')} ({_short(f.get('status'), 12)})"
             for f in data.get("functions") or []]
    parts += [f"Lambda@Edge {_short(str(l.get('name') or l.get('arn') or '?').split(':')[-1], 30)}"
              for l in data.get("lambdas") or []]
    return "; ".join(parts[:3]) or "no function on the behavior"


def _metrics(data: Dict[str, Any]) -> str:
    """Sums over the window, metric by metric: "HTTPCode_ELB_504_Count 3, ... in 3 h"."""
    totals: Dict[str, float] = {}
    for series in data.get("series") or []:
        metric = str(series.get("metric"))
        totals[metric] = totals.get(metric, 0.0) + sum(float(p.get("value") or 0) for p in series.get("points") or [])
    seen = [f"{m} {v:g}" for m, v in totals.items() if v]
    hours = data.get("hours")
    window = f" in the last {hours} h" if hours else ""
    if not totals:
        return "no metrics read"
    return (", ".join(seen[:4]) if seen else f"all {len(totals)} metrics at 0") + window


def _origin_tls(data: Dict[str, Any]) -> str:
    target = f"{_short(data.get('host'), 50)}:{data.get('port')} ({data.get('protocol')})"
    if not data.get("connected"):
        return f"{target}: no connection: {_short(data.get('error') or data.get('error_kind') or '?', 100)}"
    tls = data.get("tls") or {}
    response = data.get("response") or {}
    words = [f"{target}: connected"]
    if tls:
        names = tls.get("names") or ([tls["subject_cn"]] if tls.get("subject_cn") else [])
        trust = "certificate verified" if tls.get("verified") else (
            f"certificate NOT verified ({_short(tls.get('verify_error') or '?', 60)})")
        words.append(f"TLS {_short(tls.get('version') or '', 10)} {trust}".replace("  ", " ")
                     + (f", for {_short(', '.join(map(str, names[:2])), 60)}" if names else "")
                     + (f", expires {_short(tls['not_after'], 30)}" if tls.get("not_after") else ""))
    if response.get("status") is not None:
        words.append(f"answered {response['status']}")
    elif data.get("error"):
        words.append(_short(data["error"], 100))
    return "; ".join(words)


def _apigw(data: Dict[str, Any]) -> str:
    stages = ", ".join(map(str, (data.get("stages") or [])[:3])) or "none"
    return (f"{_short(data.get('name'), 40)} ({data.get('kind')}, {data.get('endpoint_type') or '?'}), "
            f"stages: {_short(stages, 40)}, {len(data.get('resources') or [])} resource(s)")


def _lambda_url(data: Dict[str, Any]) -> str:
    policy = str(data.get("policy") or "")
    grants = "names cloudfront.amazonaws.com" if "cloudfront.amazonaws.com" in policy else (
        "no cloudfront.amazonaws.com" if policy else "none")
    return f"function {_short(data.get('function'), 40)}, auth type {data.get('auth_type')}, resource policy: {grants}"


def _alb_certificate(data: Dict[str, Any]) -> str:
    certs = data.get("certificates") or []
    shown = "; ".join(("default " if c.get("is_default", i == 0) else "SNI ") + _short(", ".join(c.get("names") or []) or
                      "no name", 60) for i, c in enumerate(certs[:3]))
    more = f" and {len(certs) - 3} more" if len(certs) > 3 else ""
    unread = "" if data.get("extras_read", True) else "; SNI certificates not read"
    return (f"listener {data.get('port')} of {_short(data.get('load_balancer'), 40)}: {shown or 'no certificate'}"
            f"{more}{unread}; CloudFront's SNI {_short(data.get('server_name'), 60)}")


def _groups(data: Dict[str, Any]) -> str:
    names = [f"{g.get('GroupId')} ({_short(g.get('GroupName'), 30)})" for g in data.get("security_groups") or []]
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "") if names else "none"


_SUMMARIES: Dict[str, Callable[[Dict[str, Any]], str]] = {
    "http.viewer": _http,
    "http.viewer_with_origin": _http_cors,
    "http.preflight": _http_cors,
    "page.assets": _page,
    "aws.identity": _identity,
    "aws.distribution": _distribution,
    "aws.ecs_env": _ecs,
    "aws.origin_access": _origin_access,
    "aws.origin_policies": _policies,
    "aws.bucket_policy": _bucket_policy,
    "aws.bucket_cors": _cors,
    "aws.object": _object,
    "aws.object_owner": _owner,
    "aws.scp": _scp,
    "aws.alb_inventory": _alb,
    "aws.origin_host": _origin_host,
    "aws.vpc_origin": _origin_host,
    "aws.cloudfront_logs": _logs,
    "aws.encryption": _sse,
    "aws.public_access": _public_access,
    "aws.request_payment": _payer,
    "aws.bucket_website": _website,
    "aws.waf": _waf,
    "aws.edge_functions": _edge_code,
    "aws.alb_metrics": _metrics,
    "aws.alb_certificate": _alb_certificate,
    "http.origin_tls": _origin_tls,
    "aws.apigw": _apigw,
    "aws.lambda_url": _lambda_url,
}


def found(outcome: ProbeOutcome, redactor: Optional[Redactor] = None) -> str:
    """What the probe found, in one line with its values; for a probe without data, why. The line
    is cleaned of control sequences and redacted (with `redactor`'s known secrets too)."""
    return sanitize(_found(outcome), redactor)


def _found(outcome: ProbeOutcome) -> str:
    if outcome.status == "denied":
        error = outcome.error or "AWS refused the read"
        action = outcome.missing_action
        return f"denied: {error}" + (f" (missing {action})" if action and action not in error else "")
    if outcome.status == "error":
        return f"error: {outcome.error or 'unknown error'}"
    if outcome.status == "skipped":
        return f"skipped: {outcome.error or 'does not apply'}"
    data = outcome.data
    summary = _SUMMARIES.get(outcome.name)
    if summary is not None and isinstance(data, dict):
        try:
            return summary(data)
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # an unexpected shape: fall back to the generic line rather than fail the screen
    if isinstance(data, dict):
        return "read: " + ", ".join(sorted(data)[:6])
    return "done"

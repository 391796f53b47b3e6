"""Provides the ALB side of the edge simulator: CloudFront → ALB → target, decided one connection at
a time from the AWS state the lab holds (read through the lab's own clients, never from a scenario).

This is deliberately a second, smaller model, not wizard.analysis.network.reachability: the analysis reasons
over *sets* of addresses (every CloudFront range, every ALB node, whole subnets) and names the rule
that decides; the simulator follows *one* concrete connection (an edge address from CloudFront's
origin-facing prefix list, one ALB node address per subnet, one target address) through security
groups and network ACLs the way a packet would. If both were the same code, a bug in the analysis
would be a bug in the lab too and the end-to-end tests would prove nothing about it.

What it models: the ALB's scheme, its listeners (port and protocol), listener rules (path, host and
method conditions; forward, fixed-response and redirect actions), security groups (stateful; rules
by CIDR, prefix list or referenced group, which matches the interfaces that carry that group), network
ACLs (stateless, first matching rule by number, return traffic on an ephemeral port, the implicit
deny), target health with ELB's fail-open, and which ports the application listens on (the container
ports of the ECS service behind the target group, when there is one). The connection model itself
is in alb_network; this module is the request: CloudFront's hop, the listener, the target.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Tuple

from botocore.exceptions import ClientError

from . import pages
from . import alb_latency, alb_tls, health, nlb
from .alb_network import (ALB_SOURCE_PORT, CLOUDFRONT_SOURCE_PORT, Endpoint, LabNetwork, alb_nodes, connect,
                          target_endpoint)

Answer = Tuple[int, List[Tuple[str, str]], bytes]

# ELB: the load balancer gives up connecting to a target after 10 seconds and answers 504
# ("HTTP 504: Gateway timeout", ALB troubleshooting guide).
ALB_TARGET_CONNECT_TIMEOUT_S = 10.0
# CloudFront's defaults: 3 connection attempts of 10 seconds each (Developer Guide, "Connection
# attempts" and "Connection timeout"); an origin that never answers costs the viewer ~30 s.
CF_CONNECTION_ATTEMPTS = 3
CF_CONNECTION_TIMEOUT_S = 10.0
# ALB: NAME-ID.REGION.elb.amazonaws.com; NLB: NAME-ID.elb.REGION.amazonaws.com.
_ELB_REGION = re.compile(r"(?:\.([a-z]{2}(?:-[a-z]+)+-\d+)\.elb|\.elb\.([a-z]{2}(?:-[a-z]+)+-\d+))"
                         r"\.amazonaws\.com(?:\.cn)?$")
_ROUTABLE_STATES = ("healthy", "unhealthy", "initial", "unavailable")


# ---------------------------------------------------------------------------------------------
# The request


@dataclass
class Decision:
    """What happened to one request, for the answer and for tests: who answered, and why."""

    status: int
    answered_by: str  # "cloudfront" | "alb" | "target"
    reason: str
    taken_s: Optional[float] = None
    headers: List[Tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    hop: str = ""  # the failing hop: "cloudfront-alb" or "alb-target"; "" when none failed
    load_balancer_arn: str = ""  # set once the request reached a load balancer


def _origin_port(raw_origin: Mapping[str, Any], forwarded: Mapping[str, str]) -> Tuple[str, int]:
    cfg = raw_origin.get("CustomOriginConfig") or {}
    policy = str(cfg.get("OriginProtocolPolicy") or "match-viewer")
    http, https = ("http", int(cfg.get("HTTPPort") or 80)), ("https", int(cfg.get("HTTPSPort") or 443))
    if policy == "https-only":
        return https
    if policy == "http-only":
        return http
    # match-viewer: the viewer's scheme. The lab's HTTP arrives as plain HTTP with X-Forwarded-Proto
    # naming the scheme the viewer meant; when the behavior does not forward it, the viewer is taken
    # to use HTTPS (what browsers do).
    scheme = str(forwarded.get("cloudfront-forwarded-proto") or forwarded.get("x-forwarded-proto") or "").lower()
    if scheme not in ("http", "https"):
        scheme = "https"
    return https if scheme == "https" else http


def _glob(pattern: str, value: str, ignore_case: bool) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.IGNORECASE if ignore_case else 0) is not None


def _rule_matches(rule: Mapping[str, Any], method: str, path: str, host: str) -> bool:
    for cond in rule.get("Conditions") or []:
        field_name = cond.get("Field")
        if field_name == "path-pattern":
            values = (cond.get("PathPatternConfig") or {}).get("Values") or cond.get("Values") or []
            if not any(_glob(v, path, False) for v in values):
                return False
        elif field_name == "host-header":
            values = (cond.get("HostHeaderConfig") or {}).get("Values") or cond.get("Values") or []
            if not any(_glob(v, host, True) for v in values):
                return False
        elif field_name == "http-request-method":
            if method not in ((cond.get("HttpRequestMethodConfig") or {}).get("Values") or []):
                return False
        else:
            return False  # headers, query strings, source IPs: not modelled, so the rule is not taken
    return True


def _actions(net: LabNetwork, listener: Mapping[str, Any], method: str, path: str, host: str) -> Tuple[List[Dict[str, Any]], str]:
    rules = net.client("elbv2").describe_rules(ListenerArn=listener["ListenerArn"]).get("Rules") or []
    ordered = sorted((r for r in rules if not r.get("IsDefault")), key=lambda r: int(r.get("Priority") or 50000))
    for rule in ordered:
        if _rule_matches(rule, method, path, host):
            return list(rule.get("Actions") or []), f"rule {rule.get('Priority')}"
    return list(listener.get("DefaultActions") or []), "the default action"


def _forward_group(action: Mapping[str, Any]) -> Optional[str]:
    if action.get("TargetGroupArn"):
        return str(action["TargetGroupArn"])
    groups = (action.get("ForwardConfig") or {}).get("TargetGroups") or []
    weighted = [g for g in groups if int(g.get("Weight", 1) or 0) > 0] or groups
    return str(weighted[0]["TargetGroupArn"]) if weighted else None


def _app_page(target: Endpoint, path: str) -> Answer:
    body = (f"<!DOCTYPE html>\n<html><head><title>app</title></head><body>\n<h1>It works</h1>\n"
            f"<p>Served by {target.ip} for {path}</p>\n</body></html>\n").encode()
    return 200, [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")], body


def _plain_http_to_https() -> Tuple[List[Tuple[str, str]], bytes]:
    body = ("<html>\r\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>\r\n<body>\r\n"
            "<center><h1>400 Bad Request</h1></center>\r\n<center>The plain HTTP request was sent to HTTPS port"
            "</center>\r\n</body>\r\n</html>\r\n").encode()
    return [("Server", "awselb/2.0"), ("Content-Type", "text/html")], body


def route_to_targets(net: LabNetwork, lb: Mapping[str, Any], node: Endpoint, tg_arn: str, path: str) -> Decision:
    """The ALB node forwards to a target of the group: healthy ones first; with none healthy, ELB
    fails open and tries every registered target anyway. Health checks are re-run first (they run
    all the time on AWS), so a change to the state shows in the next request."""
    elbv2 = net.client("elbv2")
    tg = (elbv2.describe_target_groups(TargetGroupArns=[tg_arn]).get("TargetGroups") or [{}])[0]
    name = tg.get("TargetGroupName", tg_arn)
    health.inject(health.check_group(net, lb, alb_nodes(net, lb), tg))
    descriptions = elbv2.describe_target_health(TargetGroupArn=tg_arn).get("TargetHealthDescriptions") or []
    registered = [d for d in descriptions if (d.get("TargetHealth") or {}).get("State") in _ROUTABLE_STATES]
    healthy = [d for d in registered if d["TargetHealth"]["State"] == "healthy"]
    if not registered:
        status, headers, body = pages.alb_error(503)
        return Decision(503, "alb", f"target group {name} has no registered targets", None, headers, body, "alb-target")
    chosen = healthy or registered
    fail_open = "" if healthy else f" (no healthy target in {name}: the ALB fails open and tries them all)"
    target = chosen[0]["Target"]
    port = int(target.get("Port") or tg.get("Port") or 80)
    if tg.get("TargetType") == "lambda":
        status, headers, body = _app_page(Endpoint("lambda", "lambda"), path)
        return Decision(status, "target", "a Lambda target answered", None, headers, body)
    dst = target_endpoint(net, tg, target)
    if dst is None:
        status, headers, body = pages.alb_error(504)
        return Decision(504, "alb", f"no network interface has the address of target {target.get('Id')}{fail_open}",
                        ALB_TARGET_CONNECT_TIMEOUT_S, headers, body, "alb-target")
    why = connect(net, nlb.target_source(net, lb, tg, node), dst, port, ALB_SOURCE_PORT)
    if why:
        status, headers, body = pages.alb_error(504)
        return Decision(504, "alb", why + fail_open, ALB_TARGET_CONNECT_TIMEOUT_S, headers, body, "alb-target")
    ports = net.app_ports(tg_arn)
    if ports is not None and port not in ports:
        status, headers, body = pages.alb_error(502)
        return Decision(502, "alb", f"{dst.label} refuses tcp/{port}: the application listens on "
                                    f"{', '.join(map(str, sorted(ports))) or 'no port'}{fail_open}", None,
                        headers, body, "alb-target")
    status, headers, body = _app_page(dst, path)
    return Decision(status, "target", f"{dst.label} answered{fail_open}", None, headers, body)


def connect_wait(raw_origin: Mapping[str, Any]) -> float:
    """Seconds CloudFront spends on an origin that never answers: its attempts × its connection timeout."""
    attempts = int(raw_origin.get("ConnectionAttempts") or CF_CONNECTION_ATTEMPTS)
    return attempts * float(raw_origin.get("ConnectionTimeout") or CF_CONNECTION_TIMEOUT_S)


def decide(net: LabNetwork, raw_origin: Mapping[str, Any], method: str, path: str, forwarded: Mapping[str, str],
           cf_id: str, origin_name: str = "", viewer_host: str = "") -> Decision:
    """Follow CloudFront's connection to the ALB, the listener and its rules, and the ALB's
    connection to a target; the first hop that fails decides the answer."""
    domain = str(raw_origin.get("DomainName", ""))
    proto, port = _origin_port(raw_origin, forwarded)
    attempts = int(raw_origin.get("ConnectionAttempts") or CF_CONNECTION_ATTEMPTS)  # one node tried per attempt
    waited = connect_wait(raw_origin)

    def cloudfront_fails(reason: str, status: int = 504, kind: str = "origin-timeout",
                         taken: Optional[float] = None) -> Decision:
        code, headers, body = pages.cloudfront_error(status, kind, cf_id)
        return Decision(code, "cloudfront", reason, waited if taken is None else taken, headers, body, "cloudfront-alb")

    lb = net.load_balancer_by_dns(domain)
    if lb is None:
        # No load balancer has that name: the DNS lookup fails (CloudFront answers 502).
        return cloudfront_fails(f"no load balancer in {net.region} has the DNS name {domain}", 502,
                                "origin-refused", 0.05)
    name = str(lb["LoadBalancerName"])
    if lb.get("Scheme") == "internal":
        return cloudfront_fails(f"{name} is internal: its addresses are private and the internet cannot reach them")
    edge_ip = net.cloudfront_edge_ip()
    edge = Endpoint(edge_ip, f"CloudFront edge {edge_ip}")
    failures = []
    reached: Optional[Endpoint] = None
    # Each attempt may land on another node (the name resolves to every node's address).
    for node in alb_nodes(net, lb)[:max(1, attempts)]:
        why = connect(net, edge, node, port, CLOUDFRONT_SOURCE_PORT)
        if why is None:
            reached = node
            break
        failures.append(why)
    if reached is None:
        return cloudfront_fails("; ".join(dict.fromkeys(failures)) or f"{name} has no subnets")
    listeners = net.client("elbv2").describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"]).get("Listeners") or []
    listener = next((lst for lst in listeners if int(lst.get("Port") or 0) == port), None)
    if listener is None:
        # Nothing accepts the connection on that port: CloudFront's attempts time out.
        return cloudfront_fails(f"{name} has no listener on port {port}")
    lproto = nlb.listener_protocol(str(listener.get("Protocol", "")).lower(), proto)
    if lproto != proto and proto == "https":
        # A TLS handshake with a plain-HTTP listener fails: CloudFront answers 502.
        return cloudfront_fails(f"CloudFront speaks HTTPS to port {port}, where the listener is HTTP", 502,
                                "origin-refused", 0.05)
    refused = alb_tls.refuses(net, listener, origin_name, viewer_host) if origin_name and proto == "https" else None
    if refused:
        return cloudfront_fails(refused, 502, "origin-refused", 0.05)
    if lproto != proto:
        # Plain HTTP sent to an HTTPS listener: the load balancer itself refuses it.
        decision = Decision(400, "alb", f"CloudFront speaks HTTP to port {port}, where the listener is HTTPS", None,
                            *_plain_http_to_https())
    else:
        decision = _listener_answer(net, lb, listener, reached, proto, port, method, path,
                                    str(forwarded.get("host") or domain))
    if nlb.is_nlb(lb):  # no HTTP of its own (nor ApplicationELB metrics): a failed hop is CloudFront's timeout
        return cloudfront_fails(decision.reason) if decision.answered_by == "alb" else decision
    decision.load_balancer_arn = str(lb["LoadBalancerArn"])
    return decision


def _listener_answer(net: LabNetwork, lb: Mapping[str, Any], listener: Mapping[str, Any], node: Endpoint,
                     proto: str, port: int, method: str, path: str, host: str) -> Decision:
    """What the listener's matching rule does: a fixed response, a redirect, or a forward."""
    actions, which = _actions(net, listener, method, path, host)
    for action in sorted(actions, key=lambda a: int(a.get("Order") or 0)):
        kind = action.get("Type")
        if kind == "fixed-response":
            cfg = action.get("FixedResponseConfig") or {}
            return Decision(int(cfg.get("StatusCode") or 200), "alb", f"{which} answers with a fixed response", None,
                            [("Server", "awselb/2.0"), ("Content-Type", cfg.get("ContentType") or "text/plain")],
                            str(cfg.get("MessageBody") or "").encode())
        if kind == "redirect":
            cfg = action.get("RedirectConfig") or {}
            location = (f"{cfg.get('Protocol', '#{protocol}')}://{cfg.get('Host', '#{host}')}:"
                        f"{cfg.get('Port', '#{port}')}{cfg.get('Path', '/#{path}')}")
            location = (location.replace("#{protocol}", proto).replace("#{host}", host)
                        .replace("#{port}", str(port)).replace("/#{path}", path))
            status = 301 if cfg.get("StatusCode") == "HTTP_301" else 302
            return Decision(status, "alb", f"{which} redirects", None,
                            [("Server", "awselb/2.0"), ("Location", location)], b"")
        if kind == "forward":
            tg_arn = _forward_group(action)
            if tg_arn:
                return route_to_targets(net, lb, node, tg_arn, path)
    status, headers, body = pages.alb_error(503)
    return Decision(status, "alb", f"{which} forwards nowhere", None, headers, body)


def publish_metrics(net: LabNetwork, decision: Decision) -> None:
    """What ELB itself would publish to CloudWatch (AWS/ApplicationELB, per load balancer) for one
    request the load balancer received: the lab's evidence for the wizard's metrics probe."""
    if not decision.load_balancer_arn:
        return
    names = ["RequestCount"]
    if decision.answered_by == "alb" and decision.status >= 400:
        names.append(f"HTTPCode_ELB_{decision.status}_Count" if decision.status in (502, 503, 504)
                     else f"HTTPCode_ELB_{str(decision.status)[0]}XX_Count")
    if decision.hop == "alb-target" and decision.status == 504:
        names.append("TargetConnectionErrorCount")
    if decision.answered_by == "target":
        names.append(f"HTTPCode_Target_{str(decision.status)[0]}XX_Count")
    dimension = [{"Name": "LoadBalancer", "Value": decision.load_balancer_arn.split(":loadbalancer/", 1)[-1]}]
    try:
        net.client("cloudwatch").put_metric_data(Namespace="AWS/ApplicationELB", MetricData=[
            {"MetricName": n, "Dimensions": dimension, "Value": 1.0, "Unit": "Count"} for n in names])
    except ClientError:
        pass  # evidence only: a request must not fail because a metric could not be stored


def answer(view, config, raw_origin, origin, method, path, forwarded, cf_id, viewer_host: str = "",
           latency_s: float = 0.0):
    """CloudFront's answer from an ALB origin: (status, headers, body, seconds taken or None).
    `viewer_host` is the viewer's Host when the behavior forwards it (CloudFront's TLS name rule);
    `latency_s` how long the application behind the targets takes (alb_latency)."""
    started = time.monotonic()
    name = str(raw_origin.get("DomainName", "")).lower()
    target = _resolve_name(view, name)
    if target != name:  # a custom name (Route 53 alias or CNAME): CloudFront still sends Host: name
        forwarded = dict(forwarded)
        forwarded.setdefault("host", name)
        raw_origin = dict(raw_origin, DomainName=target)
    region_match = _ELB_REGION.search(target)
    region = (region_match.group(1) or region_match.group(2)) if region_match else view.region
    net = LabNetwork(lambda service: view.client(service, region), region)
    decision = decide(net, raw_origin, method, path, forwarded, cf_id,
                      origin_name=name, viewer_host=viewer_host.split(":")[0].lower())
    publish_metrics(net, decision)
    late = alb_latency.delayed(net, decision, raw_origin, latency_s, cf_id, started)
    if late is not None:
        return late
    return decision.status, list(decision.headers), decision.body, decision.taken_s


def _resolve_name(view, name: str, hops: int = 5) -> str:
    """Where DNS sends an origin name: followed through Route 53 records (alias or CNAME) until it is
    a load balancer's name or leads nowhere, as CloudFront's resolver would."""
    seen = [name]
    while len(seen) <= hops and not _ELB_REGION.search(seen[-1]):
        nxt = view.dns_target(seen[-1])
        if not nxt or nxt in seen:
            break
        seen.append(nxt)
    return seen[-1]

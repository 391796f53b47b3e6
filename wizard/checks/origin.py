"""Provides the custom origin check: what the origin connection probe (http.origin_tls) found at the
port CloudFront uses — a name that does not resolve, a port that speaks the other protocol, a
certificate CloudFront would refuse (untrusted chain, names that do not cover the origin domain or
the forwarded Host), an answer slower than the origin response timeout — read against what the
viewer saw, so a probe from this host never contradicts a working CloudFront."""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple
from urllib.parse import urlsplit

from ..analysis.edge.origin_connection import covers, origin_leg, which_504
from ..aws.facts import EdgeFacts
from ..model import Hit, Unknown
from .common import missing

PROBE = "http.origin_tls"
LAYER = "origin"
_PROTOCOL_NAMES = {"https": "HTTPS (TLS)", "http": "plain HTTP", "tls": "TLS", "unknown": "something else"}


def _params(facts: EdgeFacts, data: Dict) -> Dict[str, str]:
    origin = facts.origin
    dist = facts.distribution
    behavior = facts.behavior
    return {
        "origin_domain": origin.domain, "origin_id": origin.id, "distribution_id": dist.id if dist else "",
        "behavior": behavior.path_pattern if behavior else "", "port": str(data.get("port")),
        "protocol_policy": origin.protocol_policy or "match-viewer", "http_port": str(origin.http_port),
        "https_port": str(origin.https_port), "server_name": str(data.get("sni") or origin.domain),
        "path": (origin.origin_path or "") + facts.symptom.path,
    }


def connection(facts: EdgeFacts) -> Tuple[List[Hit], List[Unknown]]:
    """origin.dns-unresolvable, origin.protocol-port-mismatch, origin.tls.untrusted,
    origin.tls.name-mismatch, origin.response-timeout, for a custom origin."""
    origin = facts.origin
    if origin is None or origin.kind != "custom":
        return [], []
    gap = missing(facts, PROBE, LAYER, f"the connection to {origin.domain}")
    if gap:
        return [], [gap]
    data = facts.data(PROBE) or {}
    viewer = facts.data("http.viewer") or {}
    status = viewer.get("status")
    hits = _hits(facts, data, status, viewer)
    if hits and status is not None and status < 400:
        # CloudFront got an answer through this origin: what this host saw is this host's view.
        return [], [Unknown(LAYER, f"the connection to {origin.domain}",
                            f"this host saw a fault ({', '.join(h.id for h in hits)}) but the URL answered "
                            f"{status} through CloudFront: check from where CloudFront connects")]
    return hits, _unknowns(facts, data, hits)


def _hits(facts: EdgeFacts, data: Dict, status: Optional[int], viewer: Dict) -> List[Hit]:
    params = _params(facts, data)
    domain, port = params["origin_domain"], params["port"]
    kind = data.get("error_kind")
    if kind == "dns":
        return [Hit("origin.dns-unresolvable", (str(data.get("error") or f"{domain} did not resolve"),), params)]
    expected, speaks = str(data.get("protocol")), str(data.get("speaks"))
    if (expected == "https" and speaks == "http") or (expected == "http" and speaks == "tls"):
        evidence = (f"Port {port} of {domain} answered {_PROTOCOL_NAMES[speaks]} where CloudFront speaks "
                    f"{_PROTOCOL_NAMES[expected]} (origin protocol policy {params['protocol_policy']}).",)
        return [Hit("origin.protocol-port-mismatch", evidence, dict(
            params, origin_protocol="HTTPS" if expected == "https" else "HTTP",
            speaks="plain HTTP" if speaks == "http" else "TLS (HTTPS)"))]
    hits: List[Hit] = []
    tls = data.get("tls") or None
    if expected == "https" and tls:
        described = dict(params, subject=str(tls.get("subject_cn") or "no subject name"),
                         issuer=str(tls.get("issuer") or "an unnamed issuer"),
                         not_after=str(tls.get("not_after") or "?"))
        names = list(tls.get("names") or [])
        shown = ", ".join(names) or f"only the subject {tls.get('subject_cn') or '(none)'}"
        if tls.get("verified") is False:
            reason = str(tls.get("verify_error") or "the chain does not verify")
            hits.append(Hit("origin.tls.untrusted", (
                f"Chain check at {domain}:{port} (SNI {data.get('sni')}): {reason}.",
                f"Certificate: {described['subject']} issued by {described['issuer']}, valid "
                f"{tls.get('not_before') or '?'} to {described['not_after']}; names: {shown}."),
                dict(described, reason=reason)))
        forwarded = bool(data.get("host_forwarded"))
        viewer_host = facts.symptom.host
        ok = covers(names, str(tls.get("subject_cn") or ""), domain) or (
            forwarded and covers(names, str(tls.get("subject_cn") or ""), viewer_host))
        if not ok and tls.get("decoded", True):
            expected_names = domain + (f" nor the forwarded Host {viewer_host}" if forwarded else "")
            rule = (f" or the Host header CloudFront forwards ({viewer_host})" if forwarded else
                    " (the behavior does not forward the viewer's Host, so only the origin domain counts)")
            hits.append(Hit("origin.tls.name-mismatch", (
                f"The certificate at {domain}:{port} names {shown}; none covers {expected_names}.",),
                dict(described, expected=expected_names, names=shown, host_rule=rule)))
    if hits:
        return hits
    response = data.get("response") or {}
    if response.get("timed_out") and (status is None or status == 504):
        return [_timeout_hit(facts, data, params, viewer)]
    return []


def _timeout_hit(facts: EdgeFacts, data: Dict, params: Dict[str, str], viewer: Dict) -> Hit:
    origin = facts.origin
    leg = origin_leg(origin.custom_config, origin.domain, urlsplit(facts.symptom.url).scheme or "https",
                     facts.symptom.host, bool(data.get("host_forwarded")))
    read = leg.read_timeout
    evidence = [f"The connection to {params['origin_domain']}:{params['port']} opened"
                f"{' and the TLS handshake completed' if data.get('tls') else ''}, then no answer came within "
                f"{(data.get('response') or {}).get('waited_s', read)} s (origin response timeout {read:g} s)."]
    timing = "The network path is open, so this is not the closed-path 504 (connection attempts timing out)."
    waited = viewer.get("elapsed_ms")
    if waited is not None:
        seconds = float(waited) / 1000.0
        verdict = which_504(seconds, leg)
        attempts = leg.connection_attempts * leg.connection_timeout
        line = (f"The viewer's 504 came after {seconds:.1f} s: about the origin response timeout ({read:g} s), "
                f"not the {leg.connection_attempts} connection attempts of {leg.connection_timeout:g} s "
                f"({attempts:g} s) a closed path costs." if verdict == "read-timeout" else
                f"The viewer's answer came after {seconds:.1f} s (origin response timeout {read:g} s, "
                f"connection attempts {attempts:g} s).")
        evidence.append(line)
        if verdict == "read-timeout":
            timing += " " + line
    evidence += _logged_waits(facts, leg)
    return Hit("origin.response-timeout", tuple(evidence), dict(params, read_timeout=f"{read:g}", timing=timing))


def _logged_waits(facts: EdgeFacts, leg) -> List[str]:
    """What the access logs' slow requests say, by how long they waited (time-taken buckets)."""
    triage = (facts.data("aws.cloudfront_logs") or {}).get("triage") or {}
    lines = []
    for bucket, count in sorted((triage.get("near_timeout_waits") or {}).items()):
        try:
            seconds = float(bucket)
        except (TypeError, ValueError):
            continue
        kind = which_504(seconds, leg)
        meaning = {"read-timeout": "the origin response timeout", "connect-timeout": "connection attempts that "
                   "time out (a closed path)"}.get(kind or "", "either the response timeout or the connection attempts")
        lines.append(f"Access logs: {count} request(s) took about {seconds:g} s (time-taken): {meaning}.")
    return lines


def _unknowns(facts: EdgeFacts, data: Dict, hits: List[Hit]) -> List[Unknown]:
    if hits:
        return []
    kind = data.get("error_kind")
    what = f"the connection to {data.get('host')}:{data.get('port')}"
    if kind:
        # Refused, timed out or an unexplained TLS failure from this host: CloudFront's own connection
        # may differ (origins often admit only CloudFront's addresses), so this part stays unknown.
        reason = str(data.get("error") or kind)
        viewer = facts.data("http.viewer") or {}
        if kind == "connect-timeout" and viewer.get("status") == 504 and viewer.get("elapsed_ms") is not None:
            origin = facts.origin
            leg = origin_leg(origin.custom_config, origin.domain, "https", facts.symptom.host, False)
            seconds = float(viewer["elapsed_ms"]) / 1000.0
            if which_504(seconds, leg) == "connect-timeout":
                reason += (f"; the viewer's 504 came after {seconds:.0f} s, about CloudFront's "
                           f"{leg.connection_attempts} connection attempts: a closed path (security group, "
                           f"network ACL or firewall), not a slow origin")
        return [Unknown(LAYER, what, reason)]
    late = _late_answer(facts, data)
    return [Unknown(LAYER, what, late)] if late else []


def _late_answer(facts: EdgeFacts, data: Dict) -> str:
    """Why an answer is neither ok nor a timeout ("" when it is one of them): its first byte came
    past the origin response timeout on this host's clock, but within the probe's allowance for its
    own round trip to the origin (wizard/http/origin_tls.py), while CloudFront answered an error.
    CloudFront's round trip to the origin differs from this host's, so whether it waited long
    enough is not known from here: neither a false ok nor a false finding."""
    response = data.get("response") or {}
    first_byte, read = response.get("first_byte_s"), data.get("read_timeout")
    status = (facts.data("http.viewer") or {}).get("status")
    if response.get("timed_out") or first_byte is None or not read or float(first_byte) <= float(read):
        return ""
    if status is not None and status < 400:
        return ""  # CloudFront got its answer
    return (f"the first byte came after {float(first_byte):.2f} s, just past the origin response timeout "
            f"({float(read):g} s) on this host's clock but within its own round trip to the origin: whether "
            f"CloudFront, connecting from elsewhere, got it in time is not known from here")


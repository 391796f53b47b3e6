"""The custom origin check (origin.connection) from probe outcomes to findings: each 502/504 cause,
CloudFront's certificate name rule with and without a forwarded Host, the 504 told apart from a
closed path by how long it took, and a probe that failed or disagrees with CloudFront staying unknown."""

from __future__ import annotations

from typing import Any, Dict, Optional

import pytest

from wizard.analysis.edge.origin_connection import OriginLeg, forwards_host, name_matches, origin_leg, which_504
from wizard.aws.facts import EdgeFacts as Facts
from wizard.checks.origin import connection
from wizard.engine.facts import Symptom
from wizard.model import ProbeOutcome

DOMAIN = "origin.shop.example"
VIEWER = "d111.cloudfront.net"
ALL_VIEWER = {"OriginRequestPolicyConfig": {"Name": "Managed-AllViewer", "HeadersConfig": {"HeaderBehavior": "allViewer"}}}
EXCEPT_HOST = {"OriginRequestPolicyConfig": {"Name": "Managed-AllViewerExceptHostHeader", "HeadersConfig": {
    "HeaderBehavior": "allExcept", "Headers": {"Quantity": 1, "Items": ["host"]}}}}


def probe(**over: Any) -> Dict[str, Any]:
    data = {"host": DOMAIN, "port": 443, "protocol": "https", "sni": DOMAIN, "connected": True, "speaks": "tls",
            "tls": {"names": [DOMAIN], "subject_cn": "", "issuer": "Public CA", "verified": True, "verify_error": "",
                    "not_before": "Jan 1 00:00:00 2025 GMT", "not_after": "Jan 1 00:00:00 2027 GMT"},
            "response": {"status": 200, "timed_out": False, "first_byte_s": 0.05},
            "error_kind": None, "error": None, "host_forwarded": False}
    data.update(over)
    return data


def facts(data: Optional[Dict[str, Any]], status: Optional[int] = 502, elapsed_ms: float = 80.0,
          read_timeout: int = 30, outcome: Optional[ProbeOutcome] = None, domain: str = DOMAIN) -> Facts:
    origin = {"Id": "shop-api", "DomainName": domain,
              "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only",
                                     "OriginReadTimeout": read_timeout}}
    config = {"Origins": {"Quantity": 1, "Items": [origin]},
              "DefaultCacheBehavior": {"TargetOriginId": "shop-api", "ViewerProtocolPolicy": "redirect-to-https"}}
    found = {
        "aws.distribution": ProbeOutcome("aws.distribution", "ok", data={
            "found": True, "id": "E2EXAMPLE", "domain": VIEWER, "config": config}),
        "http.viewer": ProbeOutcome("http.viewer", "ok", data={"status": status, "headers": [], "elapsed_ms": elapsed_ms}),
        "http.origin_tls": outcome or ProbeOutcome("http.origin_tls", "ok", data=data),
    }
    return Facts(Symptom(f"https://{VIEWER}/api/products"), found)


def ids(result) -> list:
    return sorted(h.id for h in result[0])


def test_healthy_origin_raises_nothing():
    assert connection(facts(probe(), status=200)) == ([], [])


def test_dns_failure_names_the_origin_domain():
    hits, _ = connection(facts(probe(connected=False, speaks="unknown", tls=None, response=None, error_kind="dns",
                                     error="The name origin.shop.exmaple did not resolve"), domain="origin.shop.exmaple"))
    assert [h.id for h in hits] == ["origin.dns-unresolvable"]
    assert hits[0].params["origin_domain"] == "origin.shop.exmaple"


def test_tls_spoken_to_a_plain_http_port():
    hits, _ = connection(facts(probe(port=80, speaks="http", tls=None, response=None, error_kind="tls")))
    assert [h.id for h in hits] == ["origin.protocol-port-mismatch"]
    assert hits[0].params["speaks"] == "plain HTTP" and hits[0].params["port"] == "80"


def test_plain_http_spoken_to_a_tls_port():
    hits, _ = connection(facts(probe(protocol="http", speaks="tls", tls=None, response=None)))
    assert [h.id for h in hits] == ["origin.protocol-port-mismatch"]


def test_expired_certificate_is_untrusted_with_the_reason():
    tls = dict(probe()["tls"], verified=False, verify_error="certificate has expired")
    hits, _ = connection(facts(probe(tls=tls)))
    assert [h.id for h in hits] == ["origin.tls.untrusted"]
    assert "expired" in hits[0].params["reason"]


def test_certificate_for_another_name_is_a_name_mismatch():
    tls = dict(probe()["tls"], names=["www.shop-legacy.example"])
    hits, _ = connection(facts(probe(tls=tls)))
    assert [h.id for h in hits] == ["origin.tls.name-mismatch"]
    assert "www.shop-legacy.example" in hits[0].evidence[0]


def test_names_that_could_not_be_read_are_no_mismatch():
    tls = dict(probe()["tls"], names=[], verified=False, verify_error="self-signed certificate", decoded=False)
    assert ids(connection(facts(probe(tls=tls)))) == ["origin.tls.untrusted"]


def test_certificate_for_the_forwarded_host_is_accepted():
    """CloudFront accepts a certificate that covers the Host it forwards (the decoy's case)."""
    tls = dict(probe()["tls"], names=[VIEWER])
    assert connection(facts(probe(tls=tls, host_forwarded=True, sni=VIEWER))) == ([], [])


def test_certificate_for_the_viewer_host_without_forwarding_is_a_mismatch():
    tls = dict(probe()["tls"], names=[VIEWER])
    assert ids(connection(facts(probe(tls=tls, host_forwarded=False)))) == ["origin.tls.name-mismatch"]


def test_slow_answer_is_a_response_timeout_told_apart_from_a_closed_path():
    data = probe(response={"status": None, "timed_out": True, "waited_s": 1.5})
    hits, _ = connection(facts(data, status=504, elapsed_ms=1100, read_timeout=1))
    assert [h.id for h in hits] == ["origin.response-timeout"]
    assert any("not the 3 connection attempts" in line for line in hits[0].evidence)


def test_logged_waits_say_which_timeout_they_match():
    data = probe(response={"status": None, "timed_out": True, "waited_s": 5.5})
    f = facts(data, status=504, elapsed_ms=5100, read_timeout=5)
    f.outcomes["aws.cloudfront_logs"] = ProbeOutcome("aws.cloudfront_logs", "ok", data={
        "triage": {"near_timeout_waits": {"30": 4}}})
    hits, _ = connection(f)
    assert any("4 request(s) took about 30 s" in line and "closed path" in line for line in hits[0].evidence)


def test_a_504_after_the_connection_attempts_is_named_a_closed_path():
    data = probe(connected=False, speaks="unknown", tls=None, response=None, error_kind="connect-timeout",
                 error="Connecting to origin.shop.example:443 timed out")
    hits, unknowns = connection(facts(data, status=504, elapsed_ms=30200, read_timeout=5))
    assert hits == [] and "a closed path" in unknowns[0].reason


def test_an_answer_just_past_the_timeout_within_the_probes_round_trip_is_unknown_not_ok():
    """The probe waits the timeout plus its own round trip; a first byte in that band is neither
    a finding (CloudFront may be nearer the origin) nor ok (it may be farther)."""
    data = probe(read_timeout=1.0, response={"status": 200, "timed_out": False, "first_byte_s": 1.08})
    hits, unknowns = connection(facts(data, status=504, elapsed_ms=1100, read_timeout=1))
    assert hits == [] and [u.layer for u in unknowns] == ["origin"]
    assert "1.08 s" in unknowns[0].reason and "not known from here" in unknowns[0].reason


def test_an_answer_within_the_timeout_stays_ok():
    data = probe(read_timeout=1.0, response={"status": 200, "timed_out": False, "first_byte_s": 0.95})
    assert connection(facts(data, status=504, elapsed_ms=1100, read_timeout=1)) == ([], [])


def test_slow_answer_behind_a_working_url_is_not_a_finding():
    data = probe(response={"status": None, "timed_out": True, "waited_s": 1.5})
    assert connection(facts(data, status=200, read_timeout=1))[0] == []  # CloudFront got its answer


def test_fault_seen_from_here_behind_a_working_url_is_unknown_not_blamed():
    tls = dict(probe()["tls"], verified=False, verify_error="certificate has expired")
    hits, unknowns = connection(facts(probe(tls=tls), status=200))
    assert hits == [] and "origin.tls.untrusted" in unknowns[0].reason


def test_connection_refused_from_here_is_unknown_not_a_finding():
    data = probe(connected=False, speaks="unknown", tls=None, response=None, error_kind="connect-timeout",
                 error="Connecting to origin.shop.example:443 timed out")
    hits, unknowns = connection(facts(data))
    assert hits == [] and [u.layer for u in unknowns] == ["origin"]


def test_probe_that_failed_makes_the_part_unknown():
    failed = ProbeOutcome("http.origin_tls", "error", error="boom")
    hits, unknowns = connection(facts(None, outcome=failed))
    assert hits == [] and unknowns and unknowns[0].reason == "boom"


@pytest.mark.parametrize("pattern, host, ok", [
    ("origin.shop.example", "ORIGIN.shop.example.", True), ("*.shop.example", "origin.shop.example", True),
    ("*.shop.example", "a.origin.shop.example", False), ("*.shop.example", "shop.example", False),
    ("www.shop.example", "origin.shop.example", False)])
def test_name_rule(pattern, host, ok):
    assert name_matches(pattern, host) is ok


def test_host_forwarding_by_policy():
    assert forwards_host({}, ALL_VIEWER, None) is True
    assert forwards_host({}, EXCEPT_HOST, None) is False
    assert forwards_host({"ForwardedValues": {"Headers": {"Quantity": 1, "Items": ["Host"]}}}, None, None) is True
    assert forwards_host({}, None, None) is False


def test_origin_leg_follows_the_protocol_policy():
    cfg = {"HTTPPort": 8080, "HTTPSPort": 8443, "OriginProtocolPolicy": "match-viewer"}
    assert (origin_leg(cfg, DOMAIN, "http", VIEWER, False).port, origin_leg(cfg, DOMAIN, "https", VIEWER, False).port) == (8080, 8443)
    leg = origin_leg(dict(cfg, OriginProtocolPolicy="https-only"), DOMAIN, "http", VIEWER, True)
    assert (leg.protocol, leg.port, leg.server_name) == ("https", 8443, VIEWER)


def test_which_504_by_time_taken():
    leg = OriginLeg("https", 443, DOMAIN, False, read_timeout=5, connection_attempts=3, connection_timeout=10)
    assert which_504(5.2, leg) == "read-timeout"
    assert which_504(30.4, leg) == "connect-timeout"
    assert which_504(15.0, leg) is None
    same = OriginLeg("https", 443, DOMAIN, False, read_timeout=30, connection_attempts=3, connection_timeout=10)
    assert which_504(30.0, same) is None  # the defaults cannot be told apart by time alone

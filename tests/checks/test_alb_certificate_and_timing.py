"""The load balancer checks added for issue 13: the listener's ACM certificate (blamed only when the
viewer got CloudFront's 502 and none of its names covers the name CloudFront checks), and the 504
evidence from CloudWatch (TargetResponseTime past the origin response timeout is a slow target;
TargetConnectionErrorCount with fast answers is a closed path)."""

from __future__ import annotations

from wizard.checks import alb_certificate, alb_timing

from .facts_builder import answer, build, put

ALB = {"Id": "web", "DomainName": "web-alb-1.us-east-1.elb.amazonaws.com",
       "CustomOriginConfig": {"OriginProtocolPolicy": "https-only", "HTTPSPort": 443, "OriginReadTimeout": 5}}


def _cert_facts(status, names, forwarded=False):
    facts = build("/company/1", viewer=answer(status, []), origins=(ALB,))
    put(facts, "aws.alb_certificate", {
        "certificates": [{"arn": "arn:aws:acm:us-east-1:123456789012:certificate/x", "domain": names[0],
                          "names": names, "status": "ISSUED", "not_after": "2027-01-01"}],
        "unknowns": [], "port": 443, "origin_domain": ALB["DomainName"], "load_balancer": "web-alb",
        "server_name": ALB["DomainName"], "host_forwarded": forwarded})
    return facts


def test_a_certificate_that_misses_the_origin_name_is_blamed_on_cloudfronts_502():
    hits, unknowns = alb_certificate.listener_certificate(_cert_facts(502, ["www.example.com"]))
    assert [h.id for h in hits] == ["origin.tls.name-mismatch"] and unknowns == []
    assert "www.example.com" in hits[0].params["names"] and "ACM certificate" in hits[0].evidence[0]


def test_the_certificate_is_not_blamed_when_the_viewer_did_not_get_a_502():
    """A 504 or a 200 means the handshake was never reached or worked: no finding, whatever the names."""
    for status in (200, 504):
        assert alb_certificate.listener_certificate(_cert_facts(status, ["www.example.com"])) == ([], [])


def test_a_certificate_covering_the_forwarded_host_is_accepted():
    hits, _ = alb_certificate.listener_certificate(_cert_facts(502, ["*.cloudfront.net"], forwarded=True))
    assert hits == []


def test_a_denied_certificate_read_on_a_502_is_unknown_not_a_finding():
    facts = build("/company/1", viewer=answer(502, []), origins=(ALB,))
    put(facts, "aws.alb_certificate", None, status="denied")
    hits, unknowns = alb_certificate.listener_certificate(facts)
    assert hits == [] and len(unknowns) == 1



def _sni_facts(default, extra, extras_read=True):
    """A 502 with a listener whose default certificate names `default` and one extra certificate `extra`."""
    facts = build("/company/1", viewer=answer(502, []), origins=(ALB,))
    cert = lambda arn, names, is_default: {"arn": f"arn:aws:acm:us-east-1:123456789012:certificate/{arn}",  # noqa: E731
                                           "domain": names[0], "names": names, "status": "ISSUED",
                                           "not_after": "2027-01-01", "is_default": is_default}
    certs = [cert("default", default, True)] + ([cert("extra", extra, False)] if extra else [])
    put(facts, "aws.alb_certificate", {
        "certificates": certs, "unknowns": [] if extras_read else [
            {"what": "the listener's extra (SNI) certificates", "reason": "AccessDenied"}],
        "extras_read": extras_read, "port": 443, "origin_domain": ALB["DomainName"], "load_balancer": "web-alb",
        "server_name": ALB["DomainName"], "host_forwarded": False})
    return facts


def test_an_extra_listener_certificate_matching_the_sni_is_the_one_judged():
    """ALB serves the extra certificate whose names match CloudFront's SNI: the default one that does
    not cover the origin name is not blamed."""
    hits, unknowns = alb_certificate.listener_certificate(_sni_facts(["www.example.com"], ["*.us-east-1.elb.amazonaws.com"]))
    assert hits == [] and unknowns == []


def test_an_extra_certificate_for_another_name_leaves_the_default_served_and_blamed():
    hits, _ = alb_certificate.listener_certificate(_sni_facts(["www.example.com"], ["api.example.com"]))
    assert [h.id for h in hits] == ["origin.tls.name-mismatch"]
    assert "certificate/default" in hits[0].evidence[0]
    assert "no extra certificate of the listener matches SNI" in hits[0].evidence[0]


def test_unread_extra_certificates_make_a_non_covering_default_unknown_not_a_finding():
    """DescribeListenerCertificates denied: an extra certificate might cover the name, so the default's
    miss is not enough to blame the certificate."""
    hits, unknowns = alb_certificate.listener_certificate(_sni_facts(["www.example.com"], None, extras_read=False))
    assert hits == []
    assert any("SNI" in u.what for u in unknowns) and any("not every certificate" in u.reason for u in unknowns)


def _metrics(times, errors):
    series = [{"namespace": "AWS/ApplicationELB", "metric": "TargetResponseTime", "stat": "Maximum",
               "dimension": "app/web-alb/1", "points": [{"time": "t", "value": v} for v in times]},
              {"namespace": "AWS/ApplicationELB", "metric": "TargetConnectionErrorCount", "stat": "Sum",
               "dimension": "app/web-alb/1", "points": [{"time": "t", "value": v} for v in errors]}]
    return {"hours": 3, "series": series, "unknowns": []}


def _timing_facts(status, times, errors):
    facts = build("/company/1", viewer=dict(answer(status, []), elapsed_ms=5200), origins=(ALB,))
    put(facts, "aws.alb_metrics", _metrics(times, errors))
    return facts


def test_target_response_time_past_the_read_timeout_is_a_slow_target():
    hits, _ = alb_timing.slow_target(_timing_facts(504, [7.5], [0]))
    assert [h.id for h in hits] == ["origin.response-timeout"]
    text = " ".join(hits[0].evidence)
    assert "TargetResponseTime" in text and "up to 7.5 s" in text and "origin response timeout (5 s)" in text


def test_fast_targets_or_another_status_are_no_slow_target():
    assert alb_timing.slow_target(_timing_facts(504, [0.2], [4])) == ([], [])
    assert alb_timing.slow_target(_timing_facts(502, [7.5], [0])) == ([], [])


def test_failed_target_connections_with_fast_answers_say_closed_path():
    facts = _timing_facts(504, [0.01], [3])
    (line,) = alb_timing.closed_path_lines(facts, _metrics([0.01], [3])["series"])
    assert "closed path" in line and "TargetConnectionErrorCount" in line
    assert alb_timing.closed_path_lines(facts, _metrics([9.0], [3])["series"]) == []

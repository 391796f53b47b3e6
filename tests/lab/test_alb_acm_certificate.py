"""The lab's ALB listener serves the certificate ACM holds for it: CloudFront (reaching the ALB by a
custom origin name) answers its own 502 when that certificate does not cover the name, and 200 once
the listener carries an ACM certificate that does — decided from the ACM and listener state, so
changing either changes the answer (never the scenario's expectations). The raw *.elb.amazonaws.com
name over HTTPS gets the same 502: no ACM certificate can cover it."""

from __future__ import annotations

import boto3
import httpx
import pytest

from wizard.lab.lab import Lab
from wizard.lab.scenario import load_scenario

pytestmark = pytest.mark.lab


def _clients(env):
    kw = dict(endpoint_url=env.aws_endpoint, region_name=env.region, **env.credentials)
    return boto3.client("acm", **kw), boto3.client("elbv2", **kw)


def test_the_listener_certificate_from_acm_decides_the_handshake(lab_aws):
    """www.example.com on the listener: 502 from CloudFront. A new ACM certificate for origin.example.com
    on the same listener: the app answers 200. Back to the old one: 502 again."""
    lab = Lab(load_scenario("alb-502-acm-cert-name-mismatch"), aws_server=lab_aws)
    env = lab.start()
    try:
        host = env.symptom.url.split("/")[2]
        get = lambda path: httpx.get(f"http://{env.edge_address}{path}", headers={"Host": host}, timeout=30)  # noqa: E731
        first = get("/company/1")
        assert first.status_code == 502 and first.headers.get("server") == "CloudFront"
        acm, elbv2 = _clients(env)
        listener = elbv2.describe_listeners(
            LoadBalancerArn=elbv2.describe_load_balancers()["LoadBalancers"][0]["LoadBalancerArn"])["Listeners"][0]
        old = listener["Certificates"][0]["CertificateArn"]
        new = acm.request_certificate(DomainName="*.example.com")["CertificateArn"]
        elbv2.modify_listener(ListenerArn=listener["ListenerArn"], Certificates=[{"CertificateArn": new}])
        assert get("/company/2").status_code == 200
        elbv2.modify_listener(ListenerArn=listener["ListenerArn"], Certificates=[{"CertificateArn": old}])
        assert get("/company/3").status_code == 502
    finally:
        lab.stop()


def test_the_listener_serves_the_extra_certificate_whose_names_match_the_sni(lab_aws):
    """The default certificate is for www.example.com and an extra listener certificate covers
    origin.example.com: ALB picks the extra one for CloudFront's SNI and the app answers 200. Removing
    the extra certificate from the listener (ACM unchanged) leaves only the default: 502. Adding an
    extra certificate for another name only: still 502."""
    lab = Lab(load_scenario("alb-healthy-acm-sni-cert-covers-origin-name"), aws_server=lab_aws)
    env = lab.start()
    try:
        host = env.symptom.url.split("/")[2]
        get = lambda path: httpx.get(f"http://{env.edge_address}{path}", headers={"Host": host}, timeout=30)  # noqa: E731
        assert get("/company/1").status_code == 200
        acm, elbv2 = _clients(env)
        listener = elbv2.describe_listeners(
            LoadBalancerArn=elbv2.describe_load_balancers()["LoadBalancers"][0]["LoadBalancerArn"])["Listeners"][0]
        listed = elbv2.describe_listener_certificates(ListenerArn=listener["ListenerArn"])["Certificates"]
        (extra,) = [c["CertificateArn"] for c in listed if not c.get("IsDefault")]
        elbv2.remove_listener_certificates(ListenerArn=listener["ListenerArn"], Certificates=[{"CertificateArn": extra}])
        failed = get("/company/2")
        assert failed.status_code == 502 and failed.headers.get("server") == "CloudFront"
        other = acm.request_certificate(DomainName="api.example.com")["CertificateArn"]
        elbv2.add_listener_certificates(ListenerArn=listener["ListenerArn"], Certificates=[{"CertificateArn": other}])
        assert get("/company/3").status_code == 502
        elbv2.add_listener_certificates(ListenerArn=listener["ListenerArn"], Certificates=[{"CertificateArn": extra}])
        assert get("/company/4").status_code == 200
    finally:
        lab.stop()


def test_a_raw_elb_name_over_https_gets_cloudfronts_502(lab_aws):
    """CloudFront reaches the ALB over HTTPS by its own *.elb.amazonaws.com name: no certificate the
    listener can carry covers that name, so CloudFront answers 502 — with the www.example.com
    certificate and with a *.example.com one alike. The same origin over plain HTTP (port 80 has a
    listener too) gets the app's 200: the path is open, only the handshake fails."""
    lab = Lab(load_scenario("alb-502-raw-elb-name-cert-mismatch"), aws_server=lab_aws)
    env = lab.start()
    try:
        host = env.symptom.url.split("/")[2]
        get = lambda path: httpx.get(f"http://{env.edge_address}{path}", headers={"Host": host}, timeout=30)  # noqa: E731
        first = get("/company/1")
        assert first.status_code == 502 and first.headers.get("server") == "CloudFront"
        acm, elbv2 = _clients(env)
        lb = elbv2.describe_load_balancers()["LoadBalancers"][0]
        listener = elbv2.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"][0]
        wildcard = acm.request_certificate(DomainName="*.example.com")["CertificateArn"]
        elbv2.modify_listener(ListenerArn=listener["ListenerArn"], Certificates=[{"CertificateArn": wildcard}])
        assert get("/company/2").status_code == 502
        elbv2.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80,
                              DefaultActions=listener["DefaultActions"])
        cf = boto3.client("cloudfront", endpoint_url=env.aws_endpoint, region_name=env.region, **env.credentials)
        dist_id = cf.list_distributions()["DistributionList"]["Items"][0]["Id"]
        current = cf.get_distribution_config(Id=dist_id)
        config = current["DistributionConfig"]
        config["Origins"]["Items"][0]["CustomOriginConfig"]["OriginProtocolPolicy"] = "http-only"
        cf.update_distribution(Id=dist_id, IfMatch=current["ETag"], DistributionConfig=config)
        assert get("/company/3").status_code == 200
    finally:
        lab.stop()

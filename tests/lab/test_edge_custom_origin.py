"""The lab's custom origins: real TLS servers on loopback with certificates made for the case, and the
simulator's CloudFront answering from its own handshake with them — 200 when it succeeds, its 502
page when the name, chain, port or DNS is wrong, 504 when the answer is later than the origin
response timeout — decided from state (the origin config and the server's certificate), so changing
the distribution changes the answer. The lab's network refuses unknown names (Proxy-Status)."""

from __future__ import annotations

import socket
from typing import Any, Dict, Optional

import boto3
import pytest

from wizard.lab.edge.server import EdgeServer
from wizard.lab.edge.tls_origin import LabOrigins
from wizard.lab.lab import Lab
from wizard.lab.scenario import ScenarioError
from tests.shared_lab import builtin_scenarios

DOMAIN = "origin.shop.example"
ALL_VIEWER = {"OriginRequestPolicyConfig": {"HeadersConfig": {"HeaderBehavior": "allViewer"}}}


class PolicyView:
    """The one read CloudFront's origin connection makes: the behavior's policies."""

    def __init__(self, origin_request: Optional[Dict[str, Any]] = None) -> None:
        self.origin_request = origin_request

    def policy(self, kind: str, policy_id: str):
        return self.origin_request if kind == "origin_request" else None


def served(spec: Dict[str, Any]):
    origins = LabOrigins({DOMAIN: spec})
    origins.start()
    return origins


def ask(origins: LabOrigins, domain: str = DOMAIN, policy: str = "https-only", https_port: int = 443,
        read_timeout: int = 5, view: Optional[PolicyView] = None, behavior: Optional[Dict[str, Any]] = None):
    raw = {"Id": "o", "DomainName": domain, "CustomOriginConfig": {
        "HTTPPort": 80, "HTTPSPort": https_port, "OriginProtocolPolicy": policy, "OriginReadTimeout": read_timeout}}
    return origins.cloudfront_answer(view or PolicyView(), behavior or {}, raw, "GET", "/api",
                                     {"host": "d111.cloudfront.net", "x-forwarded-proto": "https"}, "cf-id")


@pytest.fixture
def origin():
    started = []

    def start(**cert: Any) -> LabOrigins:
        spec = {"ports": {443: "https", 80: "http"}, "answer_after_s": cert.pop("answer_after_s", 0),
                "certificate": dict({"names": [DOMAIN], "issuer": "public"}, **cert)}
        started.append(served(spec))
        return started[-1]

    yield start
    for origins in started:
        origins.stop()


def test_a_valid_certificate_for_the_origin_domain_is_served_through(origin):
    status, headers, body, _ = ask(origin())
    assert status == 200 and b"origin.shop.example served /api" in body


@pytest.mark.parametrize("cert", [{"names": ["www.shop-legacy.example"]}, {"expired": True}, {"issuer": "private"}])
def test_a_handshake_cloudfront_would_refuse_is_its_own_502(origin, cert):
    status, headers, body, _ = ask(origin(**cert))
    assert status == 502 and ("Server", "CloudFront") in headers
    assert b"The request could not be satisfied" in body


def test_a_certificate_for_the_forwarded_host_is_accepted(origin):
    origins = origin(names=["d111.cloudfront.net"])
    assert ask(origins)[0] == 502  # Host not forwarded: only the origin domain counts
    forwarded = ask(origins, view=PolicyView(ALL_VIEWER), behavior={"OriginRequestPolicyId": "all-viewer"})
    assert forwarded[0] == 200


def test_tls_to_the_plain_http_port_is_a_502(origin):
    assert ask(origin(), https_port=80)[0] == 502


def test_an_unknown_name_is_the_dns_error_page(origin):
    status, _, body, _ = ask(origin(), domain="origin.shop.exmaple")
    assert status == 502 and b"resolve the origin domain name" in body


def test_an_answer_later_than_the_read_timeout_is_a_504(origin):
    assert ask(origin(answer_after_s=3), read_timeout=1)[0] == 504


def test_the_lab_network_refuses_unknown_names_and_tunnels_known_ones(origin):
    edge = EdgeServer(PolicyView(), {}, {}, origins=origin())
    host, port = edge.start().split(":")
    try:
        for target, expect in (("origin.shop.exmaple:443", b"error=dns_error"), (f"{DOMAIN}:8443", b"error=connection_refused"),
                               (f"{DOMAIN}:80", b"200 Connection established")):
            with socket.create_connection((host, int(port)), timeout=5) as sock:
                sock.sendall(f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n".encode())
                head = sock.recv(4096)
                assert expect in head, (target, head)
                if expect.startswith(b"200"):
                    sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                    assert sock.recv(4096).startswith(b"HTTP/1.1 200")
    finally:
        edge.stop()


def test_a_name_that_resolves_elsewhere_in_the_lab_is_not_a_dns_failure(origin):
    """A Route 53 record or load balancer name without a server here is not the lab's DNS failure:
    CloudFront's connection is left to the ALB simulator, and a tunnel to it is refused, not unknown."""
    origins = origin()
    origins.resolves = lambda host: host == "api.shop.example"
    assert not origins.handles("api.shop.example") and origins.handles("typo.shop.example")
    with pytest.raises(Exception) as refused:
        origins.address("api.shop.example", 443)
    assert refused.value.error == "connection_refused"


def test_bad_origin_specs_are_a_clear_scenario_error():
    with pytest.raises(ScenarioError, match="ports"):
        LabOrigins({DOMAIN: {"ports": {443: "gopher"}}})
    with pytest.raises(ScenarioError, match="issuer"):
        LabOrigins({DOMAIN: {"certificate": {"issuer": "someone"}}})


@pytest.mark.lab
def test_changing_the_distribution_changes_the_answer(lab_aws):
    """The 502 follows the origin config in moto, not a scenario switch: the healthy twin breaks when
    its HTTPS port is set to the plain-HTTP port."""
    import httpx

    scenario = next(s for s in builtin_scenarios() if s.name == "origin-healthy-custom-https")
    lab = Lab(scenario, aws_server=lab_aws)
    env = lab.start()
    try:
        host = env.symptom.url.split("/")[2]
        get = lambda path: httpx.get(f"http://{env.edge_address}{path}", headers={"Host": host}, timeout=10)  # noqa: E731
        assert get("/api/one").status_code == 200
        cf = boto3.client("cloudfront", endpoint_url=env.aws_endpoint, region_name="us-east-1", **env.credentials)
        dist_id = cf.list_distributions()["DistributionList"]["Items"][0]["Id"]
        current = cf.get_distribution_config(Id=dist_id)
        config = current["DistributionConfig"]
        config["Origins"]["Items"][0]["CustomOriginConfig"]["HTTPSPort"] = 80
        cf.update_distribution(Id=dist_id, IfMatch=current["ETag"], DistributionConfig=config)
        assert get("/api/two").status_code == 502
    finally:
        lab.stop()

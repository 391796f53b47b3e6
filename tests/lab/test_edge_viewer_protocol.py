"""The edge simulator answers a plain-HTTP viewer request as the behavior's ViewerProtocolPolicy
says (AWS CacheBehavior.ViewerProtocolPolicy): https-only 403, redirect-to-https 301 for GET/HEAD
and 403 for other methods, allow-all (and any HTTPS request) goes on to the origin."""

from __future__ import annotations

import pytest

from wizard.lab.edge.cloudfront import viewer_protocol


def answer(policy, scheme="http", method="GET"):
    return viewer_protocol(policy, scheme, method, "d1.cloudfront.net", "/downloads/a.pdf", "v=2", "cf-id")


def test_https_only_refuses_plain_http_with_cloudfronts_own_403():
    status, headers, _ = answer("https-only")
    assert status == 403 and ("Server", "CloudFront") in headers


def test_redirect_to_https_sends_get_to_the_https_url():
    status, headers, _ = answer("redirect-to-https")
    assert status == 301
    assert ("Location", "https://d1.cloudfront.net/downloads/a.pdf?v=2") in headers


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"])
def test_redirect_to_https_refuses_methods_it_does_not_redirect(method):
    assert answer("redirect-to-https", method=method)[0] == 403


@pytest.mark.parametrize("policy, scheme", [("allow-all", "http"), ("https-only", "https"),
                                            ("redirect-to-https", "https"), (None, "http")])
def test_otherwise_the_request_goes_on(policy, scheme):
    assert answer(policy, scheme) is None

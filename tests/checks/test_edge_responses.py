"""The checks on what CloudFront does to an answer: a custom error page that makes a missing script a
200 HTML page, an origin group that does not fail over, and response-headers CORS that does not
cover the page."""

from __future__ import annotations

from wizard.checks import edge_responses, s3_object

from .facts_builder import REST, answer, build, put

SPA_ERRORS = {"Quantity": 2, "Items": [
    {"ErrorCode": 403, "ResponsePagePath": "/index.html", "ResponseCode": "200", "ErrorCachingMinTTL": 300},
    {"ErrorCode": 404, "ResponsePagePath": "/index.html", "ResponseCode": "200", "ErrorCachingMinTTL": 300}]}
HTML_FALLBACK = answer(200, [["content-type", "text/html"], ["x-cache", "Error from cloudfront"]], "<!DOCTYPE html>")


def _missing(facts, key):
    put(facts, "aws.object", {"key": key, "exists": False, "listed": True})


def test_a_missing_script_served_as_index_html_is_named_with_mapping_origin_status_and_ttl():
    """A .js answered 200 text/html through a 403/404 -> /index.html mapping, with the key missing: the
    evidence shows the mapping, what S3 really says, and relates the 300 s error TTL to a stale cache."""
    facts = build("/assets/main-2222bb.js", HTML_FALLBACK, CustomErrorResponses=SPA_ERRORS)
    _missing(facts, "assets/main-2222bb.js")
    hits, unknowns = edge_responses.error_responses(facts)
    (hit,) = hits
    assert hit.id == "cf.custom-error-response-masks" and unknowns == []
    text = " ".join(hit.evidence)
    assert "403 -> 200 /index.html" in text and "404 -> 200 /index.html" in text
    assert "not in bucket site-bucket" in text and "S3 answers 403" in text
    assert "ErrorCachingMinTTL 300 s" in text and "cf.stale-cache" in text
    assert hit.params["kind"] == "JavaScript" and hit.params["error_ttl"] == "300"


def test_the_served_javascript_is_not_a_masked_error():
    """The same mapping, but the script comes back as JavaScript: the fallback did not fire."""
    ok = answer(200, [["content-type", "application/javascript"], ["x-cache", "Miss from cloudfront"]])
    facts = build("/assets/main-2222bb.js", ok, CustomErrorResponses=SPA_ERRORS)
    assert edge_responses.error_responses(facts) == ([], [])


def test_an_app_route_served_by_the_fallback_is_neither_masked_nor_a_missing_object():
    """/dashboard/settings is an SPA route: HTML is the right answer, and no key is expected there."""
    facts = build("/dashboard/settings", HTML_FALLBACK, CustomErrorResponses=SPA_ERRORS)
    _missing(facts, "dashboard/settings")
    assert edge_responses.error_responses(facts) == ([], [])
    assert s3_object.existence(facts) == ([], [])


def test_without_a_success_mapping_a_plain_error_is_left_to_the_other_checks():
    """An ErrorCachingMinTTL-only entry maps nothing: a 403 stays a 403 and is not 'masked'."""
    errors = {"Quantity": 1, "Items": [{"ErrorCode": 403, "ErrorCachingMinTTL": 300}]}
    facts = build("/app.js", answer(403, [["server", "AmazonS3"]]), CustomErrorResponses=errors)
    assert edge_responses.error_responses(facts) == ([], [])


SECOND = dict(REST, Id="s3-replica", DomainName="replica-bucket.s3.us-east-1.amazonaws.com")


def _group(codes):
    return {"Quantity": 1, "Items": [{"Id": "failover", "FailoverCriteria": {"StatusCodes": {
        "Quantity": len(codes), "Items": codes}}, "Members": {"Quantity": 2, "Items": [
            {"OriginId": "s3"}, {"OriginId": "s3-replica"}]}}]}


def test_a_403_outside_the_failover_codes_never_reaches_the_secondary():
    """The primary's 403 is not a failover code: the hit says CloudFront never asked the replica."""
    facts = build("/video.mp4", answer(403, [["server", "AmazonS3"]]), origins=(REST, SECOND),
                  behavior={"TargetOriginId": "failover"}, OriginGroups=_group([500, 502, 503, 504]))
    assert facts.origin.bucket == "site-bucket"  # the diagnosis reads the primary member
    (hit,) = edge_responses.origin_group(facts)[0]
    assert hit.id == "cf.origin-group-failover-criteria"
    assert "never asked s3-replica" in " ".join(hit.evidence)


def test_a_failover_code_that_still_fails_means_both_members_share_the_fault():
    """A 503 is a failover code, yet the viewer got 503: the secondary failed the same way."""
    facts = build("/video.mp4", answer(503, [["server", "CloudFront"]]), origins=(REST, SECOND),
                  behavior={"TargetOriginId": "failover"}, OriginGroups=_group([500, 502, 503, 504]))
    (hit,) = edge_responses.origin_group(facts)[0]
    assert "both members share the fault" in " ".join(hit.evidence)


def test_an_origin_group_that_answers_is_fine():
    facts = build("/video.mp4", answer(200, [["server", "AmazonS3"]]), origins=(REST, SECOND),
                  behavior={"TargetOriginId": "failover"}, OriginGroups=_group([500]))
    assert edge_responses.origin_group(facts) == ([], [])


PAGE = "https://shop.example.com"


def _cors_facts(allow, with_origin_headers, override=True):
    facts = build("/fonts/brand.woff2", answer(200, []), page_origin=PAGE,
                  behavior={"TargetOriginId": "s3", "ResponseHeadersPolicyId": "rhp-1"})
    put(facts, "aws.origin_policies", {"origin_request_policy": None, "cache_policy": None, "response_headers_policy": {
        "Id": "rhp-1", "ResponseHeadersPolicyConfig": {"Name": "fonts-cors", "CorsConfig": {
            "AccessControlAllowOrigins": {"Quantity": len(allow), "Items": allow},
            "AccessControlAllowMethods": {"Quantity": 2, "Items": ["GET", "HEAD"]},
            "AccessControlAllowCredentials": False, "OriginOverride": override}}}})
    put(facts, "http.viewer_with_origin", answer(200, with_origin_headers))
    return facts


def test_a_policy_that_does_not_list_the_page_origin_is_the_cors_fault():
    facts = _cors_facts(["https://www.example.com"], [])
    (hit,) = edge_responses.response_headers_cors(facts)[0]
    assert hit.id == "cf.cors.response-headers-conflict"
    assert "not the page's origin https://shop.example.com" in hit.params["reason"]


def test_two_access_control_allow_origin_values_are_a_conflict_even_when_the_policy_covers_the_page():
    """Browsers accept exactly one value: two headers (policy and origin) fail however right each is."""
    facts = _cors_facts([PAGE], [["access-control-allow-origin", PAGE], ["access-control-allow-origin", "*"]],
                        override=False)
    (hit,) = edge_responses.response_headers_cors(facts)[0]
    assert "2 times" in hit.params["reason"]


def test_a_policy_that_lists_the_page_and_one_header_back_is_fine():
    facts = _cors_facts(["https://www.example.com", PAGE], [["access-control-allow-origin", PAGE]])
    assert edge_responses.response_headers_cors(facts) == ([], [])



def test_a_success_marked_as_an_error_is_reproduced_as_a_masked_error():
    """200 with X-Cache "Error from cloudfront" is not "it works": the walk goes on to locate the fault."""
    from wizard.checks.predicates import reproduced

    assert reproduced(build("/assets/main.js", HTML_FALLBACK)) == "error-masked"
    assert reproduced(build("/assets/main.js", answer(200, [["x-cache", "Miss from cloudfront"]]))) == "ok"

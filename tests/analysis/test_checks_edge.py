"""The CloudFront checks name what the edge refuses: the WAF rule (or why it cannot), geo, the root object."""

from __future__ import annotations

from wizard.checks import cloudfront
from wizard.aws.facts import EdgeFacts as Facts
from wizard.engine.facts import Symptom
from wizard.model import ProbeOutcome

DIST_ID = "EDIST000000001"
ACL_ARN = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/site-acl/11111111-2222-3333-4444-555555555555"
REST = {"Id": "s3", "DomainName": "site-bucket.s3.us-east-1.amazonaws.com",
        "S3OriginConfig": {"OriginAccessIdentity": ""}, "OriginAccessControlId": "EOAC0000000001"}
WEBSITE = {"Id": "web", "DomainName": "site-bucket.s3-website.eu-west-1.amazonaws.com",
           "CustomOriginConfig": {"OriginProtocolPolicy": "http-only"}}


def facts(path: str = "/index.html", origin=REST, waf=None, status=200, server="AmazonS3", body="", **config) -> Facts:
    f = Facts(Symptom(url=f"https://d111111abcdef8.cloudfront.net{path}"))
    cfg = dict({"Origins": {"Quantity": 1, "Items": [origin]},
                "DefaultCacheBehavior": {"TargetOriginId": origin["Id"]}}, **config)
    f.outcomes["aws.distribution"] = ProbeOutcome("aws.distribution", "ok", data={
        "found": True, "id": DIST_ID, "arn": f"arn:aws:cloudfront::123456789012:distribution/{DIST_ID}",
        "domain": "d111111abcdef8.cloudfront.net", "aliases": [], "matched_by": "domain", "config": cfg})
    f.outcomes["http.viewer"] = ProbeOutcome("http.viewer", "ok", data={
        "status": status, "headers": [["Server", server]], "body": body})
    if waf is not None:
        f.outcomes["aws.waf"] = ProbeOutcome("aws.waf", "ok", data=waf)
    return f


WAF_PAGE = dict(status=403, server="CloudFront", body="<H1>403 ERROR</H1>Request blocked.")
ACL = {"Name": "site-acl", "DefaultAction": {"Allow": {}},
       "Rules": [{"Name": "block-bad-ips", "Priority": 1, "Action": {"Block": {}},
                  "VisibilityConfig": {"MetricName": "block-bad-ips", "SampledRequestsEnabled": False}},
                 {"Name": "count-sqli", "Priority": 2, "OverrideAction": {"Count": {}},
                  "VisibilityConfig": {"MetricName": "count-sqli", "SampledRequestsEnabled": False}}]}


def test_waf_names_the_rule_its_sampled_request_was_fetched_for():
    """A blocked sample for this URL, fetched with a rule's metric name, names that rule in title and fix."""
    sample = {"Action": "BLOCK", "RuleName": "block-bad-ips", "RuleMetricName": "block-bad-ips",
              "Timestamp": "2025-01-01T00:00:00+00:00",
              "Request": {"URI": "/index.html", "ClientIP": "198.51.100.7", "Country": "JP"}}
    f = facts(waf={"web_acl": ACL, "sampled": [sample], "sampled_error": None, "sampling_off": []},
              WebACLId=ACL_ARN, **WAF_PAGE)
    hits, unknowns = cloudfront.viewer(f)
    (hit,) = hits
    assert hit.id == "waf.blocked"
    assert hit.params["rule"] == "rule block-bad-ips" and hit.params["metric"] == "block-bad-ips"
    assert "198.51.100.7" in " ".join(hit.evidence)
    assert unknowns == []


def test_waf_says_when_sampling_is_off_and_lists_only_rules_that_can_block():
    """With sampling off, the hit lists the blocking rules (not a Count-overridden group) and an Unknown says why."""
    f = facts(waf={"web_acl": ACL, "sampled": [], "sampled_error": None, "sampling_off": ["block-bad-ips", "count-sqli"]},
              WebACLId=ACL_ARN, **WAF_PAGE)
    hits, unknowns = cloudfront.viewer(f)
    assert hits[0].params["rule"] == "one of its blocking rules: block-bad-ips"
    assert [u.layer for u in unknowns] == ["waf"]
    assert "SampledRequestsEnabled=false" in unknowns[0].reason


def test_geo_restriction_names_the_allowed_countries_not_a_guessed_viewer_country():
    """A whitelist of JP refuses viewers "outside JP": the edge never tells the diagnosis the viewer's country."""
    f = facts(status=403, server="CloudFront", body="configured to block access from your country",
              Restrictions={"GeoRestriction": {"RestrictionType": "whitelist", "Quantity": 1, "Items": ["JP"]}})
    (hit,), _ = cloudfront.viewer(f)
    assert hit.id == "cf.geo-blocked" and hit.params["country"] == "outside JP"


def test_a_default_root_object_with_a_leading_slash_is_named_with_the_key_it_produces():
    """DefaultRootObject '/index.html' on a request for / suggests 'index.html' and names the key S3 is asked for."""
    hits, _ = cloudfront.origin_settings(facts(path="/", DefaultRootObject="/index.html"))
    (hit,) = hits
    assert hit.id == "cf.default-root-object"
    assert hit.params["suggested"] == "index.html"
    assert "'/index.html'" in hit.evidence[1]


def test_no_default_root_object_on_a_rest_origin_is_a_finding_but_not_on_a_website_origin():
    """'/' with no default root object fails on a REST origin (a listing) and works on a website endpoint."""
    rest_hits, _ = cloudfront.origin_settings(facts(path="/"))
    website_hits, _ = cloudfront.origin_settings(facts(path="/", origin=WEBSITE))
    assert [h.params["root_state"] for h in rest_hits] == ["not set"]
    assert website_hits == []


def test_a_website_origin_with_oac_suggests_the_rest_endpoint_of_the_same_bucket():
    """OAC on a website endpoint is named, with the REST endpoint of that bucket and region as the way out."""
    hits, _ = cloudfront.origin_settings(facts(origin=dict(WEBSITE, OriginAccessControlId="EOAC0000000001")))
    (hit,) = hits
    assert hit.id == "cf.origin-website-with-oac"
    assert (hit.params["bucket"], hit.params["region"]) == ("site-bucket", "eu-west-1")


OUR_ANSWER = dict(WAF_PAGE)
BUSY_ACL = {"Name": "site-acl", "DefaultAction": {"Allow": {}},
            "PreProcessFirewallManagerRuleGroups": [
                {"Name": "FMManagedWebACLV2-baseline", "Priority": 0, "OverrideAction": {"None": {}},
                 "VisibilityConfig": {"MetricName": "fms-baseline", "SampledRequestsEnabled": True}}],
            "Rules": [{"Name": "block-bad-bots", "Priority": 1, "Action": {"Block": {}},
                       "VisibilityConfig": {"MetricName": "block-bad-bots", "SampledRequestsEnabled": True}},
                      {"Name": "block-office", "Priority": 2, "Action": {"Block": {}},
                       "VisibilityConfig": {"MetricName": "block-office", "SampledRequestsEnabled": True}}]}


def _busy_facts(samples):
    f = facts(waf={"web_acl": BUSY_ACL, "sampled": samples, "sampled_error": None, "sampling_off": [],
                   "window": {"StartTime": "2025-01-01T10:00:00+00:00", "EndTime": "2025-01-01T10:05:00+00:00"}},
              WebACLId=ACL_ARN, **WAF_PAGE)
    f.outcomes["http.viewer"].data["request_headers"] = {"User-Agent": "edgewiz/0.1 (edge troubleshooting probe)"}
    return f


def _blocked(rule, agent, when="2025-01-01T10:01:00+00:00"):
    return {"Action": "BLOCK", "RuleName": rule, "RuleMetricName": rule, "Timestamp": when,
            "Request": {"URI": "/index.html", "ClientIP": "192.0.2.77", "Country": "US",
                        "Headers": [{"Name": "User-Agent", "Value": agent}]}}


def test_waf_never_blames_the_rule_of_someone_elses_blocked_sample():
    """Blocked samples of the same URL from another client (another User-Agent) do not name the rule:
    the hit lists the rules that can block and an Unknown says the sample does not hold our request."""
    f = _busy_facts([_blocked("block-bad-bots", "BadBot/2.1")])
    (hit,), unknowns = cloudfront.viewer(f)
    assert "rule block-bad-bots" not in hit.params["rule"]
    assert hit.params["rule"].startswith("one of its blocking rules")
    assert [u.layer for u in unknowns] == ["waf"]
    assert "none is this tool's request" in unknowns[0].reason


def test_waf_names_the_rule_of_our_own_sample_among_others():
    """Our request (edgewiz's User-Agent) is found among the bots' samples and names its own rule."""
    agent = "edgewiz/0.1 (edge troubleshooting probe)"
    f = _busy_facts([_blocked("block-bad-bots", "BadBot/2.1", "2025-01-01T10:02:00+00:00"),
                     _blocked("block-office", agent)])
    (hit,), unknowns = cloudfront.viewer(f)
    assert hit.params["rule"] == "rule block-office" and unknowns == []


def test_firewall_manager_rule_groups_are_among_the_rules_that_can_block():
    f = _busy_facts([])
    (hit,), _ = cloudfront.viewer(f)
    assert hit.params["rule"].startswith("one of its blocking rules: FMManagedWebACLV2-baseline, block-bad-bots")

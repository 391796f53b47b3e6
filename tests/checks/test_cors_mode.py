"""CORS findings only where the browser uses CORS: an asset the page loads in no-cors mode (plain
<img>, <link rel=stylesheet>, classic <script>) never fails for CORS, a CORS-mode load does, and
without the page the finding says CORS matters only if the asset is requested that way."""

from __future__ import annotations

from wizard.analysis.edge.page_assets import asset_requests
from wizard.checks import cors

from .facts_builder import DOMAIN, answer, build, put

PAGE_URL = "https://app.example.com/"
ASSET = f"https://{DOMAIN}/assets/application-4d5e6f.js"


def _facts(page_html=None, complaint=None, path="/assets/application-4d5e6f.js"):
    facts = build(path, answer(200, [["content-type", "application/javascript"]]),
                  behavior={"TargetOriginId": "s3", "OriginRequestPolicyId": "orp"},
                  page_origin="https://app.example.com", page_url=PAGE_URL if page_html else None,
                  complaint=complaint)
    put(facts, "aws.origin_policies", {"cache_policy": None, "response_headers_policy": None, "origin_request_policy": {
        "OriginRequestPolicyConfig": {"Name": "CORS-S3Origin", "HeadersConfig": {
            "HeaderBehavior": "whitelist", "Headers": {"Quantity": 1, "Items": ["origin"]}}}}})
    put(facts, "aws.bucket_cors", {"rules": None})
    put(facts, "http.viewer_with_origin", answer(200, []))
    if page_html is not None:
        put(facts, "page.assets", {"page_url": PAGE_URL, "status": 200, "assets": [], "requests": [
            {"url": r.url, "mode": r.mode, "how": r.how} for r in asset_requests(page_html, PAGE_URL)]})
    return facts


def test_a_classic_script_without_crossorigin_raises_no_cors_finding():
    """The bucket has no CORS rules, but <script src> is a no-cors load: nothing to report."""
    facts = _facts(f'<script src="{ASSET}"></script><link rel="stylesheet" href="https://{DOMAIN}/a.css">')
    assert cors.cors(facts) == ([], [])


def test_plain_img_and_stylesheet_loads_raise_no_cors_finding():
    for html, path in ((f'<img src="https://{DOMAIN}/logo.png">', "/logo.png"),
                       (f'<link rel="stylesheet" href="https://{DOMAIN}/site.css">', "/site.css")):
        assert cors.cors(_facts(html, path=path)) == ([], []), html


def test_a_crossorigin_script_makes_missing_cors_the_root_cause():
    """The seed-000 page: <script crossorigin="anonymous"> is a CORS-mode load."""
    facts = _facts(f'<script src="{ASSET}" crossorigin="anonymous"></script>')
    (hit,) = cors.cors(facts)[0]
    assert hit.id == "s3.cors.missing"
    assert "<script crossorigin>" in hit.evidence[0]


def test_module_scripts_and_fonts_are_cors_mode():
    facts = _facts(f'<script type="module" src="{ASSET}"></script>')
    assert [h.id for h in cors.cors(facts)[0]] == ["s3.cors.missing"]
    font = _facts(None, path="/fonts/brand.woff2")  # no page: a font is CORS mode whatever loads it
    (hit,) = cors.cors(font)[0]
    assert "always fetch fonts in CORS mode" in hit.evidence[0]


def test_without_the_page_the_finding_says_cors_mode_is_not_known():
    (hit,) = cors.cors(_facts(None))[0]
    assert hit.id == "s3.cors.missing"
    assert "whether CORS matters is not known" in hit.evidence[0]
    assert "--page" in hit.evidence[0]


def test_the_browser_reporting_a_cors_error_is_evidence_of_cors_mode():
    (hit,) = cors.cors(_facts(None, complaint="cors"))[0]
    assert "reported a CORS error" in hit.evidence[0]

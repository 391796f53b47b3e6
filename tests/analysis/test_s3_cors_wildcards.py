"""S3 CORS origin and header matching treats only `*` as a wildcard (AWS "CORS configuration":
"each AllowedOrigin string can contain at most one * wildcard character"); `?` and `[..]` are
ordinary characters, as an IPv6 origin such as `http://[::1]:*` needs."""

from __future__ import annotations

import pytest

from wizard.analysis.s3.s3_cors import matching_rule

RULE = {"AllowedMethods": ["GET"], "AllowedHeaders": ["x-trace-?", "x-amz-*"]}


def _rule(*origins):
    return [dict(RULE, AllowedOrigins=list(origins))]


def test_an_ipv6_origin_with_a_port_wildcard_matches():
    """`http://[::1]:*` allows the page at http://[::1]:3000 (fnmatch read `[::1]` as a character class)."""
    assert matching_rule(_rule("http://[::1]:*"), "http://[::1]:3000") is not None


def test_brackets_are_not_a_character_class():
    """`http://[::1]:*` does not allow http://1:3000, which fnmatch's class `[::1]` would have matched."""
    assert matching_rule(_rule("http://[::1]:*"), "http://1:3000") is None


@pytest.mark.parametrize("origin, allowed", [
    ("https://app?-pr7.example.com", True),  # the literal text S3 compares
    ("https://app1-pr7.example.com", False),  # `?` is not "any one character" in S3 CORS
])
def test_a_question_mark_is_literal(origin, allowed):
    assert (matching_rule(_rule("https://app?-*.example.com"), origin) is not None) is allowed


def test_star_still_matches_any_run():
    assert matching_rule(_rule("https://*.example.com"), "https://a.b.example.com") is not None
    assert matching_rule(_rule("https://*.example.com"), "https://example.org") is None


def test_preflight_headers_treat_only_star_as_a_wildcard():
    """An AllowedHeaders entry `x-trace-?` allows only the header named that, not x-trace-1."""
    rules = _rule("*")
    assert matching_rule(rules, "https://a.example", "GET", ["X-Amz-Date"]) is not None
    assert matching_rule(rules, "https://a.example", "GET", ["x-trace-?"]) is not None
    assert matching_rule(rules, "https://a.example", "GET", ["x-trace-1"]) is None

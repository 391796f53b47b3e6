"""The one wildcard matcher of the diagnosis: the same `*`/`?` reading for policy values, CORS origins
and CloudFront path patterns, compiled once per pattern."""

from __future__ import annotations

from wizard.analysis import wildcards
from wizard.analysis.edge import cloudfront_config as cfc
from wizard.analysis.s3.s3_cors import matching_rule


def test_brackets_are_plain_text_everywhere():
    """Unlike fnmatch, `[a]` matches only the text `[a]`: in a path pattern and in a policy value."""
    config = {"CacheBehaviors": {"Items": [{"PathPattern": "/img[1]/*", "TargetOriginId": "x"}]},
              "DefaultCacheBehavior": {"TargetOriginId": "default"}}
    assert cfc.match_behavior(config, "/img[1]/a.png")["TargetOriginId"] == "x"
    assert cfc.match_behavior(config, "/img1/a.png")["TargetOriginId"] == "default"
    assert wildcards.matches("arn:aws:s3:::b/[x]*", "arn:aws:s3:::b/[x]/k")
    assert not wildcards.matches("arn:aws:s3:::b/[x]*", "arn:aws:s3:::b/x/k")


def test_question_mark_is_a_wildcard_except_in_cors():
    """`?` is one character in a path pattern; in an S3 CORS origin it is itself."""
    assert wildcards.matches("/a?c", "/abc")
    rules = [{"AllowedOrigins": ["https://a?c.example"], "AllowedMethods": ["GET"]}]
    assert matching_rule(rules, "https://abc.example") is None
    assert matching_rule(rules, "https://a?c.example") is not None


def test_a_pattern_is_compiled_once():
    """Evaluating the same pattern again reuses its compiled regex (a policy is read for many requests)."""
    chunks = (("arn:aws:s3:::bucket/*", False),)
    assert wildcards.glob_regex(chunks) is wildcards.glob_regex(chunks)

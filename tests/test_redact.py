"""Tests that secrets never reach a screen or a report: signed URL parameters, credential
headers, and secret values the wizard read along the way (the Referer secret)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from wizard.redact import MARK, Redactor, redact_headers, redact_url


def test_cloudfront_signed_url_keeps_expires_and_hides_the_rest():
    """Signature, Key-Pair-Id and Policy are redacted but shown present; Expires stays readable."""
    url = ("https://d111111abcdef8.cloudfront.net/private/report.pdf?Expires=1700000000"
           "&Signature=nitfHRCrtziwO2HwPfWw~yYDhUF5EwRunQA-j19DzZrvDh6hQ73lDx~&Key-Pair-Id=K2JCJMDLS82J")
    out = redact_url(url)
    assert out == ("https://d111111abcdef8.cloudfront.net/private/report.pdf?Expires=1700000000"
                   f"&Signature={MARK}&Key-Pair-Id={MARK}")


def test_custom_policy_signed_url():
    """A custom-policy signed URL hides its Policy too."""
    out = redact_url("https://d1.cloudfront.net/a?Policy=eyJTdGF0ZW1lbnQiOlt7&Signature=abc~def&Key-Pair-Id=K1")
    assert "eyJTdGF0ZW1lbnQiOlt7" not in out and "abc~def" not in out
    assert f"Policy={MARK}" in out


def test_s3_presigned_url_hides_credentials_keeps_timing():
    """X-Amz-Signature/Credential/Security-Token go; X-Amz-Date and X-Amz-Expires stay as evidence."""
    url = ("https://bucket.s3.eu-west-1.amazonaws.com/k.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
           "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20240312%2Feu-west-1%2Fs3%2Faws4_request"
           "&X-Amz-Date=20240312T091244Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host"
           "&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEJr&X-Amz-Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7")
    out = redact_url(url)
    for secret in ("AKIAIOSFODNN7EXAMPLE", "IQoJb3JpZ2luX2VjEJr", "5d672d79c15b"):
        assert secret not in out
    assert "X-Amz-Date=20240312T091244Z" in out and "X-Amz-Expires=900" in out
    assert f"X-Amz-Signature={MARK}" in out


def test_tokens_and_userinfo_passwords_are_hidden():
    """token/access_token/sig/code parameters and a password in the URL are hidden; others stay."""
    out = redact_url("https://user:hunter22@app.example.com/cb?code=4%2F0Ad&state=xyz&access_token=ya29.a0&page=2#id_token=eyJhbGc")
    assert "hunter22" not in out and "4%2F0Ad" not in out and "ya29.a0" not in out and "eyJhbGc" not in out
    assert "user:" in out and "state=xyz" in out and "page=2" in out


def test_url_without_secrets_is_unchanged():
    """An ordinary URL comes back byte for byte."""
    url = "https://www.example.com/assets/application-7d9e.js?v=3&lang=ja"
    assert redact_url(url) == url


def test_credential_headers_are_redacted_names_kept():
    """Authorization keeps its scheme, cookies keep their names, Set-Cookie keeps its attributes."""
    out = redact_headers([
        ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIA/20240312/us-east-1/s3/aws4_request, Signature=abc"),
        ("Cookie", "CloudFront-Policy=eyJ; CloudFront-Signature=sig; session=s3cr3t"),
        ("set-cookie", "AWSALB=stickyvalue; Expires=Tue, 19 Mar 2024 09:12:44 GMT; Path=/"),
        ("X-Amz-Security-Token", "IQoJb3JpZ2lu"),
        ("Content-Type", "text/html"),
    ])
    assert out[0] == ("Authorization", f"AWS4-HMAC-SHA256 {MARK}")
    assert out[1] == ("Cookie", f"CloudFront-Policy={MARK}; CloudFront-Signature={MARK}; session={MARK}")
    assert out[2] == ("set-cookie", f"AWSALB={MARK}; Expires=Tue, 19 Mar 2024 09:12:44 GMT; Path=/")
    assert out[3] == ("X-Amz-Security-Token", MARK)
    assert out[4] == ("Content-Type", "text/html")


def test_location_header_with_signed_url_is_redacted():
    """A redirect to a signed URL does not leak its signature through the Location header."""
    out = redact_headers({"Location": "https://d1.cloudfront.net/x?Signature=zzz&Expires=5"})
    assert out == {"Location": f"https://d1.cloudfront.net/x?Signature={MARK}&Expires=5"}


def test_registered_header_name_is_treated_as_secret():
    """A header registered as secret (e.g. an origin's custom X-Origin-Verify) is redacted."""
    redactor = Redactor(secret_headers=["X-Origin-Verify"])
    assert redactor.redact_headers([("x-origin-verify", "abcd1234")]) == [("x-origin-verify", MARK)]


def test_registered_secret_value_is_scrubbed_from_nested_json():
    """The Referer secret read from an origin header is gone from every corner of a report."""
    redactor = Redactor()
    assert redactor.add_secret("r3f3r3r-s3cr3t-2024")
    report = {
        "origin": {"CustomHeaders": {"Quantity": 1, "Items": [
            {"HeaderName": "Referer", "HeaderValue": "r3f3r3r-s3cr3t-2024"}]}},
        "policy": {"Statement": [{"Condition": {"StringLike": {"aws:Referer": ["r3f3r3r-s3cr3t-2024"]}}}]},
        "evidence": ["origin sends Referer r3f3r3r-s3cr3t-2024 but the policy expects something else"],
        "probe": {"url": "https://x.example/?r=r3f3r3r%2Ds3cr3t%2D2024", "count": 3, "ok": True},
    }
    out = redactor.redact_obj(report)
    assert "r3f3r3r" not in json.dumps(out)
    assert out["probe"]["count"] == 3 and out["probe"]["ok"] is True
    assert out["origin"]["CustomHeaders"]["Items"][0]["HeaderName"] == "Referer"
    assert report["evidence"][0].count("r3f3r3r-s3cr3t-2024") == 1  # the input is not modified


def test_serialized_header_pairs_in_json_are_redacted():
    """Header pairs stored as [name, value] lists (the probe journal shape) are redacted too."""
    out = Redactor().redact_obj({"headers": [["set-cookie", "session=abcdef; Path=/"], ["server", "AmazonS3"]]})
    assert out["headers"] == [["set-cookie", f"session={MARK}; Path=/"], ["server", "AmazonS3"]]


def test_short_secrets_are_not_registered():
    """A 3-character "secret" is refused so ordinary words are not shredded."""
    redactor = Redactor()
    assert not redactor.add_secret("abc")
    assert redactor.scrub("abc abcdef") == "abc abcdef"


def test_scrub_redacts_signed_urls_inside_text():
    """A log line containing a signed URL comes out with the signature hidden."""
    line = 'GET "https://d1.cloudfront.net/a.js?Expires=1&Signature=s1gn4tur3&Key-Pair-Id=K1" 403'
    out = Redactor().scrub(line)
    assert "s1gn4tur3" not in out and out.endswith('" 403')


@settings(max_examples=300, deadline=None)
@given(st.text() | st.builds(lambda q: "https://h.example/p?" + q, st.text()))
def test_redact_url_never_raises(url):
    """Any string, URL-like or not, comes back as a string."""
    assert isinstance(redact_url(url), str)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcdefghij0123456789-_~", min_size=4, max_size=30))
def test_signature_value_never_survives(secret):
    """Whatever the signature value, it does not appear in the redacted URL."""
    out = redact_url(f"https://d1.cloudfront.net/a?Expires=1700000000&Signature={secret}&Key-Pair-Id=K")
    assert f"Signature={secret}" not in out
    assert "Expires=1700000000" in out

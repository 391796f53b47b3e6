"""ALB access log parsing: AWS's documented example entries, new trailing fields, damaged lines."""

from __future__ import annotations

from wizard.analysis.logs.alb_logs import FIELDS, parse_alb, tokenize

# Example entries from "Access logs for your Application Load Balancer" (Examples), each joined onto
# one line (the guide wraps them only for reading).
AWS_HTTP = (
    'http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 '
    '192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 '
    '"GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - '
    'arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 '
    '"Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" '
    '0 2018-07-02T22:22:48.364000Z "forward" "-" "-" "10.0.0.1:80" "200" "-" "-" TID_1234abcd5678ef90'
)
AWS_HTTPS = (
    'https 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 '
    '192.168.131.39:2817 10.0.0.1:80 0.086 0.048 0.037 200 200 0 57 '
    '"GET https://www.example.com:443/ HTTP/1.1" "curl/7.46.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 '
    'arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 '
    '"Root=1-58337281-1d84f3d73c47ec4e58577259" "www.example.com" '
    '"arn:aws:acm:us-east-2:123456789012:certificate/12345678-1234-1234-1234-123456789012" '
    '1 2018-07-02T22:22:48.364000Z "authenticate,forward" "-" "-" "10.0.0.1:80" "200" "-" "-" TID_1234abcd5678ef90'
)
# The older example, where the target lists were not yet quoted and the entry stops after them.
AWS_HTTP_OLD = (
    'http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 '
    '192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 '
    '"GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - '
    'arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 '
    '"Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" '
    '0 2018-07-02T22:22:48.364000Z "forward" "-" "-" 10.0.0.1:80 200 "-" "-"'
)
AWS_LAMBDA_FAILED = (
    'http 2018-11-30T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 '
    '192.168.131.39:2817 - 0.000 0.001 0.000 502 - 34 366 '
    '"GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - '
    'arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 '
    '"Root=1-58337364-23a8c76965a2ef7629b185e3" "-" "-" '
    '0 2018-11-30T22:22:48.364000Z "forward" "-" "LambdaInvalidResponse" "-" "-" "-" "-"'
)
# Seed 003: the ALB cannot connect to its ECS task, waits 10 s and answers 504 itself.
NO_TARGET_504 = (
    'https 2025-08-28T05:49:25.120000Z app/web-alb/50dc6c495c0c9188 130.176.98.71:41234 10.0.12.34:80 '
    '-1 -1 -1 504 - 512 613 "GET https://www.example.com:443/company/30 HTTP/1.1" '
    '"Amazon CloudFront" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 '
    'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/web/73e2d6bc24d8a067 '
    '"Root=1-68afee05-1d84f3d73c47ec4e58577259" "www.example.com" "session-reused" 0 '
    '2025-08-28T05:49:15.110000Z "forward" "-" "-" "10.0.12.34:80" "-" "-" "-" TID_abc "-" "-" "-"'
)


def _one(line):
    parsed = parse_alb([line])
    records = list(parsed)
    assert parsed.stats.malformed == 0, parsed.stats.malformed_examples
    assert len(records) == 1
    return records[0]


def test_aws_http_example_fields():
    """AWS's HTTP example lands under the documented field names."""
    r = _one(AWS_HTTP)
    assert r["type"] == "http"
    assert r["time"] == "2018-07-02T22:23:00.186641Z"
    assert r["elb"] == "app/my-loadbalancer/50dc6c495c0c9188"
    assert r["client_ip"] == "192.168.131.39" and r["client_port"] == "2817"
    assert r["target:port"] == "10.0.0.1:80"
    assert r["elb_status_code"] == "200" and r["target_status_code"] == "200"
    assert r["request"] == "GET http://www.example.com:80/ HTTP/1.1"
    assert r["user_agent"] == "curl/7.46.0"
    assert r["ssl_cipher"] is None
    assert r["trace_id"] == "Root=1-58337262-36d228ad5d99923122bbe354"
    assert r["matched_rule_priority"] == "0"
    assert r["actions_executed"] == "forward"
    assert r["target:port_list"] == "10.0.0.1:80"
    assert r["conn_trace_id"] == "TID_1234abcd5678ef90"


def test_aws_https_example_fields():
    """AWS's HTTPS example keeps its TLS fields, SNI domain and certificate."""
    r = _one(AWS_HTTPS)
    assert r["ssl_cipher"] == "ECDHE-RSA-AES128-GCM-SHA256"
    assert r["ssl_protocol"] == "TLSv1.2"
    assert r["domain_name"] == "www.example.com"
    assert r["chosen_cert_arn"].startswith("arn:aws:acm:us-east-2:123456789012:certificate/")
    assert r["actions_executed"] == "authenticate,forward"
    assert r["request_processing_time"] == "0.086"


def test_request_line_is_split_into_method_url_and_protocol():
    """The quoted request gives its method, URL and protocol."""
    r = _one(AWS_HTTPS)
    assert (r["request_method"], r["request_url"], r["request_protocol"]) == (
        "GET", "https://www.example.com:443/", "HTTP/1.1")


def test_older_entry_with_unquoted_target_lists_parses():
    """The older documented form (target lists without quotes, fewer fields) still parses."""
    r = _one(AWS_HTTP_OLD)
    assert r["target:port_list"] == "10.0.0.1:80"
    assert r["target_status_code_list"] == "200"
    assert "conn_trace_id" not in r


def test_lambda_failure_keeps_error_reason():
    """A failed Lambda target: no target, no target status, error_reason LambdaInvalidResponse."""
    r = _one(AWS_LAMBDA_FAILED)
    assert r["target:port"] is None and r["target_ip"] is None
    assert r["elb_status_code"] == "502"
    assert r["target_status_code"] is None
    assert r["error_reason"] == "LambdaInvalidResponse"


def test_504_without_target_response():
    """The seed-003 entry: 504, target_status_code `-` (None), processing times -1, the target tried."""
    r = _one(NO_TARGET_504)
    assert r["elb_status_code"] == "504"
    assert r["target_status_code"] is None
    assert r["request_processing_time"] == "-1"
    assert r["target_ip"] == "10.0.12.34" and r["target_port"] == "80"
    assert r["request_transform_status"] is None


def test_unknown_trailing_fields_are_kept_by_position():
    """Fields AWS appends after the documented ones are kept as field_N and do not break parsing."""
    parsed = parse_alb([NO_TARGET_504 + ' "NewThing" 42'])
    (r,) = list(parsed)
    assert r[f"field_{len(FIELDS) + 1}"] == "NewThing"
    assert r[f"field_{len(FIELDS) + 2}"] == "42"
    assert r["elb_status_code"] == "504"
    assert any("field_N" in note for note in parsed.stats.notes)


def test_user_agent_with_spaces_stays_one_field():
    """A quoted user agent with spaces is one field; the fields after it stay aligned."""
    line = AWS_HTTP.replace('"curl/7.46.0"', '"Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"')
    r = _one(line)
    assert r["user_agent"] == "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"
    assert r["target_group_arn"].endswith("targetgroup/my-targets/73e2d6bc24d8a067")


def test_tokenize_keeps_an_escaped_quote_inside_a_value():
    """A backslash-escaped quote inside a quoted value does not end it."""
    assert tokenize('a "say \\"hi\\" now" b') == ["a", 'say "hi" now', "b"]


def test_unbalanced_quote_is_malformed():
    """A torn line with an unclosed quote is counted as malformed, not parsed wrong."""
    parsed = parse_alb([AWS_HTTP[:150], AWS_HTTP])
    assert len(list(parsed)) == 1
    assert parsed.stats.malformed == 1


def test_too_few_fields_is_malformed():
    """A line that stops before the request field is counted as malformed."""
    parsed = parse_alb(["http 2018-07-02T22:23:00.186641Z app/x 1.2.3.4:5 - 0 0 0 200"])
    assert list(parsed) == []
    assert parsed.stats.malformed == 1


def test_garbage_is_counted_and_blank_lines_ignored():
    """Random text is malformed; blank lines are neither records nor errors."""
    parsed = parse_alb(["", "   ", "not a log line at all", AWS_HTTP])
    assert len(list(parsed)) == 1
    assert parsed.stats.malformed == 1

"""AWS throttling and 5xx: a probe retries with backoff a bounded number of times, gives up within a
bounded time, says what happened, and the rest of the walk goes on. A loopback server answers every
AWS request with the error, and counts the tries."""

from __future__ import annotations

import time

import pytest

from wizard.aws.session import AwsAccess
from wizard.engine.facts import Facts, Symptom
from wizard.probes.runner import ProbeRunner

from .servers import Reply

# wizard/aws/session.py: adaptive mode, max_attempts 4 retries = 5 tries. botocore's backoff before
# retry n is rand * min(scale * 2**(n-1), 20) s, scale 1 s for throttling and 50 ms for 5xx
# (botocore/retries/standard.py), so at most 1+2+4+8 = 15 s; the adaptive rate limiter then waits at
# most 2 s a try for a token (its rate never drops below 0.5/s, botocore/retries/bucket.py).
# The throttling test shortens botocore's waits (the suite slept 8-14 s there): a backoff base of
# THROTTLING_SCALE_S instead of 1 s, and a rate floor of THROTTLING_MIN_RATE tokens/s instead of 0.5.
# The tries, their spacing and the message are botocore's and ours as in production; only the
# length of the waits is test configuration.
TRIES = 5
THROTTLING_SCALE_S = 0.25  # backoff at most 0.25 * (1+2+4+8) = 3.75 s, about 1.9 s on average
THROTTLING_MIN_RATE = 4.0  # a token wait of at most 0.25 s a try (and at least that once throttled)
BOUND_S = 15 + 4 * 2 + 10.0  # backoff + token waits + slack for a loaded machine (unscaled: a bound for both)

THROTTLED = Reply(400, [("Content-Type", "text/xml")], (
    b'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>'
    b'<Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>1</RequestId></ErrorResponse>'),
    "Bad Request")
UNAVAILABLE = Reply(503, [("Content-Type", "text/xml")], (
    b'<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code>'
    b'<Message>Service is unavailable</Message></Error><RequestId>1</RequestId></ErrorResponse>'),
    "Service Unavailable")
BARE_500 = Reply(500, [("Content-Type", "text/html")], b"<html><body>Internal Server Error</body></html>",
                 "Internal Server Error")


def _run(server, names):
    access = AwsAccess(region="us-east-1", endpoint_url=server.url,
                       credentials={"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"})
    runner = ProbeRunner(access, None)
    start = time.monotonic()
    try:
        outcomes = runner.run(Facts(Symptom("https://d111111abcdef8.cloudfront.net/a.js")), names)
    finally:
        runner.close()
    return outcomes, time.monotonic() - start


@pytest.fixture
def short_throttling_backoff(monkeypatch):
    """botocore's throttling backoff with a base of THROTTLING_SCALE_S (a class-level table botocore
    reads on every retry) and the adaptive limiter's token bucket with a floor of THROTTLING_MIN_RATE
    (the default of TokenBucket's min_rate, read when a client is made); both restored afterwards."""
    from botocore.retries.bucket import TokenBucket
    from botocore.retries.standard import ExponentialBackoff

    monkeypatch.setitem(ExponentialBackoff._DEFAULT_BACKOFF_CONFIG, "throttling_base_scale", THROTTLING_SCALE_S)
    monkeypatch.setattr(TokenBucket.__init__, "__defaults__", (THROTTLING_MIN_RATE,))


def test_a_throttled_probe_gives_up_in_bounded_time_and_says_throttled(scripted, short_throttling_backoff):
    """Throttling on every try: the identity probe tries 5 times, stops within the bound, and says "throttled"."""
    server = scripted(lambda _seen: THROTTLED)
    (outcome,), elapsed = _run(server, ["aws.identity"])
    assert outcome.status == "error"
    assert "sts:GetCallerIdentity was throttled (Throttling) on all 5 tries" in outcome.error
    assert "try again in a minute" in outcome.error
    assert len(server.requests) == TRIES
    assert elapsed < BOUND_S
    # the retries are spaced out (backoff and the throttled rate limiter), not fired back to back
    assert elapsed > 0.2


@pytest.mark.parametrize("reply", [UNAVAILABLE, BARE_500], ids=["503-ServiceUnavailable", "500-html"])
def test_a_server_error_on_every_try_is_reported_as_such(scripted, reply):
    """A 5xx on every try: the probe stops after 5 tries and says AWS answered a server error."""
    server = scripted(lambda _seen: reply)
    (outcome,), elapsed = _run(server, ["aws.identity"])
    assert outcome.status == "error"
    assert f"HTTP {reply.status}) on all 5 tries" in outcome.error
    assert len(server.requests) == TRIES
    assert elapsed < BOUND_S


def test_the_walk_goes_on_after_a_transient_5xx(scripted):
    """A 503 that clears on the next try is retried transparently: the probe is ok, after 2 requests."""
    answers = iter([UNAVAILABLE])
    server = scripted(lambda _seen: next(answers, Reply(200, [("Content-Type", "text/xml")], (
        b"<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/x</Arn>"
        b"<UserId>X</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>"))))
    (outcome,), _ = _run(server, ["aws.identity"])
    assert outcome.status == "ok" and outcome.data["account"] == "123456789012"
    assert len(server.requests) == 2

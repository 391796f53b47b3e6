"""Tests that every way a network can fail comes back as a named failure with advice, in bounded
time, against real servers on 127.0.0.1."""

from __future__ import annotations

import time

import pytest

from wizard.http.client import HttpProber

TIMEOUT = 1.0
BOUND = TIMEOUT + 2.0  # generous: a 2-core CI machine under load


@pytest.fixture
def prober():
    p = HttpProber(timeout=TIMEOUT)
    yield p
    p.close()


def timed(prober, *args, **kwargs):
    start = time.monotonic()
    answer = prober.request(*args, **kwargs)
    return answer, time.monotonic() - start


def test_unknown_name_is_a_dns_failure(prober):
    """A name under .invalid never resolves: error_kind dns, and the sentence names the host."""
    answer, took = timed(prober, "GET", "https://assets.edgewiz-test.invalid/app.js")
    assert answer.status is None
    assert answer.error_kind == "dns"
    assert "assets.edgewiz-test.invalid" in answer.error
    assert took < BOUND


def test_closed_port_is_refused(prober, closed_port):
    """Nothing listening: refused, with host:port in the sentence."""
    answer, took = timed(prober, "GET", f"http://127.0.0.1:{closed_port}/")
    assert answer.error_kind == "refused"
    assert f"127.0.0.1:{closed_port}" in answer.error
    assert took < BOUND


def test_dropped_syn_is_a_connect_timeout(prober, full_backlog):
    """A listener that drops the SYN (like a security group would) is a connect timeout."""
    host, port = full_backlog
    answer, took = timed(prober, "GET", f"http://{host}:{port}/")
    assert answer.error_kind == "connect-timeout"
    assert "security group" in answer.error
    assert took < BOUND


def test_server_that_never_answers_is_cut_at_the_timeout(prober, serve, handlers):
    """Accepts, reads the request, says nothing: read-timeout after about `timeout` seconds."""
    server = serve(handlers.silent)
    answer, took = timed(prober, "GET", server.url("/"))
    assert answer.status is None
    assert answer.error_kind == "read-timeout"
    assert TIMEOUT - 0.2 <= took < BOUND


def test_trickled_headers_are_cut_at_the_overall_timeout(prober, serve, handlers):
    """One header byte every 0.2 s never trips a per-read timeout; the overall bound still ends it."""
    server = serve(handlers.trickle_head)
    answer, took = timed(prober, "GET", server.url("/"))
    assert answer.error_kind == "read-timeout"
    assert took < BOUND


def test_trickled_body_keeps_status_and_is_cut(prober, serve, handlers):
    """Headers arrive, the body trickles: the 200 and the bytes so far stay, marked read-timeout."""
    server = serve(handlers.trickle_body)
    answer, took = timed(prober, "GET", server.url("/"))
    assert answer.status == 200
    assert answer.error_kind == "read-timeout"
    assert answer.body.startswith(b"b")
    assert took < BOUND


def test_reset_mid_body_is_reported_as_reset(prober, serve, handlers):
    """A TCP RST after 10 kB of a promised 1 MB: reset, with the status and partial body kept."""
    server = serve(handlers.reset_mid_body)
    answer, took = timed(prober, "GET", server.url("/application.js"))
    assert answer.error_kind == "reset"
    assert answer.status == 200
    assert "closed the connection" in answer.error
    assert took < BOUND


def test_close_without_answer_is_reported_as_reset(prober, serve, handlers):
    """The server hangs up without a byte of answer: reset, no status."""
    server = serve(handlers.close_without_answer)
    answer, took = timed(prober, "GET", server.url("/"))
    assert answer.status is None
    assert answer.error_kind == "reset"
    assert took < BOUND


def test_redirect_loop_is_named(prober, serve, handlers):
    """/a -> /b -> /a is a redirect loop, found without waiting for the redirect limit."""
    server = serve(handlers.redirect_loop)
    answer, took = timed(prober, "GET", server.url("/a"), follow_redirects=True)
    assert answer.error_kind == "redirect-loop"
    assert answer.redirects == [server.url("/b")]
    assert "loop" in answer.error
    assert took < BOUND


def test_endless_redirects_stop_at_the_limit(serve, handlers):
    """Always a new URL: too-many-redirects after max_redirects hops."""
    server = serve(handlers.redirect_forever)
    with HttpProber(timeout=TIMEOUT, max_redirects=3) as prober:
        answer = prober.request("GET", server.url("/n/0"), follow_redirects=True)
    assert answer.error_kind == "too-many-redirects"
    assert len(answer.redirects) == 3


def test_redirect_is_not_followed_unless_asked(prober, serve, handlers):
    """Without follow_redirects the 302 itself is the answer, with its Location."""
    server = serve(handlers.redirect_loop)
    answer = prober.request("GET", server.url("/a"))
    assert answer.status == 302
    assert answer.header("location") == "/b"
    assert answer.error_kind is None


def test_hundred_megabyte_body_is_cut_early_and_quickly(serve, handlers):
    """A 100 MB body: we keep max_body bytes, say it was truncated, and hang up long before the end."""
    server = serve(handlers.endless_body)
    with HttpProber(timeout=5.0, max_body=256 * 1024) as prober:
        start = time.monotonic()
        answer = prober.request("GET", server.url("/big.bin"))
        took = time.monotonic() - start
    assert answer.status == 200
    assert len(answer.body) == 256 * 1024
    assert answer.body_truncated
    assert answer.error_kind is None
    assert took < 3.0
    time.sleep(0.3)
    assert server.bytes_sent < 50 * 1024 * 1024


def test_tls_name_mismatch(serve, handlers, tls):
    """A certificate for another name: tls-name, with advice about the certificate's names."""
    server = serve(handlers.hello, tls.wrong_name)
    with HttpProber(timeout=TIMEOUT, verify=tls.client_context()) as prober:
        answer, took = timed(prober, "GET", server.url("/", host="localhost"))
    assert answer.error_kind == "tls-name"
    assert "not valid for that name" in answer.error
    assert took < BOUND


def test_tls_expired_certificate(serve, handlers, tls):
    """A certificate past its end date: tls-expired."""
    server = serve(handlers.hello, tls.expired)
    with HttpProber(timeout=TIMEOUT, verify=tls.client_context()) as prober:
        answer, took = timed(prober, "GET", server.url("/", host="localhost"))
    assert answer.error_kind == "tls-expired"
    assert "expired" in answer.error
    assert took < BOUND


def test_tls_untrusted_issuer(serve, handlers, tls):
    """A certificate from a CA we do not trust is a plain tls failure naming the trust problem."""
    server = serve(handlers.hello, tls.good)
    with HttpProber(timeout=TIMEOUT) as prober:  # system CAs only
        answer = prober.request("GET", server.url("/", host="localhost"))
    assert answer.error_kind == "tls"
    assert "trusted" in answer.error


def test_tls_good_certificate_answers(serve, handlers, tls):
    """The control: the same server with a valid certificate answers 200."""
    server = serve(handlers.hello, tls.good)
    with HttpProber(timeout=TIMEOUT, verify=tls.client_context()) as prober:
        answer = prober.request("GET", server.url("/", host="localhost"))
    assert answer.status == 200
    assert answer.body == b"hello"


def test_tls_server_that_never_handshakes_is_cut(serve, handlers):
    """An https URL on a server that accepts TCP and sends nothing: read-timeout within the bound."""
    server = serve(handlers.silent)
    with HttpProber(timeout=TIMEOUT) as prober:
        answer, took = timed(prober, "GET", server.url("/", scheme="https"))
    assert answer.error_kind == "read-timeout"
    assert took < BOUND


def test_bad_url_is_reported_not_raised(prober):
    """A URL without a scheme is a bad-url failure, not an exception."""
    answer = prober.request("GET", "d123.cloudfront.net/app.js")
    assert answer.error_kind == "bad-url"
    assert "http://" in answer.error

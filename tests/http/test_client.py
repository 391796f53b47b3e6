"""Tests the HTTP client's everyday behaviour: --connect-to routing with the original Host,
body decoding within limits, no cookie carry-over, and safe use from several threads."""

from __future__ import annotations

import json
import threading
import time

from wizard.http.client import HttpAnswer, HttpProber


def test_connect_to_keeps_the_original_host(serve, handlers):
    """A mapped CloudFront name is sent to the local address with Host: the CloudFront name."""
    server = serve(handlers.echo)
    with HttpProber(connect_to={"d123.cloudfront.net": f"127.0.0.1:{server.port}"}, timeout=3) as prober:
        answer = prober.request("GET", "https://d123.cloudfront.net/assets/application-abc.js?v=1",
                                headers={"Origin": "https://www.example.com"})
    assert answer.status == 200
    seen = json.loads(answer.body)
    assert seen["line"] == "GET /assets/application-abc.js?v=1 HTTP/1.1"
    assert seen["headers"]["host"] == "d123.cloudfront.net"
    assert seen["headers"]["origin"] == "https://www.example.com"
    assert seen["headers"]["x-forwarded-proto"] == "https"
    assert answer.url == "https://d123.cloudfront.net/assets/application-abc.js?v=1"


def test_connect_to_wildcard_routes_every_host(serve, handlers):
    """`*` sends any host to the mapped address, each with its own Host header."""
    server = serve(handlers.echo)
    with HttpProber(connect_to={"*": f"127.0.0.1:{server.port}"}, timeout=3) as prober:
        hosts = [json.loads(prober.request("GET", f"http://{h}/").body)["headers"]["host"]
                 for h in ("www.example.com", "static.example.com")]
    assert hosts == ["www.example.com", "static.example.com"]


def test_connect_to_suffix_pattern(serve, handlers):
    """`*.cloudfront.net` routes any CloudFront domain name."""
    server = serve(handlers.echo)
    with HttpProber(connect_to={"*.cloudfront.net": f"127.0.0.1:{server.port}"}, timeout=3) as prober:
        answer = prober.request("GET", "https://d999.cloudfront.net/x")
    assert json.loads(answer.body)["headers"]["host"] == "d999.cloudfront.net"


def test_unmapped_host_is_not_routed(serve, handlers):
    """Only mapped hosts go to the lab: another name still resolves (and here fails) by DNS."""
    server = serve(handlers.echo)
    with HttpProber(connect_to={"d123.cloudfront.net": f"127.0.0.1:{server.port}"}, timeout=3) as prober:
        answer = prober.request("GET", "http://not-mapped.edgewiz-test.invalid/")
    assert answer.error_kind == "dns"
    assert server.requests == []


def test_request_headers_record_what_was_sent(serve, handlers):
    """request_headers shows the headers on the wire, ours and the caller's."""
    server = serve(handlers.echo)
    with HttpProber(timeout=3, user_agent="edgewiz-test") as prober:
        answer = prober.request("GET", server.url("/"), headers={"Origin": "https://app.example.com"})
    sent = {k.lower(): v for k, v in answer.request_headers.items()}
    assert sent["origin"] == "https://app.example.com"
    assert sent["user-agent"] == "edgewiz-test"


def test_cookies_are_not_carried_between_probes(serve, handlers):
    """An AWSALB Set-Cookie from one answer is not sent with the next request."""
    server = serve(handlers.echo)
    with HttpProber(timeout=3) as prober:
        first = prober.request("GET", server.url("/one"))
        second = prober.request("GET", server.url("/two"))
    assert first.header("set-cookie").startswith("AWSALB=")
    assert "cookie" not in json.loads(second.body)["headers"]


def test_gzip_body_is_decoded(serve, handlers):
    """A gzip-encoded page arrives decoded, and text() honours its charset."""
    server = serve(handlers.gzip_page)
    with HttpProber(timeout=3) as prober:
        answer = prober.request("GET", server.url("/"))
    assert answer.text() == "<p>héllo</p>"
    assert not answer.body_truncated


def test_gzip_bomb_is_cut_at_max_body(serve, handlers):
    """100 MB of zeros in 100 kB of gzip: decoding stops at max_body, quickly."""
    server = serve(handlers.gzip_bomb)
    with HttpProber(timeout=5, max_body=64 * 1024) as prober:
        start = time.monotonic()
        answer = prober.request("GET", server.url("/"))
        took = time.monotonic() - start
    assert len(answer.body) == 64 * 1024
    assert answer.body_truncated
    assert took < 3.0


def test_prober_is_safe_from_several_threads(serve, handlers):
    """Eight threads share one prober; each gets its own answer back."""
    server = serve(handlers.echo)
    results = {}
    with HttpProber(timeout=5) as prober:
        def probe(n: int) -> None:
            answer = prober.request("GET", server.url(f"/thread/{n}"))
            results[n] = json.loads(answer.body)["line"] if answer.status == 200 else answer.error

        threads = [threading.Thread(target=probe, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
    assert results == {n: f"GET /thread/{n} HTTP/1.1" for n in range(8)}


def test_redirect_drops_credentials_on_another_host(serve, handlers):
    """A redirect to another host does not carry the caller's Authorization header."""
    target = serve(handlers.echo)

    def bounce(conn, stop, srv):
        conn.recv(4096)
        location = "http://assets.example.com/landed"
        conn.sendall(f"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n".encode())

    source = serve(bounce)
    # Routed with --connect-to: a redirect to loopback under another name is otherwise refused.
    with HttpProber(timeout=3, connect_to={"assets.example.com": f"127.0.0.1:{target.port}"}) as prober:
        answer = prober.request("GET", source.url("/start"), headers={"Authorization": "Bearer abcdef"},
                                follow_redirects=True)
    assert answer.status == 200
    assert answer.redirects == ["http://assets.example.com/landed"]
    assert "authorization" not in json.loads(answer.body)["headers"]


def test_header_helpers_are_case_insensitive():
    """header() gives the first value, header_all() every value, whatever the case asked."""
    answer = HttpAnswer(url="https://x/", method="GET", status=200,
                        headers=[("set-cookie", "a=1"), ("x-cache", "Miss from cloudfront"), ("set-cookie", "b=2")])
    assert answer.header("X-Cache") == "Miss from cloudfront"
    assert answer.header_all("Set-Cookie") == ["a=1", "b=2"]
    assert answer.header("age") is None


def test_text_falls_back_to_utf8_for_unknown_charset():
    """A bogus charset in Content-Type does not break text()."""
    answer = HttpAnswer(url="https://x/", method="GET", status=200, headers=[("content-type", "text/html; charset=nope")],
                        body="é".encode("utf-8"))
    assert answer.text() == "é"

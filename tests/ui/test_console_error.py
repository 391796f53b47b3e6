"""Pasting a browser console error fills the intake: the failing URL, the status, the page origin
and the CORS wording, read out of what Chrome, Firefox and Safari really print."""

from __future__ import annotations

from wizard.tui.console_error import parse_console_error

CHROME_STACK = (
    "Access to script at 'https://d111.cloudfront.net/assets/application-4d5e6f.js' from origin "
    "'https://app.example.com' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is "
    "present on the requested resource.\n"
    "GET https://d111.cloudfront.net/assets/application-4d5e6f.js net::ERR_FAILED 403 (Forbidden)"
)


def test_chrome_cors_error_with_a_403_reads_as_403():
    """Chrome's CORS line plus its 403 line give the URL, the page origin, status 403, and 'saw 403' (seed 000)."""
    got = parse_console_error(CHROME_STACK)
    assert got.url == "https://d111.cloudfront.net/assets/application-4d5e6f.js"
    assert got.page_origin == "https://app.example.com"
    assert got.status == 403 and got.cors
    assert got.saw == "403"


def test_firefox_cors_message_drops_the_sentence_period_from_the_url():
    """Firefox's 'resource at URL. (Reason: ...)' gives the URL without the period, the reason and the status."""
    got = parse_console_error(
        "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at "
        "https://d111.cloudfront.net/assets/app.js. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). "
        "Status code: 403.")
    assert got.url == "https://d111.cloudfront.net/assets/app.js"
    assert got.cors_reason == "no Access-Control-Allow-Origin header in the response"
    assert got.status == 403


def test_gateway_timeout_reads_as_504():
    """A Chrome network line with 504 (Gateway Timeout) is a 504, not CORS."""
    got = parse_console_error("GET https://www.example.com/company/30 504 (Gateway Timeout)")
    assert (got.url, got.status, got.cors, got.saw) == ("https://www.example.com/company/30", 504, False, "504")


def test_firefox_network_line_status_is_read():
    """Firefox's '[HTTP/2 504 Gateway Timeout 10012ms]' network line gives the status."""
    assert parse_console_error("GET https://www.example.com/x.js [HTTP/2 504 Gateway Timeout 10012ms]").status == 504


def test_cors_without_an_error_status_reads_as_cors():
    """A pure CORS failure (status 200, the header names another origin) is 'saw cors'."""
    got = parse_console_error(
        "Access to fetch at 'https://api.example.com/v1' from origin 'https://app.example.com' has been blocked by "
        "CORS policy: The 'Access-Control-Allow-Origin' header has a value 'https://other.example.com' that is "
        "not equal to the supplied origin.")
    assert got.url == "https://api.example.com/v1"  # not the other origin the header names
    assert got.cors_reason == "Access-Control-Allow-Origin names a different origin"
    assert got.saw == "cors"


def test_safari_names_the_page_origin():
    """Safari's 'Origin X is not allowed by Access-Control-Allow-Origin' gives the page origin."""
    got = parse_console_error("Origin https://app.example.com is not allowed by Access-Control-Allow-Origin. "
                              "Status code: 200")
    assert got.page_origin == "https://app.example.com" and got.url is None and got.cors


def test_text_without_an_error_reads_as_nothing():
    """Pasting something else reads nothing, so the intake keeps what the person typed."""
    got = parse_console_error("hello world")
    assert not got.found_anything and got.saw == ""


def test_control_sequences_in_the_paste_do_not_reach_the_url():
    """Escape sequences pasted with the text are stripped before the URL is read."""
    got = parse_console_error("GET \x1b[31mhttps://d1.cloudfront.net/a.js\x1b[0m 403 (Forbidden)")
    assert got.url == "https://d1.cloudfront.net/a.js" and got.status == 403

"""The manual route: the command a person runs by hand when a probe could not look for them."""

from __future__ import annotations

from wizard.aws.facts import EdgeFacts as Facts
from wizard.engine.facts import Symptom
from wizard.probes.manual import fill, manual_route


def facts(url: str = "https://d111.cloudfront.net/assets/app.js", origin: str = "https://app.example.com") -> Facts:
    return Facts(Symptom(url=url, page_origin=origin))


def test_the_origin_request_command_names_this_walks_url_and_origin():
    """The manual curl for the Origin probe carries the walk's page origin and URL."""
    assert manual_route("http.viewer_with_origin", facts()) == (
        "curl -sI -H 'Origin: https://app.example.com' 'https://d111.cloudfront.net/assets/app.js'")


def test_an_unknown_bucket_is_left_as_a_placeholder():
    """Before the distribution is read the bucket is unknown, and the command says <bucket>."""
    assert manual_route("aws.bucket_policy", facts()) == "aws s3api get-bucket-policy --bucket <bucket>"


def test_the_distribution_search_is_by_the_urls_host():
    """The manual distribution lookup filters on the URL's host."""
    route = manual_route("aws.distribution", facts())
    assert route.startswith("aws cloudfront list-distributions")
    assert route.count("'d111.cloudfront.net'") == 2


def test_a_quote_in_the_url_cannot_end_the_shell_quoting():
    """A URL with a single quote stays one shell word in the command."""
    route = manual_route("http.viewer", facts(url="https://d111.cloudfront.net/a'; rm -rf ~;'.js"))
    assert route == "curl -sI 'https://d111.cloudfront.net/a'\\''; rm -rf ~;'\\''.js'"


def test_control_sequences_in_a_value_are_stripped():
    """An escape sequence in a value (from a hostile URL) does not reach the printed command."""
    assert "\x1b" not in fill("curl '{url}'", {"url": "https://x/\x1b]52;c;aGk=\x07a.js"})


def test_other_braces_in_a_template_stay_as_written():
    """Braces that are not one of the known names (a JSON snippet) are left alone."""
    assert fill('echo {"a": 1} {host}', {"host": "h"}) == 'echo {"a": 1} h'


def test_a_probe_without_a_manual_route_gives_nothing():
    """An unknown probe name yields no command rather than an error."""
    assert manual_route("no.such.probe", facts()) == ""

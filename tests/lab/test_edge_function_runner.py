"""The edge simulator runs a CloudFront Function's code in V8 with CloudFront's event shape, and a
function that throws, loops or allocates without end fails as CloudFront's does (503
FunctionExecutionError) instead of hanging the lab; the lab serves Lambda state but never invokes."""

from __future__ import annotations

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from wizard.lab.edge.functions import FunctionFailed, run_function, viewer_request_event

DIST = {"Id": "EDIST000000001", "DomainName": "d111111abcdef8.cloudfront.net"}


def event(uri="/docs/", query="", headers=None):
    return viewer_request_event(DIST, "GET", uri, query, headers or {"host": "example.com"}, "198.51.100.7", "rid")


def test_the_event_has_cloudfronts_shape():
    got = event("/a", "v=2&x=1", {"host": "example.com", "cookie": "session=abc; theme=dark"})
    assert got["version"] == "1.0" and got["context"]["eventType"] == "viewer-request"
    assert got["viewer"] == {"ip": "198.51.100.7"}
    assert got["request"]["querystring"] == {"v": {"value": "2"}, "x": {"value": "1"}}
    assert got["request"]["cookies"] == {"session": {"value": "abc"}, "theme": {"value": "dark"}}
    assert "cookie" not in got["request"]["headers"] and got["request"]["headers"]["host"] == {"value": "example.com"}


def test_a_rewrite_comes_back_as_the_request_with_the_new_uri():
    code = "function handler(event) { var r = event.request; if (r.uri.endsWith('/')) r.uri += 'index.html'; return r; }"
    assert run_function(code, event("/docs/"))["uri"] == "/docs/index.html"


def test_a_returned_response_comes_back_with_its_status():
    code = "function handler(event) { return {statusCode: 403, statusDescription: 'Forbidden'}; }"
    assert run_function(code, event())["statusCode"] == 403


@pytest.mark.parametrize("code", [
    "function handler(event) { return event.request.cookies['session'].value; }",  # TypeError: no cookie
    "function handler(event) { while (true) {} }",                                   # over the time limit
    "function handler(event) { var a = []; while (true) { a.push(new Array(100000).fill(1)); } }",  # memory
    "function handle(event) { return event.request; }",                              # no handler
    "function handler(event) { return 42; }",                                        # not an object
    "function handler(event) { return event.request; ",                              # syntax error
], ids=["throws", "loops", "allocates", "no-handler", "not-an-object", "syntax-error"])
def test_a_failing_function_raises_function_failed(code):
    with pytest.raises(FunctionFailed):
        run_function(code, event())


@pytest.mark.lab
def test_the_lab_refuses_to_invoke_a_lambda_function(fresh_aws, name):
    """Lambda state is served (Lambda@Edge scenarios); an invoke, which would start a container, is refused."""
    client = boto3.client("lambda", endpoint_url=fresh_aws.endpoint, region_name="us-east-1",
                          config=Config(retries={"max_attempts": 1}), **fresh_aws.credentials())
    role = fresh_aws.client("iam").create_role(RoleName=name, AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    client.create_function(FunctionName=name, Runtime="nodejs20.x", Role=role, Handler="index.handler",
                           Code={"ZipFile": b"x"})
    client.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=0)
    assert client.get_function_concurrency(FunctionName=name)["ReservedConcurrentExecutions"] == 0
    with pytest.raises(ClientError) as refused:
        client.invoke(FunctionName=name, Payload=b"{}")
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


class _View:
    """The one AWS read viewer_response makes: the function's LIVE code."""

    def __init__(self, code):
        self.code = code.encode()

    def client(self, _service, _region=None):
        import io

        view = self

        class _CloudFront:
            def get_function(self, Name, Stage):
                assert Stage == "LIVE"
                return {"FunctionCode": io.BytesIO(view.code)}
        return _CloudFront()


RESPONSE_FN = {"FunctionAssociations": {"Quantity": 1, "Items": [
    {"FunctionARN": "arn:aws:cloudfront::123456789012:function/headers", "EventType": "viewer-response"}]}}


def _respond(code, status=200):
    from wizard.lab.edge.functions import viewer_response

    return viewer_response(_View(code), DIST, RESPONSE_FN, "GET", "/a.js", {"host": "example.com"}, "198.51.100.7",
                           "rid", (status, [("Content-Type", "application/javascript")], b"body"))


def test_a_viewer_response_function_sets_headers_on_the_answer():
    code = ("function handler(event) { var r = event.response; "
            "r.headers['strict-transport-security'] = {value: 'max-age=63072000'}; return r; }")
    status, headers, body = _respond(code)
    assert status == 200 and body == b"body"
    assert ("strict-transport-security", "max-age=63072000") in headers
    assert ("content-type", "application/javascript") in headers


def test_a_failing_viewer_response_function_is_cloudfronts_503_and_an_origin_error_skips_it():
    broken = "function handler(event) { return event.response.headers['x-missing'].value; }"
    assert _respond(broken)[0] == 503
    assert _respond(broken, status=404)[0] == 404  # not run for an origin answer of 400 or more

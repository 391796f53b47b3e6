"""Provides the who-answered reading of one HTTP answer: CloudFront itself (and why), S3 (and its
error code), the ALB, or the application, with a one-line summary a junior engineer can act on.

Pure: it takes a status, a header list and a body (or anything shaped like an HttpAnswer or its
serialized dict) and never touches the network. The evidence table is PLAYBOOKS.md "How to tell
who answered"; the page wording is what CloudFront really sends, matched loosely because AWS
rewords its error pages now and then.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

__all__ = ["Responder", "classify", "classify_parts", "CLOUDFRONT_REASONS"]

# What CloudFront's own error page says, in the order they are tried (first match wins), and the
# reason id the checks and the summary use. Bodies are lower-cased and whitespace-collapsed first.
# - "Bad request." on a 403: the Host is not an alternate domain name of any distribution.
# - "Request blocked.": AWS WAF blocked it (the default WAF block page).
# - geo restriction, signed URLs (XML bodies with Server: CloudFront), 502/504 origin failures:
#   https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/troubleshooting-response-errors.html
#   https://repost.aws/knowledge-center/cloudfront-troubleshoot-signed-url-cookies
_CLOUDFRONT_MARKERS: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    ("geo-blocked", ("configured to block access from your country",)),
    ("signed-url-missing", ("missing key-pair-id", "missingkey", "missing key")),
    ("signed-url-unknown-key", ("unknown key", "invalidkey", "invalid key")),
    ("waf-blocked", ("request blocked",)),
    ("alias-missing", ("bad request.",)),
    ("method-not-allowed", ("not configured to allow the http request method",)),
    ("origin-dns", ("wasn't able to resolve the origin domain name", "resolve the origin domain")),
    ("origin-unreachable", (
        "could not connect to the origin", "wasn't able to connect to the origin",
        "attempted to establish a connection with the origin", "failed to contact the origin",
        "gateway timeout", "origin closed the connection", "the origin did not respond",
    )),
    ("too-many-requests", ("too many requests", "rate exceeded")),
)

# The reason ids, with how the summary words them.
CLOUDFRONT_REASONS: Dict[str, str] = {
    "alias-missing": "the Host is not one of the distribution's alternate domain names (CNAMEs)",
    "waf-blocked": "an AWS WAF rule (or the web ACL's default action) blocked the request",
    "geo-blocked": "geo restriction blocks the viewer's country",
    "signed-url-missing": "this path needs a signed URL or signed cookies and the request had none",
    "signed-url-unknown-key": "the signed URL's Key-Pair-Id is not in the behavior's trusted key groups",
    "signed-url-denied": "the signed URL or cookie expired or its signature does not match",
    "method-not-allowed": "the cache behavior does not allow this HTTP method",
    "origin-dns": "CloudFront could not resolve the origin's domain name",
    "origin-unreachable": "CloudFront could not connect to the origin, or it did not answer in time",
    "too-many-requests": "CloudFront throttled the request",
    "other": "CloudFront refused or failed the request itself",
}

# What common S3 error codes mean for the person reading the summary.
_S3_CODE_MEANING: Dict[str, str] = {
    "AccessDenied": "S3 refused {who} request",
    "NoSuchKey": "the object is not in the bucket",
    "NoSuchBucket": "the bucket does not exist",
    "AllAccessDisabled": "all access to the bucket is disabled",
    "SignatureDoesNotMatch": "S3 rejected the request signature (OAC signing, or a forwarded Authorization header)",
    "InvalidArgument": "S3 rejected an argument of the request",
    "KMS.NotFoundException": "the object's KMS key cannot be found",
    "KMS.DisabledException": "the object's KMS key is disabled",
    "RequestTimeTooSkewed": "the requester's clock is too far off",
    "PermanentRedirect": "the bucket is in another region than the endpoint used",
    "MethodNotAllowed": "S3 does not allow this method on that resource",
}

_XML_CODE = re.compile(r"<Code>\s*([^<]{1,200}?)\s*</Code>", re.IGNORECASE)
_XML_MESSAGE = re.compile(r"<Message>\s*([^<]{0,1000}?)\s*</Message>", re.IGNORECASE | re.DOTALL)
# S3 website endpoints answer errors as HTML: <li>Code: AccessDenied</li><li>Message: ...</li>
_HTML_CODE = re.compile(r"<li>\s*Code:\s*([^<]{1,200}?)\s*</li>", re.IGNORECASE)
_HTML_MESSAGE = re.compile(r"<li>\s*Message:\s*([^<]{0,1000}?)\s*</li>", re.IGNORECASE | re.DOTALL)
_SPACES = re.compile(r"\s+")
_BODY_SCAN = 64 * 1024  # error pages are small; never scan a whole large body


@dataclass
class Responder:
    """Who answered one HTTP request, with the evidence that says so.

    `generator` is "cloudfront" (the edge produced the answer itself; `cloudfront_reason` says
    why), "s3", "alb", "app" (something else answered, through CloudFront or not) or "unknown"
    (no answer, or nothing identifies the server).
    """

    status: Optional[int]
    generator: str
    via_cloudfront: bool = False
    x_cache: Optional[str] = None  # the raw X-Cache value
    cache: Optional[str] = None  # "hit" | "miss" | "refresh-hit" | "error" | None
    cf_pop: Optional[str] = None
    cf_id: Optional[str] = None
    server: Optional[str] = None
    cloudfront_reason: Optional[str] = None
    s3_error_code: Optional[str] = None
    s3_error_message: Optional[str] = None
    cors: Dict[str, str] = field(default_factory=dict)
    age: Optional[int] = None
    evidence: List[str] = field(default_factory=list)
    summary: str = ""

    def as_dict(self) -> Dict[str, Any]:
        """Plain data for facts, the journal and the JSON report."""
        return {
            "status": self.status,
            "generator": self.generator,
            "via_cloudfront": self.via_cloudfront,
            "x_cache": self.x_cache,
            "cache": self.cache,
            "cf_pop": self.cf_pop,
            "cf_id": self.cf_id,
            "server": self.server,
            "cloudfront_reason": self.cloudfront_reason,
            "s3_error_code": self.s3_error_code,
            "s3_error_message": self.s3_error_message,
            "cors": dict(self.cors),
            "age": self.age,
            "evidence": list(self.evidence),
            "summary": self.summary,
        }


HeaderInput = Union[Mapping[str, str], Iterable[Sequence[str]], None]


def _pairs(headers: HeaderInput) -> List[Tuple[str, str]]:
    if not headers:
        return []
    items = headers.items() if isinstance(headers, Mapping) else headers
    out = []
    for item in items:
        try:
            name, value = item[0], item[1]
        except (TypeError, IndexError):
            continue
        out.append((str(name).strip().lower(), str(value).strip()))
    return out


def _first(pairs: List[Tuple[str, str]], name: str) -> Optional[str]:
    return next((v for k, v in pairs if k == name), None)


def _text(body: Union[bytes, bytearray, str, None]) -> str:
    if body is None:
        return ""
    if isinstance(body, (bytes, bytearray)):
        return bytes(body[:_BODY_SCAN]).decode("utf-8", "replace")
    return str(body)[:_BODY_SCAN]


def _cache_state(x_cache: Optional[str]) -> Optional[str]:
    if not x_cache:
        return None
    low = x_cache.lower()
    if "refreshhit" in low or "refresh hit" in low:
        return "refresh-hit"
    if low.startswith("error") or " error" in low:
        return "error"
    if "hit" in low:
        return "hit"
    if "miss" in low:
        return "miss"
    return None


def _s3_error(text: str) -> Tuple[Optional[str], Optional[str]]:
    """The S3 error code and message from an XML (REST) or HTML (website endpoint) error body."""
    if "<error" in text.lower():
        code, message = _XML_CODE.search(text), _XML_MESSAGE.search(text)
    else:
        code, message = _HTML_CODE.search(text), _HTML_MESSAGE.search(text)
    return (code.group(1).strip() if code else None,
            _SPACES.sub(" ", message.group(1)).strip() if message else None)


def _cloudfront_reason(status: Optional[int], low_body: str, code: Optional[str],
                       message: Optional[str]) -> str:
    for reason, markers in _CLOUDFRONT_MARKERS:
        if any(m in low_body for m in markers):
            if reason == "alias-missing" and status not in (403, 421):
                continue  # a 400 "Bad request." is a malformed request, not an unknown CNAME
            return reason
    if code == "AccessDenied" and (message or "").lower().startswith("access denied"):
        # CloudFront's own XML "Access denied" (not S3's): a signed URL/cookie that expired or
        # whose signature does not verify.
        return "signed-url-denied"
    if status in (502, 504):
        return "origin-unreachable"
    return "other"


def _int(value: Optional[str]) -> Optional[int]:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def classify_parts(status: Optional[int], headers: HeaderInput,
                   body: Union[bytes, bytearray, str, None] = None) -> Responder:
    """Who answered, from a status (None when there was no answer), headers and body."""
    pairs = _pairs(headers)
    text = _text(body)
    low = _SPACES.sub(" ", text.lower())
    server = _first(pairs, "server")
    server_low = (server or "").lower()
    via = _first(pairs, "via") or ""
    x_cache = _first(pairs, "x-cache")
    cf_id, cf_pop = _first(pairs, "x-amz-cf-id"), _first(pairs, "x-amz-cf-pop")
    via_cloudfront = "cloudfront" in via.lower() or bool(cf_id) or bool(cf_pop) \
        or "cloudfront" in (x_cache or "").lower()
    evidence: List[str] = []
    if "cloudfront" in via.lower():
        evidence.append(f"Via: {via}")
    if cf_id:
        evidence.append("X-Amz-Cf-Id present")
    if cf_pop:
        evidence.append(f"X-Amz-Cf-Pop: {cf_pop}")
    if x_cache:
        evidence.append(f"X-Cache: {x_cache}")
    if server:
        evidence.append(f"Server: {server}")
    if any(k == "set-cookie" and v.upper().startswith("AWSALB") for k, v in pairs):
        evidence.append("Set-Cookie AWSALB*: an Application Load Balancer is in the path")

    code, message = _s3_error(text) if ("<code>" in low or "<li>code:" in low) else (None, None)
    has_s3_headers = _first(pairs, "x-amz-request-id") is not None and _first(pairs, "x-amz-id-2") is not None
    cf_page = "the request could not be satisfied" in low or "generated by cloudfront" in low

    generator, reason = "unknown", None
    if status is None:
        generator = "unknown"
    elif server_low == "cloudfront" or (cf_page and not server_low.startswith("amazons3")):
        generator = "cloudfront"
        if status >= 400 or cf_page or code:
            reason = _cloudfront_reason(status, low, code, message)
        if cf_page:
            evidence.append('HTML body "The request could not be satisfied" (CloudFront\'s own error page)')
    elif server_low.startswith("amazons3") or (has_s3_headers and not server_low):
        generator = "s3"
        if code:
            evidence.append(f"S3 error {code}" + (f": {message}" if message else ""))
    elif server_low.startswith("awselb"):
        generator = "alb"
    elif server or text.strip() or pairs:
        generator = "app"

    s3_code = code if generator in ("s3", "cloudfront") else None
    s3_message = message if generator in ("s3", "cloudfront") else None
    if generator == "cloudfront" and reason is not None and code:
        evidence.append(f"CloudFront error {code}" + (f": {message}" if message else ""))

    cors = {k: v for k, v in pairs if k.startswith("access-control-")}
    responder = Responder(
        status=status, generator=generator, via_cloudfront=via_cloudfront, x_cache=x_cache,
        cache=_cache_state(x_cache), cf_pop=cf_pop, cf_id=cf_id, server=server,
        cloudfront_reason=reason, s3_error_code=s3_code, s3_error_message=s3_message,
        cors=cors, age=_int(_first(pairs, "age")), evidence=evidence,
    )
    responder.summary = _summary(responder)
    return responder


def _get(answer: Any, name: str, default: Any = None) -> Any:
    if isinstance(answer, Mapping):
        return answer.get(name, default)
    return getattr(answer, name, default)


def classify(answer: Any) -> Responder:
    """Who answered an HttpAnswer, or its serialized dict (status, headers as pairs, body)."""
    status = _get(answer, "status")
    responder = classify_parts(status, _get(answer, "headers"), _get(answer, "body"))
    if status is None:
        error = _get(answer, "error")
        responder.summary = f"No HTTP answer: {error}" if error else "No HTTP answer."
    return responder


def _summary(r: Responder) -> str:
    if r.status is None:
        return "No HTTP answer."
    through = " through CloudFront" if r.via_cloudfront else ""
    cached = ""
    if r.cache in ("hit", "refresh-hit"):
        cached = " (served from CloudFront's cache" + (f", {r.age}s old" if r.age is not None else "") + ")"
    if r.generator == "cloudfront":
        if r.cloudfront_reason is None:
            return f"CloudFront answered {r.status}{cached}."
        why = CLOUDFRONT_REASONS.get(r.cloudfront_reason, CLOUDFRONT_REASONS["other"])
        return f"CloudFront itself answered {r.status}: {why}{cached}."
    if r.generator == "s3":
        who = "CloudFront's" if r.via_cloudfront else "the"
        code = f" ({r.s3_error_code})" if r.s3_error_code else ""
        if r.status >= 400:
            meaning = _S3_CODE_MEANING.get(r.s3_error_code or "", "")
            meaning = meaning.format(who=who) if meaning else (
                f"S3 refused {who} request" if r.status == 403 else "S3 reported an error")
            if r.via_cloudfront:
                return f"CloudFront passed on a {r.status} from S3{code}: {meaning}{cached}."
            return f"S3 answered {r.status}{code} directly: {meaning}."
        return f"S3 answered {r.status}{through}{cached}."
    if r.generator == "alb":
        if r.status in (502, 503, 504):
            meaning = {
                502: "the target closed the connection or sent a malformed answer",
                503: "the target group has no healthy targets (or no targets at all)",
                504: "it could not reach a target or the target did not answer in time",
            }[r.status]
            if r.via_cloudfront:
                return f"CloudFront passed on a {r.status} from the load balancer: {meaning}{cached}."
            return f"The load balancer answered {r.status} itself: {meaning}."
        return f"The load balancer answered {r.status}{through}{cached}."
    if r.generator == "app":
        server = f" ({r.server})" if r.server else ""
        return f"The application{server} answered {r.status}{through}{cached}."
    return f"An unidentified server answered {r.status}{through}{cached}."

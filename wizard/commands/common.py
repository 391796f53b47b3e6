"""Provides what the commands share: building the AWS access and HTTP prober from flags and the
environment, progress lines on stderr, and one-line errors instead of tracebacks."""

from __future__ import annotations

import os
import signal
import sys
import threading
from typing import Dict, Optional
from urllib.parse import urlsplit

from ..untrusted import sanitize


class CliError(Exception):
    """A problem the user can fix; printed as one line, exit status 2."""


def progress(message: str) -> None:
    """A progress line on stderr (stdout stays clean for --json), cleaned and redacted like every
    other output: it often carries the URL, with its signature, token or password."""
    if not os.environ.get("EDGEWIZ_QUIET"):
        print(sanitize(f"… {message}"), file=sys.stderr, flush=True)


def _split(url: str):
    """urlsplit, with its port read: None when the text is not a usable URL (e.g. `http://[::1/x`,
    a port that is not a number), instead of the ValueError urlsplit raises for those."""
    try:
        parts = urlsplit(url or "")
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number 0-65535
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not host:
        return None
    return parts


def check_url(url: str, what: str = "URL") -> str:
    """A URL with a scheme and a host, or a CliError that says what is wrong."""
    if _split(url) is None:
        raise CliError(f"{what} must look like https://host/path (got {url!r}); check the brackets "
                       "around an IPv6 address and the port")
    return url


def origin_of(url: Optional[str], what: str = "--origin") -> Optional[str]:
    """The origin (scheme://host[:port]) of a page URL or origin string."""
    if not url:
        return None
    parts = _split(url)
    if parts is None:
        raise CliError(f"{what} must look like https://app.example.com (got {url!r}); check the brackets "
                       "around an IPv6 address and the port")
    return f"{parts.scheme}://{parts.netloc}"


def parse_connect_to(value: Optional[str]) -> Optional[Dict[str, str]]:
    """`HOST=ADDR:PORT,...` or just `ADDR:PORT` (every host), like curl's --connect-to."""
    from ..http.transport import parse_connect_to as parse_routes

    if not value:
        return None
    mapping: Dict[str, str] = {}
    for item in value.split(","):
        host, _, addr = item.rpartition("=")
        if ":" not in addr:
            raise CliError(f"--connect-to (or EDGEWIZ_CONNECT_TO) wants HOST=ADDRESS:PORT or ADDRESS:PORT "
                           f"(got {item!r})")
        mapping[host or "*"] = addr
        try:
            parse_routes({host or "*": addr})  # the transport's own reading: a bad port fails here, not mid-walk
        except ValueError as exc:
            raise CliError(f"--connect-to (or EDGEWIZ_CONNECT_TO): {exc}; write HOST=ADDRESS:PORT, "
                           f"e.g. d123.cloudfront.net=127.0.0.1:8081 (got {item!r})") from None
    return mapping


def make_access(profile: Optional[str], region: Optional[str], endpoint_url: Optional[str] = None,
                credentials: Optional[Dict[str, str]] = None):
    """An AwsAccess from the normal credential chain (or the lab's endpoint)."""
    from botocore.exceptions import ConfigParseError, ProfileNotFound

    from ..aws.session import AwsAccess

    endpoint_url = endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or None
    try:
        return AwsAccess(profile=profile, region=region, endpoint_url=endpoint_url, credentials=credentials)
    except ProfileNotFound:
        raise CliError(f"AWS profile '{profile}' not found. List them with `aws configure list-profiles`.") from None
    except ConfigParseError as exc:
        raise CliError(f"the AWS config file cannot be read ({exc}): fix its syntax, or point AWS_CONFIG_FILE "
                       "at a good one") from None


def make_http(connect_to: Optional[Dict[str, str]] = None, timeout: float = 10.0):
    """The HTTP prober (with curl-style --connect-to routing when given)."""
    from ..http.client import HttpProber

    return HttpProber(connect_to=connect_to, timeout=timeout)


def wait_until_stopped() -> None:
    """Block until Ctrl-C or SIGTERM (how `lab up` and `train start` keep their lab running until
    the person, `train stop` or a service manager ends it); the caller stops the lab after."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass

"""Provides what the commands share: building the AWS access and HTTP prober from flags and the
environment, progress lines on stderr, and one-line errors instead of tracebacks."""

from __future__ import annotations

import os
import sys
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


def check_url(url: str, what: str = "URL") -> str:
    """A URL with a scheme and a host, or a CliError that says what is wrong."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CliError(f"{what} must look like https://host/path (got {url!r})")
    return url


def origin_of(url: Optional[str]) -> Optional[str]:
    """The origin (scheme://host[:port]) of a page URL or origin string."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CliError(f"--origin must look like https://app.example.com (got {url!r})")
    return f"{parts.scheme}://{parts.netloc}"


def parse_connect_to(value: Optional[str]) -> Optional[Dict[str, str]]:
    """`HOST=ADDR:PORT,...` or just `ADDR:PORT` (every host), like curl's --connect-to."""
    if not value:
        return None
    mapping: Dict[str, str] = {}
    for item in value.split(","):
        host, _, addr = item.rpartition("=")
        if ":" not in addr:
            raise CliError(f"--connect-to wants HOST=ADDRESS:PORT or ADDRESS:PORT (got {item!r})")
        mapping[host or "*"] = addr
    return mapping


def make_access(profile: Optional[str], region: Optional[str], endpoint_url: Optional[str] = None,
                credentials: Optional[Dict[str, str]] = None):
    """An AwsAccess from the normal credential chain (or the lab's endpoint)."""
    from botocore.exceptions import ProfileNotFound

    from ..aws.session import AwsAccess

    endpoint_url = endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or None
    try:
        return AwsAccess(profile=profile, region=region, endpoint_url=endpoint_url, credentials=credentials)
    except ProfileNotFound:
        raise CliError(f"AWS profile '{profile}' not found. List them with `aws configure list-profiles`.") from None


def make_http(connect_to: Optional[Dict[str, str]] = None, timeout: float = 10.0):
    """The HTTP prober (with curl-style --connect-to routing when given)."""
    from ..http.client import HttpProber

    return HttpProber(connect_to=connect_to, timeout=timeout)

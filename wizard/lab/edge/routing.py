"""Provides the lab's own reading of where a viewer request goes: which cache behavior CloudFront
applies to a path, which S3 key it asks a REST origin for, and which key an S3 website endpoint
serves for it.

Written apart from the diagnosis's cloudfront_config on purpose (issue 11 item 5), and kept to what
AWS documents and tests/oracle/path_cases.yaml pins:
- CloudFront compares the path with each cache behavior's PathPattern in list order and takes the
  first match, else the default behavior; `*` is any run of characters (slashes too), `?` exactly
  one; patterns are case-sensitive; a leading `/` is optional (CloudFront CacheBehavior.PathPattern).
- CloudFront asks the origin for the origin path followed by the URL path; for `/` with a default
  root object it asks for that object (never for a subdirectory). S3 decodes the URL path into the key.
- A website endpoint serves the index document for the root and for any path ending in `/`
  (S3 "Configuring an index document").
"""

from __future__ import annotations

import re
from typing import Any, Dict, Mapping
from urllib.parse import unquote


def pattern_matches(pattern: str, path: str) -> bool:
    """Whether a CloudFront PathPattern covers the URL path (query string excluded)."""
    if not pattern.startswith("/") and pattern != "*":
        pattern = "/" + pattern
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, path, re.DOTALL) is not None


def behavior_for(config: Mapping[str, Any], path: str) -> Dict[str, Any]:
    """The behavior CloudFront applies: the first listed one whose pattern matches, else the default."""
    for behavior in ((config.get("CacheBehaviors") or {}).get("Items") or []):
        if pattern_matches(str(behavior.get("PathPattern", "")), path):
            return dict(behavior)
    return dict(config.get("DefaultCacheBehavior") or {})


def origin_key(path: str, config: Mapping[str, Any], origin_path: str) -> str:
    """The S3 key behind the URL path: origin path + (default root object for "/" | decoded path)."""
    if path in ("", "/") and config.get("DefaultRootObject"):
        path = "/" + str(config["DefaultRootObject"])  # as written: "/index.html" becomes "//index.html"
    full = origin_path.rstrip("/") + path
    return unquote(full)[1:] if full.startswith("/") else unquote(full)


def website_key(key: str, index: str) -> str:
    """The key a website endpoint serves: the index document for the root and for a "folder/" key."""
    return key + index if key == "" or key.endswith("/") else key

"""Provides the request methods a person may report at the intake (GET unless said otherwise) and
how a reported method becomes the Symptom's: edgewiz itself still sends only GET, HEAD and OPTIONS;
the method is evidence (a POST through OAC to a Lambda function URL, say)."""

from __future__ import annotations

from typing import Optional

METHODS = ("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE")


def method_field(method: Optional[str]) -> Optional[str]:
    """The Symptom's method: None for GET or nothing said (what every probe assumes anyway), the
    upper-cased method otherwise; None for anything not a method (the intakes refuse it first)."""
    method = (method or "").strip().upper()
    return method if method in METHODS and method != "GET" else None

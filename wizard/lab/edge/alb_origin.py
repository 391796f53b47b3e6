"""Provides the ALB side of the simulator (placeholder until the reachability analysis lands)."""

from __future__ import annotations

from . import pages


def answer(view, config, raw_origin, origin, method, path, forwarded, cf_id):
    """CloudFront's answer for a custom origin the lab does not model: 502."""
    return (*pages.cloudfront_error(502, "origin-refused", cf_id), None)

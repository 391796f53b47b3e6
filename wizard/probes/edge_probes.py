"""Provides the edge-code probe: the matched behavior's CloudFront Functions and Lambda@Edge."""

from __future__ import annotations

from typing import Any, Dict

from ..aws import edge_functions
from .context import ProbeContext, ProbeSkip


def _pop(answer) -> Any:
    for name, value in (answer or {}).get("headers") or []:
        if str(name).lower() == "x-amz-cf-pop":
            return str(value)
    return None


def edge_code(ctx: ProbeContext) -> Dict[str, Any]:
    behavior = ctx.facts.behavior
    if behavior is None:
        raise ProbeSkip("no distribution found")
    raw = dict(behavior.raw)
    if not any(((raw.get(k) or {}).get("Items")) for k in ("FunctionAssociations", "LambdaFunctionAssociations")):
        raise ProbeSkip("the behavior runs no CloudFront Function and no Lambda@Edge")
    return edge_functions.edge_code(ctx.need_aws(), raw, _pop(ctx.data("http.viewer")))

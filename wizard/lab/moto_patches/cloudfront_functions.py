"""Provides the CloudFront Functions and edge-association patches: behaviors keep their
FunctionAssociations and LambdaFunctionAssociations, and a function can be published (LIVE stage).

moto 5.2.5 stores CloudFront Functions but always reports them in the DEVELOPMENT stage, has no
PublishFunction route, ignores the Stage parameter of DescribeFunction / GetFunction, and replaces
every behavior's associations with {"Quantity": 0}. Each patch below says what moto does and what
real CloudFront returns instead.
"""

from __future__ import annotations

import copy
from typing import Any, Dict

from ._common import add_routes, install, wrap
from .cloudfront import error


def _associations(config: Dict[str, Any], name: str) -> Dict[str, Any]:
    value = config.get(name) or {}
    items = list(value.get("Items") or [])
    return {"Quantity": len(items), "Items": items} if items else {"Quantity": 0}


def patch_behavior_associations() -> None:
    """Keep each behavior's FunctionAssociations and LambdaFunctionAssociations.

    Replaces: moto sets both to {"Quantity": 0} whatever the request says, so a distribution reads
    back with no CloudFront Function and no Lambda@Edge. CloudFront returns the associations as sent
    (FunctionARN + EventType; LambdaFunctionARN + EventType + IncludeBody).
    """
    from moto.cloudfront import models

    def make(original):
        def __init__(self, config: Dict[str, Any]) -> None:
            original(self, config)
            self.function_associations = _associations(config, "FunctionAssociations")
            self.lambda_function_associations = _associations(config, "LambdaFunctionAssociations")
        return __init__

    wrap(models.DefaultCacheBehaviour, "__init__", make)


def _stage(function, stage: str):
    """The function as it is in `stage`: LIVE is the copy PublishFunction made (none before)."""
    if (stage or "DEVELOPMENT").upper() == "LIVE":
        live = getattr(function, "edgewiz_live", None)
        if live is None:
            raise error("NoSuchFunctionExists", "The function does not exist.")
        return live
    return function


def patch_publish_and_stage() -> None:
    """Serve PublishFunction, and honour Stage in DescribeFunction and GetFunction.

    Replaces: moto has no /function/NAME/publish route (a 404) and returns the DEVELOPMENT copy
    whatever Stage asks for. CloudFront copies the DEVELOPMENT code and config to LIVE on publish
    (Status UNASSOCIATED/DEPLOYED, Stage LIVE); DescribeFunction / GetFunction with Stage=LIVE return
    that copy and fail with NoSuchFunctionExists while the function was never published.
    """
    from moto.cloudfront import responses, urls
    from moto.core.responses import ActionResult

    add_routes(urls, responses.CloudFrontResponse.dispatch,
               {"{0}/2020-05-31/function/(?P<function_name>[^/]+)/publish$": None})

    def publish_function(self):
        function = self.backend.describe_function(self._get_param("Name"))
        live = copy.copy(function)
        live.config = copy.deepcopy(function.config)
        live.stage, live.status = "LIVE", "DEPLOYED"
        function.edgewiz_live = live
        return ActionResult({"FunctionSummary": live.function_summary})

    def describe_function(self):
        function = _stage(self.backend.describe_function(self._get_param("Name")), self._get_param("Stage"))
        return ActionResult({"FunctionSummary": function.function_summary, "ETag": function.etag})

    def get_function(self):
        function = _stage(self.backend.get_function(self._get_param("Name")), self._get_param("Stage"))
        return ActionResult({"FunctionCode": function.code, "ETag": function.etag,
                             "ContentType": "application/octet-stream"})

    install(responses.CloudFrontResponse, "publish_function", publish_function)
    install(responses.CloudFrontResponse, "describe_function", describe_function)
    install(responses.CloudFrontResponse, "get_function", get_function)


def apply() -> None:
    """Apply the CloudFront Functions patches (idempotent)."""
    patch_behavior_associations()
    patch_publish_and_stage()

"""Provides the lab's fix to moto's EC2 import: its region list is read through the process's one
botocore session for models, not through three new boto3 sessions.

moto 5.2.5's moto/ec2/models/availability_zones_and_regions.py builds its region table at import, in
a class body, with `Session().get_available_regions("ec2", partition_name=...)` once per partition
(aws, aws-us-gov, aws-cn): three new boto3 sessions, each registering botocore's ~120 event
handlers, ~40 ms of every first lab whose scenario has a VPC, a load balancer or an ECS service.
The answers are the same from any session (botocore's bundled endpoint data), so this patch loads
that module from moto's own source with those three calls asking wizard.aws.botocore_loader's
model session instead. If moto's source is not the text this expects (another moto version), the
module is imported unchanged: slower, never wrong; tests/lab/test_moto_ec2_regions.py says so.
"""

from __future__ import annotations

import sys
from typing import List, Optional

from .source_rewrite import load_rewritten

MODULE = "moto.ec2.models.availability_zones_and_regions"
_CALL = "Session().get_available_regions("
_CALLS = 3  # one per partition


def rewrite(source: str) -> Optional[str]:
    """moto's module source asking the shared session, or None if it is not moto 5.2.5's text."""
    if source.count(_CALL) != _CALLS:
        return None
    return source.replace(_CALL, "_edgewiz_available_regions(")


def _available_regions(service_name: str, partition_name: str = "aws") -> List[str]:
    from ...aws.botocore_loader import model_session

    return model_session().get_available_regions(service_name, partition_name=partition_name)


def rewritten() -> bool:
    """Whether moto's region module was loaded by this patch."""
    module = sys.modules.get(MODULE)
    return module is not None and "_edgewiz_available_regions" in module.__dict__


def apply() -> None:
    """Load moto's region module through the rewrite (idempotent); before moto.ec2 is imported."""
    load_rewritten(MODULE, rewrite, {"_edgewiz_available_regions": _available_regions})

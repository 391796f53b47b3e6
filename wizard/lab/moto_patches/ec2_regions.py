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

import importlib.abc
import sys
from typing import Any, List, Optional

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


class _RewritingLoader(importlib.abc.Loader):
    def __init__(self, original: Any) -> None:
        self._original = original

    def create_module(self, spec):
        return None

    def get_source(self, fullname: str) -> Optional[str]:
        return self._original.get_source(fullname)

    def exec_module(self, module) -> None:
        source = self._original.get_source(module.__name__)
        rewritten = rewrite(source) if source else None
        if rewritten is None:
            self._original.exec_module(module)
            return
        module.__dict__["_edgewiz_available_regions"] = _available_regions
        exec(compile(rewritten, module.__file__, "exec"), module.__dict__)  # noqa: S102 - moto's own source


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname != MODULE:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "get_source"):
                    spec.loader = _RewritingLoader(spec.loader)
                return spec
        return None


_FINDER = _Finder()


def rewritten() -> bool:
    """Whether moto's region module was loaded by this patch."""
    module = sys.modules.get(MODULE)
    return module is not None and "_edgewiz_available_regions" in module.__dict__


def apply() -> None:
    """Load moto's region module through the rewrite (idempotent); before moto.ec2 is imported."""
    if MODULE in sys.modules or _FINDER in sys.meta_path:
        return
    sys.meta_path.insert(0, _FINDER)

"""Provides the bucket probes' ownership guard: a bucket read refused because the bucket belongs to
another account says so ("re-run with that account's profile"), never "the caller lacks s3:...".

Wraps the probe functions of registry.IMPLEMENTATIONS: on a 403/405 refusal it asks whether the
caller owns the bucket (wizard/aws/ownership.py, one ListBuckets call) and, if not, fails the probe
with that sentence instead of the IAM one. The probe's part stays unknown either way.
"""

from __future__ import annotations

import functools
from typing import Callable, Dict

from ..aws import ownership
from .context import ProbeContext, ProbeFailed
from .specs import BUCKET_PROBES


class OtherAccountBucket(ProbeFailed):
    """The bucket is another account's: its reads need that account's credentials."""


def guard(probe: Callable[[ProbeContext], object]) -> Callable[[ProbeContext], object]:
    @functools.wraps(probe)
    def guarded(ctx: ProbeContext):
        try:
            return probe(ctx)
        except Exception as exc:
            if not ownership.refused(exc) or ctx.aws is None or not ctx.facts.bucket:
                raise
            bucket = ctx.facts.bucket
            if ownership.not_owner_answer(exc) or ownership.caller_owns_bucket(ctx.aws, bucket) is False:
                raise OtherAccountBucket(ownership.other_account_message(bucket)) from None
            raise
    return guarded


def guarded_probes(implementations: Dict[str, Callable[[ProbeContext], object]]) -> Dict[str, Callable]:
    """The bucket probes of `implementations`, each wrapped by `guard`."""
    return {name: guard(implementations[name]) for name in BUCKET_PROBES if name in implementations}

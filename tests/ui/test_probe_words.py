"""What the walk screen says each probe found, in one line."""

from __future__ import annotations

from wizard.model import ProbeOutcome
from wizard.report.probe_words import found


def test_denied_probe_says_which_permission_was_missing():
    """A denied read names the IAM action once."""
    outcome = ProbeOutcome("aws.bucket_policy", "denied", error="s3:GetBucketPolicy was denied: the caller lacks "
                           "s3:GetBucketPolicy.", missing_action="s3:GetBucketPolicy")
    assert found(outcome) == "denied: s3:GetBucketPolicy was denied: the caller lacks s3:GetBucketPolicy."


def test_missing_object_lists_the_nearest_keys():
    """A missing key shows the nearest existing keys (the other build's hashes)."""
    outcome = ProbeOutcome("aws.object", "ok", data={"key": "assets/app-4d5e.js", "exists": False,
                                                     "nearby": ["assets/app-1a2b.js", "assets/app-9f8e.js"]})
    assert found(outcome) == "assets/app-4d5e.js is NOT in the bucket; nearest: assets/app-1a2b.js, assets/app-9f8e.js"


def test_an_unexpected_data_shape_still_gives_a_line():
    """Data in a shape the summary does not know falls back to naming what was read, never failing the screen."""
    outcome = ProbeOutcome("aws.bucket_cors", "ok", data={"rules": "not-a-list"})
    assert found(outcome) == "read: rules"

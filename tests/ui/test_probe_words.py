"""What a probe found, in one line of words with values (the TUI and plain mode share it)."""

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


def test_probes_have_their_own_words_not_the_paths_marks():
    """ok reads as "ran" (the read worked; what it found may be the bug), and no probe mark is ✓ or ✗."""
    from wizard.report.probe_words import PROBE_MARKS, status_word

    assert [status_word(s) for s in ("ok", "denied", "error", "skipped")] == ["ran", "denied", "error", "skipped"]
    assert not {"✓", "✗"} & set(PROBE_MARKS.values())
    assert found(ProbeOutcome("aws.scp", "error", error="timed out")) == "error: timed out"


def test_requester_pays_reads_as_the_payer_not_the_field_name():
    """The issue's example: "payer: Requester" instead of "read: payer"."""
    assert found(ProbeOutcome("aws.request_payment", "ok", data={"payer": "Requester"})) == "payer: Requester"

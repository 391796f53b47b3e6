"""Plain mode on the lab: `edgewiz --plain --lab asset-403-stacked`, the intake accepted as
prefilled, reaches seed 000's three root causes."""

from __future__ import annotations

import io

import pytest

from wizard.front import Backend, LaunchOptions
from wizard.journal import read_journal
from wizard.plain import run_plain

ROOT_CAUSES = ["s3.policy.oac-sourcearn-mismatch", "s3.object-missing", "s3.cors.missing"]


@pytest.mark.lab
def test_a_plain_walk_on_the_stacked_403_prints_the_three_root_causes(tmp_path, prompts):
    """Pressing Enter at every intake question walks the lab's 403 to its three root causes, in order."""
    fake = prompts()
    backend = Backend(LaunchOptions(lab="asset-403-stacked", journal_dir=tmp_path))
    out = io.StringIO()
    try:
        status = run_plain(backend, interactive=True, stream=out)
    finally:
        backend.close()
    text = out.getvalue()
    assert status == 0
    assert "Starting the lab scenario asset-403-stacked" in text
    # Each step of the build is printed as it happens, before the first question.
    assert text.index("… building scenario asset-403-stacked") < text.index("… lab ready") < text.index("Journal:")
    assert any("What do you see?" in q for q in fake.asked) and any("failing URL" in q for q in fake.asked)
    assert "3 root causes, in the order the request meets them" in text
    positions = [text.index(f"id: {rc}") for rc in ROOT_CAUSES]
    assert positions == sorted(positions)
    assert "── 4. Read the bucket (REST origin)" in text
    # The walk's lines say words: a branch's value and a check's findings, never an internal id.
    assert "→ What did the raw request show? an error status (4xx) from here" in text
    assert "error-403" not in text and "s3-rest\n" not in text
    assert "— found: Bucket policy of rails-assets-stg grants CloudFront only for another distribution" in text
    assert "found: s3." not in text
    assert "[ran] Read the bucket's CORS configuration" in text and "no CORS configuration" in text
    (path,) = tmp_path.glob("walk-*.jsonl")
    assert text.count(f"Journal: {path}") == 2
    assert read_journal(path).events[-1]["root_causes"] == ROOT_CAUSES

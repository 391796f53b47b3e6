"""Finding prose is data: every id a check can raise has it, and fixes get real names filled in.
The finding-id contract itself (docs/findings.md) is checked in tests/engine/test_findings_doc.py."""

from __future__ import annotations

from wizard.checks import CHECKS
from wizard.model import Hit
from wizard.playbooks import load


def test_every_finding_id_a_check_raises_has_an_entry():
    """Each id a check declares it may raise has its prose in flows/findings.yaml, and the catalogue
    has no entry that no check can raise (an orphan id would be documented but never reported)."""
    catalog = load().catalog
    raised = {finding_id for _, emits in CHECKS.values() for finding_id in emits}
    assert sorted(raised - set(catalog.ids())) == []
    assert sorted(set(catalog.ids()) - raised) == []


def test_a_fix_is_filled_with_real_names():
    """Rendering a hit puts the bucket and distribution into the fix commands."""
    finding = load().catalog.render(Hit("s3.cors.missing", ("no CORS",), {
        "bucket": "rails-assets", "page_origin": "https://app.example.com", "distribution_id": "E123",
        "forwarding": "CORS-S3Origin"}))
    assert "--bucket rails-assets" in finding.fix
    assert "https://app.example.com" in finding.fix
    assert "--distribution-id E123" in finding.fix


def test_an_unfilled_name_stays_visible():
    """A value the analysis could not learn shows as <name>, never as an empty string."""
    finding = load().catalog.render(Hit("s3.website.requester-pays", (), {}))
    assert "--bucket <bucket>" in finding.fix

"""Finding prose is data: ids from PLAYBOOKS.md all have it, and fixes get real names filled in."""

from __future__ import annotations

import re
from pathlib import Path

from wizard.model import Hit
from wizard.playbooks import load

PLAYBOOK = Path(__file__).resolve().parents[3] / "shared" / "PLAYBOOKS.md"


def test_every_playbook_finding_id_has_an_entry():
    """The catalogue covers every finding id PLAYBOOKS.md names (the ids are a contract)."""
    text = PLAYBOOK.read_text(encoding="utf-8") if PLAYBOOK.exists() else ""
    prefixes = r"(?:app|cf|waf|s3|org|sg|nacl|elb|logs)"
    ids = set(re.findall(rf"`({prefixes}\.[a-z0-9.-]+)`", text))
    assert len(ids) >= 30  # the contract lists every finding; a parse that finds few is broken
    catalog = load().catalog
    assert sorted(i for i in ids if i not in catalog) == []


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

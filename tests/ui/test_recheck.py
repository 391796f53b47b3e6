"""Re-check after a fix (seed 000's last layer): the asset hash was never deployed; once it is, r
walks again for the same URL in a new journaled session and says the layer is fixed."""

from __future__ import annotations

import boto3
import pytest

from wizard.tui.app import EdgewizApp

from .screen import screen_text, start_walk, until, walk_to_verdict

pytestmark = pytest.mark.lab
SCENARIO = "asset-403-object-missing"


async def test_copy_all_fixes_names_each_root_cause_by_its_title(lab):
    """f copies every root cause's fix under a heading that is its title, never its finding id."""
    app = EdgewizApp(lab)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_walk(pilot)
        await walk_to_verdict(pilot)
        roots = app.screen.diagnosis.root_causes
        assert roots  # before the next test deploys the object (the module shares one lab)
        await pilot.press("f")
        await pilot.pause(0.05)
        headings = [line for line in app.clipboard.splitlines() if line.startswith("# ")]
        assert headings == [f"# {i}. {f.title}" for i, f in enumerate(roots, 1)]
        assert not any(f.id in app.clipboard.split("\n", 1)[0] for f in roots)


async def test_recheck_after_deploying_the_asset_shows_the_layer_fixed(lab):
    """Deploy the missing object, press r: the banner names the fixed finding by its title (what a
    person reads), not by its id, and the root cause is gone."""
    app = EdgewizApp(lab)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_walk(pilot)
        await walk_to_verdict(pilot)
        screen = app.screen
        assert [f.id for f in screen.diagnosis.root_causes] == ["s3.object-missing"]
        first_journal = screen.session.journal.path
        env = lab.lab_env
        s3 = boto3.client("s3", endpoint_url=env.aws_endpoint, region_name=env.region, **env.credentials)
        s3.put_object(Bucket="rails-assets-stg", Key="assets/application-4d5e6f.js", Body=b"console.log('hi')",
                      ContentType="application/javascript")
        await pilot.press("r")
        await until(pilot, lambda: screen.changes is not None, timeout=60, what="the re-check")
        assert screen.changes["fixed"] == ["s3.object-missing"]
        assert screen.diagnosis.root_causes == []
        assert screen.session.journal.path != first_journal
        text = " ".join(screen_text(app).split())
        assert "Re-check: ✓ fixed: assets/application-4d5e6f.js is not in rails-assets-stg" in text
        assert "s3.object-missing" not in text.split("Re-check:", 1)[1].split("root cause", 1)[0]

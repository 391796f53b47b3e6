"""Re-check after a fix (seed 000's last layer): the asset hash was never deployed; once it is, r
walks again for the same URL in a new journaled session and says the layer is fixed."""

from __future__ import annotations

import boto3
import pytest

from wizard.tui.app import EdgewizApp

from .screen import screen_text, start_walk, until, walk_to_verdict

pytestmark = pytest.mark.lab
SCENARIO = "asset-403-object-missing"


async def test_recheck_after_deploying_the_asset_shows_the_layer_fixed(lab):
    """Deploy the missing object, press r: the banner says s3.object-missing is fixed and the root cause is gone."""
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
        assert "Re-check: ✓ fixed s3.object-missing" in screen_text(app)

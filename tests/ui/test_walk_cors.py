"""A CORS case in the app (seed 000, fault 2 alone): the console says CORS, the walk finds the bucket
without CORS rules and the traffic graph blocks the last hop, to the page."""

from __future__ import annotations

import pytest

from wizard.tui.app import EdgewizApp
from wizard.tui.widgets.path_graph_view import PathGraphView

from .screen import screen_text, start_walk, walk_to_verdict

pytestmark = pytest.mark.lab
SCENARIO = "asset-cors-missing"


async def test_cors_walk_ends_on_the_missing_bucket_cors(lab):
    """Intake to verdict with Enter only: one root cause, s3.cors.missing, the page hop blocked."""
    app = EdgewizApp(lab)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_walk(pilot)
        await walk_to_verdict(pilot)
        assert [f.id for f in app.screen.diagnosis.root_causes] == ["s3.cors.missing"]
        text = screen_text(app)
        assert "1 root cause in the order the request meets them" in text
        assert "1 ✗ [s3] Bucket rails-assets" in text
        graph = app.screen.query_one(PathGraphView).text  # leads with the blocked hop, to the page
        words = " ".join(graph.split())
        assert words.startswith("✗ blocked: assets/application-4d5e6f.js → page https://app.example.com (CORS)")
        assert "[✗] page https://app.example.com" in graph
        assert "✗ blocked:" in text

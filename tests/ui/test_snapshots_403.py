"""SVG snapshots (pytest-textual-snapshot) of asset-403-stacked at 80×24 and 120×40: the walk screen
at the S3 step (the bucket, object and CORS hops on the graph, the probes that read them) and the
verdict. The lab is seeded, so ids come out the same, and built afresh for each snapshot (a walk
leaves access-log lines behind); the journal path and probe timings are masked.
Update after a deliberate change of the screens: pytest tests/ui/test_snapshots_403.py --snapshot-update"""

from __future__ import annotations

import pytest

from wizard.tui.app import EdgewizApp

from .walk_drive import drive_to_verdict, fresh_backend, mask_run_specifics, walk_to_step

SCENARIO = "asset-403-stacked"
pytestmark = pytest.mark.lab


@pytest.fixture
def fresh_lab(tmp_path):
    """A lab of its own for each snapshot."""
    backend = fresh_backend(SCENARIO, tmp_path)
    yield backend
    backend.close()


async def _walk_step(pilot) -> None:
    await walk_to_step(pilot, "s3_rest_probes")
    await mask_run_specifics(pilot)


async def _verdict(pilot) -> None:
    await drive_to_verdict(pilot)
    await mask_run_specifics(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_snapshot_walk_on_asset_403_stacked(fresh_lab, snap_compare, size):
    """The walk at the S3 step: blocked hops on the graph, the probes that read them not failures."""
    assert snap_compare(EdgewizApp(fresh_lab), terminal_size=size, run_before=_walk_step)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_snapshot_verdict_on_asset_403_stacked(fresh_lab, snap_compare, size):
    """The verdict: the root causes in order, the first one's evidence and fix."""
    assert snap_compare(EdgewizApp(fresh_lab), terminal_size=size, run_before=_verdict)

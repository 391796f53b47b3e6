"""SVG snapshots (pytest-textual-snapshot) of alb-504-ghost-sg-reference (the seed-003 504) at 80×24
and 120×40: the walk screen at the load balancer step, where the graph shows the ALB's group, the ECS
group, the blocked edge to the targets with its rule and the group attached to nothing. The lab is
seeded, so ids come out the same, and built afresh for each snapshot (a walk leaves access-log lines
behind); the journal path and probe timings are masked.
Update after a deliberate change of the screens: pytest tests/ui/test_snapshots_504.py --snapshot-update"""

from __future__ import annotations

import pytest

from wizard.tui.app import EdgewizApp

from .walk_drive import fresh_backend, mask_run_specifics, walk_to_step

SCENARIO = "alb-504-ghost-sg-reference"
pytestmark = pytest.mark.lab


@pytest.fixture
def fresh_lab(tmp_path):
    """A lab of its own for each snapshot."""
    backend = fresh_backend(SCENARIO, tmp_path)
    yield backend
    backend.close()


async def _graph_step(pilot) -> None:
    await walk_to_step(pilot, "alb_probes")
    await mask_run_specifics(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_snapshot_graph_on_the_504_story(fresh_lab, snap_compare, size):
    """The load balancer step: the blocked edge to the targets with its rule, the ALB's group, the
    ECS group and the group attached to nothing, on the graph pane."""
    assert snap_compare(EdgewizApp(fresh_lab), terminal_size=size, run_before=_graph_step)

"""Provides the screenshots in this folder: the app driven headless at 80×24 on lab scenarios, saved
as SVG — the intake, a walk in progress with the path picture, and the verdict.

Run: python screenshots/make_screenshots.py [--scenario NAME] [--size 80x24]
It starts the lab (about ten seconds), walks with the keyboard as a person would, and overwrites
intake.svg, walk.svg and verdict.svg here. This script is how the pictures stay current; the 504
graph picture is
  python screenshots/make_screenshots.py --scenario alb-504-ghost-sg-reference \
      --walk-node alb_probes --walk-file walk-504.svg --only-walk
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from wizard.front import Backend, LaunchOptions  # noqa: E402
from wizard.tui.app import EdgewizApp  # noqa: E402


async def _wait(pilot, condition, timeout: float = 60.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise SystemExit("timed out driving the app")
        await pilot.pause(0.05)


def _idle_walk(app) -> bool:
    screen = app.screen
    return type(screen).__name__ == "WalkScreen" and not screen.busy and screen.action_now is not None


async def shoot(backend: Backend, size, walk_node: str, walk_file: str = "walk.svg", only_walk: bool = False) -> None:
    """Drive one walk and save the three pictures (or only the walk's)."""
    app = EdgewizApp(backend)
    async with app.run_test(size=size) as pilot:
        await _wait(pilot, lambda: type(app.screen).__name__ == "IntakeScreen" and not app.screen.waiting)
        await pilot.pause(0.3)
        if not only_walk:
            app.save_screenshot("intake.svg", str(HERE))
        await pilot.press("ctrl+s")
        while True:
            await _wait(pilot, lambda: _idle_walk(app) or type(app.screen).__name__ == "VerdictScreen")
            if type(app.screen).__name__ == "VerdictScreen":
                break
            screen = app.screen
            if screen.action_now.node.id == walk_node and screen.probed:
                await pilot.pause(0.3)
                app.save_screenshot(walk_file, str(HERE))
            await pilot.press("enter")
            await pilot.pause(0.05)
        await pilot.pause(0.3)
        if not only_walk:
            app.save_screenshot("verdict.svg", str(HERE))


def main() -> int:
    """Start the lab, drive the app, write the SVGs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="asset-403-stacked")
    parser.add_argument("--walk-node", default="s3_rest_probes", help="the step to picture in walk.svg")
    parser.add_argument("--size", default="80x24")
    parser.add_argument("--walk-file", default="walk.svg", help="the file name of the walk picture")
    parser.add_argument("--only-walk", action="store_true", help="save only the walk picture")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.lower().split("x"))
    with tempfile.TemporaryDirectory() as journals:
        backend = Backend(LaunchOptions(lab=args.scenario, journal_dir=Path(journals)))
        try:
            backend.start_lab()
            asyncio.run(shoot(backend, (width, height), args.walk_node, args.walk_file, args.only_walk))
        finally:
            backend.close()
    for name in ((args.walk_file,) if args.only_walk else ("intake.svg", args.walk_file, "verdict.svg")):
        print(HERE / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Provides the screenshots in this folder: the app driven headless at 80×24 on lab scenarios, saved
as SVG — the intake, a walk in progress with the path picture, and the verdict.

Run: python screenshots/make_screenshots.py [--scenario NAME] [--size 80x24]
It starts the lab (about ten seconds), walks with the keyboard as a person would, and overwrites
intake.svg, walk.svg and verdict.svg here. This script is how the pictures stay current.
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


async def shoot(backend: Backend, size, walk_node: str) -> None:
    """Drive one walk and save the three pictures."""
    app = EdgewizApp(backend)
    async with app.run_test(size=size) as pilot:
        await _wait(pilot, lambda: type(app.screen).__name__ == "IntakeScreen" and not app.screen.waiting)
        await pilot.pause(0.3)
        app.save_screenshot("intake.svg", str(HERE))
        await pilot.press("ctrl+s")
        while True:
            await _wait(pilot, lambda: _idle_walk(app) or type(app.screen).__name__ == "VerdictScreen")
            if type(app.screen).__name__ == "VerdictScreen":
                break
            screen = app.screen
            if screen.action_now.node.id == walk_node and screen.probed:
                await pilot.pause(0.3)
                app.save_screenshot("walk.svg", str(HERE))
            await pilot.press("enter")
            await pilot.pause(0.05)
        await pilot.pause(0.3)
        app.save_screenshot("verdict.svg", str(HERE))


def main() -> int:
    """Start the lab, drive the app, write the SVGs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="asset-403-stacked")
    parser.add_argument("--walk-node", default="s3_rest_probes", help="the step to picture in walk.svg")
    parser.add_argument("--size", default="80x24")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.lower().split("x"))
    with tempfile.TemporaryDirectory() as journals:
        backend = Backend(LaunchOptions(lab=args.scenario, journal_dir=Path(journals)))
        try:
            backend.start_lab()
            asyncio.run(shoot(backend, (width, height), args.walk_node))
        finally:
            backend.close()
    for name in ("intake.svg", "walk.svg", "verdict.svg"):
        print(HERE / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())

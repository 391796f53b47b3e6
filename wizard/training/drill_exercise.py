"""Provides a random drill (a scenario file from `edgewiz train random --save`) as an exercise for
`edgewiz train start FILE`: a brief from its symptom (not its story, which names the faults) and a
hint ladder from faults.yaml for the root causes the lab shows at start (never its `expect`)."""

from __future__ import annotations

from pathlib import Path
from typing import List

from .catalogue import Exercise
from .random_drill import load_table

FIRST_HINT = "Follow the request from CloudFront to its origin: which layer answers, and what does it say?"


def is_drill_file(ref: str) -> bool:
    return ref.endswith((".yaml", ".yml")) or "/" in ref


def drill_exercise(path: str, scenario) -> Exercise:
    """The exercise for a drill file (`scenario` is the loaded file; its story and expect stay unread)."""
    what = {"403": "an HTTP 403", "cors": "a CORS error in the browser console",
            "504": "an HTTP 504 (gateway timeout)"}.get(
        str(scenario.symptom.get("complaint")), "an error")
    brief = (f"Users report {what} for the failing URL below.\n"
             "Make it load again, without weakening anything.")
    return Exercise(name=Path(path).stem, level="random", scenario=str(path), minutes=30, brief=brief, hints=())


def drill_hints(found: List[str]) -> List[str]:
    """The ladder for the root causes the lab showed at start: where to look, then one hint per fault."""
    table = load_table()
    hints = [FIRST_HINT]
    for finding in found:
        hint = next((f.hint for f in table.faults if f.finding == finding and f.hint), None)
        if hint and hint not in hints:
            hints.append(hint)
    if len(found) > 1:
        hints.append(f"There are {len(found)} faults: `edgewiz train check` names the ones that remain.")
    return hints

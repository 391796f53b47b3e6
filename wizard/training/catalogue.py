"""Provides the training catalogue (exercises.yaml): exercises by level, each a built-in scenario with
a trainee's brief, a time budget and a hint ladder. Validated on load: a broken catalogue is a one-line
error naming the exercise, never a traceback."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import List, Tuple

import yaml

LEVELS = ("seed", "single", "stacked")
LEVEL_TITLES = {"seed": "Seed stories", "single": "Single faults", "stacked": "Stacked faults"}
KEYS = {"name", "level", "scenario", "minutes", "brief", "hints"}


class CatalogueError(ValueError):
    """The catalogue (or a name asked of it) cannot be used."""


@dataclass(frozen=True)
class Exercise:
    name: str
    level: str
    scenario: str
    minutes: int
    brief: str
    hints: Tuple[str, ...]


def parse(raw) -> List[Exercise]:
    items = (raw or {}).get("exercises") if isinstance(raw, dict) else None
    if not isinstance(items, list):
        raise CatalogueError("exercises.yaml: 'exercises' must be a list")
    out, seen = [], set()
    for i, item in enumerate(items, 1):
        where = f"exercises.yaml: exercise {i}"
        if not isinstance(item, dict) or set(item) != KEYS:
            raise CatalogueError(f"{where}: needs exactly the keys {', '.join(sorted(KEYS))}")
        if item["level"] not in LEVELS:
            raise CatalogueError(f"{where}: level must be one of {', '.join(LEVELS)}")
        hints = item["hints"]
        if not isinstance(hints, list) or not hints or not all(isinstance(h, str) for h in hints):
            raise CatalogueError(f"{where}: hints must be a non-empty list of text")
        if not isinstance(item["minutes"], int) or item["minutes"] <= 0:
            raise CatalogueError(f"{where}: minutes must be a positive whole number")
        name = str(item["name"])
        if name in seen:
            raise CatalogueError(f"{where}: the name {name} is used twice")
        seen.add(name)
        out.append(Exercise(name, item["level"], str(item["scenario"]), item["minutes"],
                            str(item["brief"]).strip(), tuple(hints)))
    return out


@lru_cache(maxsize=1)
def exercises() -> Tuple[Exercise, ...]:
    text = resources.files("wizard.training").joinpath("exercises.yaml").read_text(encoding="utf-8")
    return tuple(parse(yaml.safe_load(text)))


def find(name: str) -> Exercise:
    for ex in exercises():
        if ex.name == name:
            return ex
    raise CatalogueError(f"no exercise named {name!r} (see `edgewiz train list`)")


def by_level(items) -> List[Tuple[str, List[Exercise]]]:
    """The exercises grouped as the catalogue shows them: (level title, its exercises) in level
    order, empty levels left out (`train list` and the TUI picker)."""
    groups = [(LEVEL_TITLES[level], [e for e in items if e.level == level]) for level in LEVELS]
    return [(title, group) for title, group in groups if group]

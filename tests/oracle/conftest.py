"""Loads the golden cases in tests/oracle/*.yaml (AWS's documented semantics, as data)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

import yaml

HERE = Path(__file__).parent


def load(name: str) -> Dict[str, Any]:
    """One golden file: its `sources` and its `cases`, every case naming a known source."""
    data = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))
    for case in data["cases"]:
        assert case["source"] in data["sources"], f"{name}: case {case['id']} names an unknown source"
    return data


def cases(name: str) -> List[Any]:
    """The cases of one file as pytest params, each with its id."""
    import pytest

    data = load(name)
    return [pytest.param(c, id=c["id"]) for c in data["cases"]]

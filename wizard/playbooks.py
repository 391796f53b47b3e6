"""Provides the loaded playbooks: the flows in flows/*.yaml and the findings catalogue, validated
against the code's vocabulary (probe specs, checks, predicates) in one place."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Dict

from .aws.facts import EdgeFacts
from .checks import CHECKS, PREDICATES
from .engine.catalog import Catalog, load_catalog
from .engine.errors import FlowError
from .engine.flow import Flow, Vocabulary, load_flow
from .engine.walk import Walk
from .engine.facts import Symptom
from .probes.specs import PROBES


def flows_dir() -> Path:
    """Where the playbooks live: $EDGEWIZ_FLOWS, else flows/ beside the package."""
    env = os.environ.get("EDGEWIZ_FLOWS")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "flows"


def vocabulary(catalog: Catalog) -> Vocabulary:
    """The names flows may use, as defined by the code."""
    return Vocabulary(
        probes=PROBES,
        checks={name: emits for name, (_, emits) in CHECKS.items()},
        predicates={name: values for name, (_, values) in PREDICATES.items()},
        findings=catalog.ids(),
    )


def check_catalog_covers_checks(catalog: Catalog) -> None:
    """Every finding id a check may raise has its entry, and every entry is raised by some check."""
    catalog.check_declarations({name: emits for name, (_, emits) in CHECKS.items()})


@lru_cache(maxsize=4)
def load(directory: str = "") -> "Playbooks":
    """Load and validate every flow and the catalogue (cached per directory)."""
    root = Path(directory) if directory else flows_dir()
    catalog = load_catalog(root / "findings.yaml")
    check_catalog_covers_checks(catalog)
    vocab = vocabulary(catalog)
    flows = {}
    for path in sorted(root.glob("*.yaml")):
        if path.name == "findings.yaml":
            continue
        flow = load_flow(path, vocab)
        flows[flow.id] = flow
    if not flows:
        raise FlowError(str(root), "no flow files found")
    return Playbooks(flows, catalog)


class Playbooks:
    """The validated flows and the catalogue."""

    def __init__(self, flows: Dict[str, Flow], catalog: Catalog) -> None:
        self.flows = flows
        self.catalog = catalog

    def walk(self, symptom: Symptom, flow_id: str = "edge") -> Walk:
        """A fresh walk of one flow for one symptom."""
        return Walk(self.flows[flow_id], symptom, checks=CHECKS,
                    predicates={n: fn for n, (fn, _) in PREDICATES.items()}, catalog=self.catalog,
                    facts_type=EdgeFacts)

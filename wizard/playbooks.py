"""Provides the loaded playbooks: the flows in flows/*.yaml and the findings catalogue, validated
against the code's vocabulary (probe specs, checks, predicates) in one place.

The repository keeps the playbooks in the top-level flows/ folder; installed, they are the package
`wizard.flows` (pyproject.toml maps one to the other), found with importlib.resources so a wheel, a
pipx install and an editable checkout all read the same files. $EDGEWIZ_FLOWS points elsewhere.
"""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Dict

from .aws.facts import EdgeFacts
from .checks import CHECKS, PREDICATES
from .engine.catalog import Catalog, load_catalog
from .engine.errors import FlowError, PlaybookMissing
from .engine.flow import Flow, Vocabulary, load_flow
from .engine.walk import Walk
from .engine.facts import Symptom
from .probes.specs import PROBES


FLOWS_PACKAGE = "wizard.flows"


def flows_dir() -> Path:
    """Where the playbooks live: $EDGEWIZ_FLOWS (for playbook authors), else the installed package's."""
    env = os.environ.get("EDGEWIZ_FLOWS")
    if env:
        return Path(env)
    try:
        # Always a real directory: wheels are installed unpacked, and setuptools' editable finder
        # maps wizard.flows to the checkout's flows/.
        return Path(str(resources.files(FLOWS_PACKAGE)))
    except ModuleNotFoundError:
        pass
    # A source checkout used without installing it (PYTHONPATH=., or `python -m wizard` in a clone
    # whose editable install belongs to another copy): the playbooks sit beside the package.
    checkout = Path(__file__).resolve().parent.parent / "flows"
    if (checkout / "findings.yaml").is_file():
        return checkout
    raise PlaybookMissing(FLOWS_PACKAGE, "the playbooks are not installed with this copy of edgewiz")


def vocabulary() -> Vocabulary:
    """The names flows may use, as defined by the code."""
    return Vocabulary(
        probes=PROBES,
        checks={name: emits for name, (_, emits) in CHECKS.items()},
        predicates={name: values for name, (_, values) in PREDICATES.items()},
    )


def check_catalog_covers_checks(catalog: Catalog) -> None:
    """Every finding id a check may raise has its entry, and every entry is raised by some check."""
    catalog.check_declarations({name: emits for name, (_, emits) in CHECKS.items()})


@lru_cache(maxsize=4)
def load(directory: str = "") -> "Playbooks":
    """Load and validate every flow and the catalogue (cached per directory)."""
    root = Path(directory) if directory else flows_dir()
    if not root.is_dir():
        raise PlaybookMissing(str(root), "no such folder")
    catalog = load_catalog(root / "findings.yaml")
    check_catalog_covers_checks(catalog)
    vocab = vocabulary()
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

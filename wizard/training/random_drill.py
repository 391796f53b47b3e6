"""Provides random drills: K compatible fault fragments (wizard/training/faults.yaml) composed onto a
healthy built-in scenario, as a normal scenario file, the same bytes for the same seed and K."""

from __future__ import annotations

import copy
import functools
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

FAULTS_FILE = Path(__file__).with_name("faults.yaml")
MAX_FAULTS = 3


class DrillError(ValueError):
    """The fault table is unusable, or no base takes K compatible faults."""


@dataclass(frozen=True)
class Fault:
    id: str
    base: str
    finding: str
    complaint: str
    edits: List[Dict[str, Any]]
    conflicts: List[str] = field(default_factory=list)
    hint: str = ""  # for the trainee of `train start DRILL`: where this fault shows


@dataclass
class Table:
    bases: Dict[str, str]  # base name -> healthy built-in scenario
    faults: List[Fault]
    complaints: List[str]

    def for_base(self, base: str) -> List[Fault]:
        return [f for f in self.faults if f.base == base]

    def clash(self, a: Fault, b: Fault) -> bool:
        """Faults that must not be composed: declared on either side, or the same finding twice (the
        diagnosis reports a finding once, so the drill would not say which fault to fix)."""
        return b.id in a.conflicts or a.id in b.conflicts or a.finding == b.finding


def load_table(path: Path = FAULTS_FILE) -> Table:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        faults = [Fault(id=f["id"], base=f["base"], finding=f["finding"], complaint=str(f["complaint"]),
                        edits=list(f["edits"]), conflicts=list(f.get("conflicts") or []),
                        hint=str(f.get("hint") or "")) for f in data["faults"]]
        table = Table(bases=dict(data["bases"]), faults=faults, complaints=[str(c) for c in data["complaints"]])
    except (KeyError, TypeError) as exc:
        raise DrillError(f"{path}: a fault needs id, base, finding, complaint and edits ({exc})") from None
    ids = {f.id for f in faults}
    for f in faults:
        if f.base not in table.bases or not set(f.conflicts) <= ids or f.complaint not in table.complaints:
            raise DrillError(f"{path}: fault {f.id} names an unknown base, conflict or complaint")
    return table


def _combos(table: Table, base: str, k: int) -> List[List[Fault]]:
    """Every compatible set of k faults on `base`, in table order (so the seed alone picks one)."""
    out: List[List[Fault]] = []

    def grow(chosen: List[Fault], rest: List[Fault]) -> None:
        if len(chosen) == k:
            out.append(list(chosen))
            return
        for i, f in enumerate(rest):
            if not any(table.clash(f, c) for c in chosen):
                grow(chosen + [f], rest[i + 1:])

    grow([], table.for_base(base))
    return out


def all_combinations(table: Table, k_max: int = MAX_FAULTS) -> List[tuple]:
    """Every drill the table can make, as (base, faults), for K = 1..k_max: what seeds pick from."""
    return [(base, combo) for k in range(1, k_max + 1) for base in sorted(table.bases)
            for combo in _combos(table, base, k)]


def drill_key(base: str, faults: List[Fault]) -> tuple:
    """What makes two drills the same lab: the base and the faults (seeds only change the name)."""
    return (base,) + tuple(f.id for f in faults)


def choose(table: Table, seed: int, k: int) -> tuple:
    """(base, faults) for the seed: a base that takes k compatible faults, then one such set."""
    if not 1 <= k <= MAX_FAULTS:
        raise DrillError(f"--faults must be 1 to {MAX_FAULTS} (got {k})")
    rng = random.Random(f"edgewiz-drill:{seed}:{k}")  # str seeds hash the same in every process
    options = [(base, combos) for base in sorted(table.bases) if (combos := _combos(table, base, k))]
    if not options:
        raise DrillError(f"no base takes {k} compatible faults")
    base, combos = rng.choice(options)
    return base, rng.choice(combos)


def _matches(step: Dict[str, Any], match: Dict[str, Any]) -> bool:
    params = step.get("params") or {}
    return step.get("call") == match["call"] and all(params.get(k) == v for k, v in (match.get("where") or {}).items())


def _set(params: Any, path: List[Any], value: Any) -> None:
    node = params
    for key in path[:-1]:
        node = node[key] if isinstance(key, int) else node.setdefault(key, {})
    node[path[-1]] = copy.deepcopy(value)


def apply(setup: List[Dict[str, Any]], fault: Fault) -> List[Dict[str, Any]]:
    """The setup steps with the fault's edits applied (a DrillError when an edit matches nothing:
    a base changed under the table must not yield a drill without its fault)."""
    steps = copy.deepcopy(setup)
    for edit in fault.edits:
        if "drop" in edit:
            kept = [s for s in steps if not _matches(s, edit["drop"])]
            hit = len(kept) != len(steps)
            steps = kept
        elif "set" in edit:
            targets = [s for s in steps if _matches(s, edit["set"])]
            for s in targets:
                _set(s["params"], edit["path"], edit["value"])
            hit = bool(targets)
        elif "insert" in edit:
            at = [i for i, s in enumerate(steps) if s.get("call") == edit["insert"]["after"]]
            if at:
                steps[at[-1] + 1:at[-1] + 1] = copy.deepcopy(edit["insert"]["steps"])
            hit = bool(at)
        else:
            raise DrillError(f"fault {fault.id}: an edit is drop, set or insert")
        if not hit:
            raise DrillError(f"fault {fault.id}: an edit matches no step of its base")
    return steps


def compose(seed: int, k: int, table: Optional[Table] = None, scenarios_dir: Optional[Path] = None) -> Dict[str, Any]:
    """The drill for (seed, k) as a scenario mapping (same schema as wizard/lab/scenarios/*.yaml)."""
    from ..lab.scenario import BUILTIN_DIR

    table = table or load_table()
    base, faults = choose(table, seed, k)
    return compose_faults(table, base, faults, seed, scenarios_dir)


def compose_faults(table: Table, base: str, faults: List[Fault], seed: int,
                   scenarios_dir: Optional[Path] = None) -> Dict[str, Any]:
    """The drill of these faults on this base, named after `seed` (the seed that picked them)."""
    from ..lab.scenario import BUILTIN_DIR

    k = len(faults)
    healthy = copy.deepcopy(_healthy(str((scenarios_dir or BUILTIN_DIR) / f"{table.bases[base]}.yaml")))
    setup = healthy["setup"]
    for fault in faults:
        setup = apply(setup, fault)
    complaint = next(c for c in table.complaints if any(f.complaint == c for f in faults))
    symptom = dict(healthy["symptom"], complaint=complaint)
    out: Dict[str, Any] = {
        "name": f"random-{seed}-k{k}",
        "title": f"Random drill (seed {seed}, {k} fault{'s' if k != 1 else ''}) on the {base} base",
        "story": (f"Composed by `edgewiz train random --seed {seed} --faults {k}` from {table.bases[base]} with: "
                  + ", ".join(f.id for f in faults) + ".\n"),
        "region": healthy["region"],
        "setup": setup,
    }
    for key in ("sim",):
        if key in healthy:
            out[key] = healthy[key]
    out["symptom"] = symptom
    out["expect"] = {"root_causes": [f.finding for f in faults]}
    if healthy.get("expect", {}).get("also"):
        out["expect"]["also"] = list(healthy["expect"]["also"])
    return out


@functools.lru_cache(maxsize=16)
def _healthy(path: str) -> Dict[str, Any]:
    """A base scenario, parsed once per process (callers copy it: composing edits a copy)."""
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def render(drill: Dict[str, Any]) -> str:
    """The drill as YAML text (stable: key order as built, no anchors)."""

    class NoAliases(yaml.SafeDumper):
        def ignore_aliases(self, data):  # noqa: D401 - PyYAML hook
            return True

    return yaml.dump(drill, Dumper=NoAliases, sort_keys=False, allow_unicode=True, width=120)

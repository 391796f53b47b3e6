"""Provides lab scenarios: declarative YAML files that build an incident in the lab with ordinary
boto3 calls, plus the few facts outside the AWS control plane (page HTML, viewer country, clock).

A scenario is validated when it loads: unknown keys, an unknown service or operation, a service
the lab does not serve, a symptom that is not a URL, or a reference to a name nothing saved yet
fail with the file and step named. Scenarios are shared files, so reading one is bounded: its size,
its nesting and what its YAML aliases expand to are capped before anything is built from it. docs/scenarios.md is the
reference for authors. The `expect` section is read only by tests, never by the diagnosis.
"""

from __future__ import annotations

import os
import re
import stat
import threading
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional
from urllib.parse import urlsplit

import yaml

from .services import LAB_SERVICES, REFUSED_OPERATIONS, refusal

BUILTIN_DIR = Path(__file__).resolve().parent / "scenarios"
TOP_KEYS = {"name", "title", "story", "seed", "region", "setup", "warm", "changes", "sim", "symptom", "expect"}
STEP_KEYS = {"call", "params", "save", "account", "region", "expect_error"}
SIM_KEYS = {"pages", "viewer", "clock", "origin_latency_ms", "waf_traffic", "origins"}
SYMPTOM_KEYS = {"url", "origin", "page", "complaint", "method"}
EXPECT_KEYS = {"root_causes", "also", "healthy"}
_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z0-9_-]+)*)\}")

# The built-in scenarios are under 8 KiB, 12 levels deep and 700 nodes; these leave ample room while
# keeping a hostile file (a billion-laughs alias bomb, 100k nested brackets) from eating memory,
# time or the interpreter's stack.
MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 50_000


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message names the file and the step."""


@dataclass(frozen=True)
class CallStep:
    """One boto3 call: `service.operation` with params, acting as `account` in `region`."""

    index: int
    service: str
    operation: str
    params: Dict[str, Any]
    save: Optional[str] = None
    account: Optional[str] = None
    region: Optional[str] = None
    expect_error: Optional[str] = None


@dataclass
class Scenario:
    """A loaded, validated scenario."""

    name: str
    title: str
    story: str
    path: str
    region: str = "us-east-1"
    seed: int = 42
    setup: List[CallStep] = field(default_factory=list)
    warm: List[Dict[str, Any]] = field(default_factory=list)
    changes: List[CallStep] = field(default_factory=list)
    sim: Dict[str, Any] = field(default_factory=dict)
    symptom: Dict[str, Any] = field(default_factory=dict)
    expect: Dict[str, Any] = field(default_factory=dict)

    @property
    def expected_root_causes(self) -> List[str]:
        return list(self.expect.get("root_causes") or [])


_SESSION_LOCK = threading.Lock()


@lru_cache(maxsize=None)
def _operations(service: str) -> Dict[str, str]:
    """python_name -> OperationName for a botocore service, or {} when the service is unknown."""
    from botocore import xform_name
    from botocore.exceptions import UnknownServiceError

    try:
        with _SESSION_LOCK:  # a botocore session is not documented thread-safe; the lab builds in a thread
            model = _model_session().get_service_model(service)
    except UnknownServiceError:
        return {}
    return {xform_name(op): op for op in model.operation_names}


def _model_session() -> Any:
    # One session for every service's operation names (an ALB scenario names seven); its loader is
    # the process's shared one, so the models parsed here serve the lab's clients too.
    from ..aws.botocore_loader import model_session

    return model_session()


def _parse_steps(path: str, section: str, raw: Any, saved: set) -> List[CallStep]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ScenarioError(f"{path}: '{section}' must be a list of calls")
    steps = []
    for i, item in enumerate(raw, 1):
        where = f"{path}: {section} step {i}"
        if not isinstance(item, dict) or "call" not in item:
            raise ScenarioError(f"{where}: each step needs 'call: service.operation'")
        unknown = set(item) - STEP_KEYS
        if unknown:
            raise ScenarioError(f"{where}: unknown keys {', '.join(sorted(unknown))} (allowed: {', '.join(sorted(STEP_KEYS))})")
        call = str(item["call"])
        if call.count(".") != 1:
            raise ScenarioError(f"{where}: call must look like 's3.put_bucket_policy' (got {call!r})")
        service, operation = call.split(".")
        if _operations(service) and service not in LAB_SERVICES:
            raise ScenarioError(f"{where}: {refusal(service)}")
        if operation in REFUSED_OPERATIONS.get(service, ()):
            raise ScenarioError(f"{where}: the lab serves {service} for its configuration only: "
                                f"'{operation}' would run code or call an integration")
        ops = _operations(service)
        if not ops:
            raise ScenarioError(f"{where}: unknown AWS service '{service}'")
        if operation not in ops:
            close = [o for o in ops if o.split("_")[-1] == operation.split("_")[-1]][:3]
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise ScenarioError(f"{where}: '{service}' has no operation '{operation}'{hint}")
        params = item.get("params") or {}
        if not isinstance(params, dict):
            raise ScenarioError(f"{where}: params must be a mapping")
        for ref in _references(params):
            if ref[0] not in saved and ref[0] not in ("account", "region", "edge"):
                raise ScenarioError(f"{where}: ${{{ref[0]}{ref[1]}}} refers to '{ref[0]}', which no earlier step saves")
        if item.get("save"):
            saved.add(str(item["save"]))
        steps.append(CallStep(i, service, operation, params, item.get("save"), _opt_str(item.get("account")),
                              item.get("region"), item.get("expect_error")))
    return steps


def _references(value: Any) -> List[tuple]:
    """Every ${name.path} reference in a step's params, keys and values at any depth, in the file's
    order, as (name, path) pairs; numbers, dates and bytes hold none. (This walked a YAML dump of
    the params before: a third of the time all built-in scenarios took to load.)"""
    found: List[tuple] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.extend(_REF.findall(item))
        elif isinstance(item, dict):
            stack.extend(reversed([part for pair in item.items() for part in pair]))
        elif isinstance(item, list):
            stack.extend(reversed(item))
    return found


def _opt_str(value: Any) -> Optional[str]:
    return None if value is None else str(value)


def _check_keys(path: str, name: str, raw: Any, allowed: set) -> Dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ScenarioError(f"{path}: '{name}' must be a mapping")
    unknown = set(raw) - allowed
    if unknown:
        raise ScenarioError(f"{path}: unknown keys in '{name}': {', '.join(sorted(unknown))} "
                            f"(allowed: {', '.join(sorted(allowed))})")
    return raw


def load_scenario(ref: str) -> Scenario:
    """Load a built-in scenario by name, or any scenario file by path."""
    path = Path(ref)
    if not path.suffix:
        path = BUILTIN_DIR / f"{ref}.yaml"
        if not path.exists():
            names = ", ".join(s.name for s in builtin_scenarios())
            raise ScenarioError(f"no built-in scenario '{ref}'. Built-in: {names}. Or give a path to a .yaml file.")
    spath = str(path)
    try:
        raw = _bounded_load(_read_bounded(path, spath))
    except ScenarioError:
        raise
    except _TooBig as exc:
        raise ScenarioError(f"{spath}: {exc}; a scenario is a short YAML file (see docs/scenarios.md)") from None
    except RecursionError:  # the composer recurses per level; MAX_DEPTH should stop it first
        raise ScenarioError(f"{spath}: nested too deeply; a scenario is a short YAML file") from None
    except (yaml.YAMLError, UnicodeDecodeError, ValueError) as exc:
        # ValueError: PyYAML resolves "2024-13-45" as a date and then fails to build it.
        raise ScenarioError(f"{spath}: cannot read it as YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ScenarioError(f"{spath}: a scenario is a mapping (name, title, setup, symptom...)")
    odd = [k for k in raw if not isinstance(k, str)]
    if odd:
        raise ScenarioError(f"{spath}: top-level key {odd[0]!r} is not text (YAML reads yes/no/on/off and numbers "
                            "as other types: quote it)")
    unknown = set(raw) - TOP_KEYS
    if unknown:
        raise ScenarioError(f"{spath}: unknown top-level keys {', '.join(sorted(unknown))} "
                            f"(allowed: {', '.join(sorted(TOP_KEYS))})")
    for key in ("name", "title", "setup", "symptom"):
        if key not in raw:
            raise ScenarioError(f"{spath}: missing '{key}'")
    saved: set = set()
    setup = _parse_steps(spath, "setup", raw.get("setup"), saved)
    changes = _parse_steps(spath, "changes", raw.get("changes"), saved)
    symptom = _check_keys(spath, "symptom", raw.get("symptom"), SYMPTOM_KEYS)
    if "url" not in symptom:
        raise ScenarioError(f"{spath}: symptom needs 'url'")
    for key in ("url", "page", "origin"):
        _check_symptom_url(spath, key, symptom.get(key))
    warm = raw.get("warm") or []
    if not isinstance(warm, list) or not all(isinstance(w, dict) and "url" in w for w in warm):
        raise ScenarioError(f"{spath}: 'warm' must be a list of requests, each with 'url' (and optional 'headers')")
    return Scenario(
        name=str(raw["name"]),
        title=str(raw["title"]),
        story=str(raw.get("story") or "").strip(),
        path=spath,
        region=str(raw.get("region") or "us-east-1"),
        seed=_seed(spath, raw.get("seed")),
        setup=setup,
        warm=warm,
        changes=changes,
        sim=_check_keys(spath, "sim", raw.get("sim"), SIM_KEYS),
        symptom=symptom,
        expect=_check_keys(spath, "expect", raw.get("expect"), EXPECT_KEYS),
    )


def _check_symptom_url(path: str, key: str, value: Any) -> None:
    """A symptom URL must be a full http(s) URL once its ${...} references are filled in; checked
    here so a typo fails at once, not after the lab has spent seconds starting."""
    if value is None:
        return
    text = _REF.sub("x", value) if isinstance(value, str) else ""
    try:
        parts = urlsplit(text)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        ok = False
    if not ok:
        raise ScenarioError(f"{path}: symptom {key} must be a full URL such as https://app.example.com/ "
                            f"(got {value!r})")


class _TooBig(ValueError):
    """A scenario file past one of the reading bounds (size, nesting, alias expansion)."""


def _read_bounded(path: Path, spath: str) -> str:
    """The file's text, refusing anything that is not a regular file (a FIFO or /dev/zero would
    never end) and anything past MAX_BYTES."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it changes nothing for a regular file.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise ScenarioError(f"{spath}: no such file") from None
    except OSError as exc:
        raise ScenarioError(f"{spath}: cannot open it ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise ScenarioError(f"{spath}: not a regular file; give the path of a scenario .yaml file")
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _TooBig(f"larger than {MAX_BYTES // 1024} KiB")
    return data.decode("utf-8")


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's pure-Python safe loader with a nesting limit (its composer recurses once per level);
    used only where PyYAML was built without libyaml."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _TooBig(f"nested more than {MAX_DEPTH} levels deep")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_CLoader = getattr(yaml, "CSafeLoader", None) if getattr(yaml, "__with_libyaml__", False) else None
_OPENS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSES = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _check_depth(text: str) -> None:
    """_TooBig when the document nests deeper than MAX_DEPTH, read from libyaml's event stream.

    libyaml's parser keeps its nesting on a heap stack, but the composer that builds the node tree
    from its events recurses once per level in C, where no RecursionError stops it: the depth is
    measured on the events before anything is composed."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_CLoader):
            if isinstance(event, _OPENS):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _TooBig(f"nested more than {MAX_DEPTH} levels deep")
            elif isinstance(event, _CLOSES):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        # libyaml's scanner reads a run of `[` or `{` ahead of the parser and stops at its own
        # bound (1,000 levels) before the parser emits the 65th level's event.
        if "maximum nesting depth" in str(exc.problem):
            raise _TooBig(f"nested more than {MAX_DEPTH} levels deep") from None
        raise


def _bounded_load(text: str) -> Any:
    """yaml.safe_load, refusing documents nested too deep or whose aliases expand too far.

    Aliases are cheap to parse (they share one node) but every later walk of the data (the
    reference check, the builder's resolve(), json.dumps) expands them: `a: &a [x,x,...]`,
    `b: &b [*a,*a,...]`, ... nine levels deep is a billion values. The node graph is measured, as
    it would expand, before any Python object is built from it.

    With libyaml (PyYAML's usual build) the file is scanned and composed in C, a quarter of the
    pure-Python loader's time (`edgewiz lab list` reads all 115 built-in scenarios): the nesting
    bound is checked on the event stream first (_check_depth).
    """
    if _CLoader is not None:
        _check_depth(text)
        loader = _CLoader(text)
    else:
        loader = _BoundedLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _expanded_size(node, 1, {}, set())
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _expanded_size(node: yaml.Node, depth: int, memo: Dict[int, tuple], active: set) -> int:
    """How many nodes `node` stands for once aliases are expanded; _TooBig past the bounds.
    Memoised per node, so a shared node is measured once however often it is referenced."""
    if depth > MAX_DEPTH:
        raise _TooBig(f"nested more than {MAX_DEPTH} levels deep once its aliases are expanded")
    key = id(node)
    if key in memo:
        size, height = memo[key]
        if depth + height > MAX_DEPTH:
            raise _TooBig(f"nested more than {MAX_DEPTH} levels deep once its aliases are expanded")
        return size
    if key in active:
        raise _TooBig("an alias refers to the node that contains it")
    active.add(key)
    if isinstance(node, yaml.MappingNode):
        children = [part for pair in node.value for part in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    else:
        children = []
    size, height = 1, 0
    for child in children:
        size += _expanded_size(child, depth + 1, memo, active)
        height = max(height, memo[id(child)][1] + 1)
        if size > MAX_NODES:
            raise _TooBig(f"expands to more than {MAX_NODES} values (YAML aliases)")
    active.discard(key)
    memo[key] = (size, height)
    return size


def _seed(path: str, value: Any) -> int:
    if value is None:
        return 42
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScenarioError(f"{path}: seed must be a whole number (got {value!r})")
    return value


def builtin_scenarios() -> List[Scenario]:
    """Every built-in scenario, by name."""
    return [load_scenario(str(p)) for p in sorted(BUILTIN_DIR.glob("*.yaml"))]


def resolve(value: Any, variables: Dict[str, Any]) -> Any:
    """Replace ${name.Path.To.Field} references. A string that is exactly one reference keeps the
    referenced value's type (a dict stays a dict); references inside text are interpolated."""
    if isinstance(value, dict):
        return {k: resolve(v, variables) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, variables) for v in value]
    if not isinstance(value, str):
        return value
    whole = _REF.fullmatch(value)
    if whole:
        return _lookup(whole.group(1), whole.group(2), variables)
    return _REF.sub(lambda m: str(_lookup(m.group(1), m.group(2), variables)), value)


def _lookup(name: str, path: str, variables: Dict[str, Any]) -> Any:
    if name not in variables:
        raise ScenarioError(f"${{{name}{path}}}: nothing was saved as '{name}'")
    current = variables[name]
    for part in filter(None, path.split(".")):
        if isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        elif isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, str) and part == "host" and urlsplit(current).hostname:
            current = urlsplit(current).hostname  # ${url.FunctionUrl.host}: a URL's host name
        else:
            raise ScenarioError(f"${{{name}{path}}}: '{part}' is not in the saved response")
    return current

"""Property tests of the two loaders that read files people write: whatever a flow or scenario file
holds (mangled YAML, wrong types, stray bytes), loading yields a result or the loader's own clear
error (FlowError / ScenarioError, naming the file), never a crash.

The crashes these properties found are kept as deterministic tests at the end.
"""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wizard.engine.errors import FlowError
from wizard.engine.flow import Flow, load_flow
from wizard.lab.scenario import Scenario, ScenarioError, load_scenario
from wizard.playbooks import flows_dir, vocabulary

VOCAB = vocabulary()
EDGE_FLOW = yaml.safe_load((flows_dir() / "edge.yaml").read_text(encoding="utf-8"))
# Every section and step key a scenario may have, with few AWS calls: the loader reads botocore's
# service models for each step, which costs up to 0.3 s a service.
SCENARIO = {
    "name": "mini", "title": "every key once", "story": "a story", "region": "us-east-1", "seed": 7,
    "setup": [
        {"call": "cloudfront.create_origin_access_control", "save": "oac", "params": {
            "OriginAccessControlConfig": {"Name": "o", "SigningProtocol": "sigv4", "SigningBehavior": "always",
                                          "OriginAccessControlOriginType": "s3"}}},
        {"call": "sts.get_caller_identity", "params": {"Note": "${oac.OriginAccessControl.Id}"}},
    ],
    "warm": [{"url": "https://d111111abcdef8.cloudfront.net/a.js", "headers": {"Origin": "https://app.example.com"}}],
    "changes": [{"call": "sts.get_caller_identity", "account": "111122223333", "region": "eu-west-1",
                 "expect_error": "AccessDenied"}],
    "sim": {"pages": {"https://app.example.com/": "<html></html>"}, "viewer": {"country": "JP"},
            "clock": "2024-01-01T00:00:00Z", "origin_latency_ms": 5},
    "symptom": {"url": "https://d111111abcdef8.cloudfront.net/a.js", "origin": "https://app.example.com",
                "page": "https://app.example.com/", "complaint": "403"},
    "expect": {"root_causes": ["s3.object-missing"], "also": [], "healthy": False},
}
WORK = Path(tempfile.mkdtemp(prefix="edgewiz-props-"))
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Any value YAML can hold: scalars of every type it constructs (dates included), lists, mappings.
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20),
                    st.dates(), st.datetimes(), st.sampled_from(["yes", "no", "on", "~", "", "${nothing.saved}",
                                                                 "s3.put_object", "http.viewer", "verdict"]))


def _values(keys):
    return st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)), max_leaves=12)


values = _values(st.text(max_size=8) | st.integers() | st.booleans())
text_keyed_values = _values(st.text(max_size=8))  # see test_a_scenario_key_that_is_not_text_is_a_scenario_error
utf8 = st.text(max_size=200) | st.binary(max_size=200).filter(lambda b: _decodes(b))  # see *_invalid_utf8_*


def _decodes(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _write(name: str, data) -> Path:
    path = WORK / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    elif isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _mutate(doc, path, value):
    """A deep copy of `doc` with the value at `path` (a tuple of keys/indexes) replaced."""
    out = copy.deepcopy(doc)
    target = out
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return out


def _paths(doc, prefix=()):
    """Every key path in a YAML document."""
    items = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else ()
    for key, value in items:
        yield prefix + (key,)
        yield from _paths(value, prefix + (key,))


FLOW_PATHS = sorted(_paths(EDGE_FLOW), key=repr)
SCENARIO_PATHS = sorted(_paths(SCENARIO), key=repr)
_NODE_LINKS = ("next", "default", "suggest")  # see test_a_flow_link_that_is_a_list_is_a_flow_error


def _flow_loads_or_says_why(path: Path) -> None:
    try:
        assert isinstance(load_flow(path, VOCAB), Flow)
    except FlowError as exc:
        assert str(path) in str(exc)


def _scenario_loads_or_says_why(path: Path) -> None:
    try:
        assert isinstance(load_scenario(str(path)), Scenario)
    except ScenarioError as exc:
        assert str(path) in str(exc)


@SETTINGS
@given(where=st.sampled_from(FLOW_PATHS), value=values)
def test_a_flow_with_any_value_anywhere_loads_or_raises_flow_error(where, value):
    """The real playbook with one value replaced by anything: a Flow, or a FlowError naming the file."""
    _flow_loads_or_says_why(_write("flow.yaml", _mutate(EDGE_FLOW, where, value)))


@SETTINGS
@given(doc=values)
def test_any_yaml_document_as_a_flow_loads_or_raises_flow_error(doc):
    """Any YAML document at all: a FlowError naming the file, never another exception."""
    _flow_loads_or_says_why(_write("flow.yaml", doc))


@SETTINGS
@given(raw=utf8)
def test_any_text_as_a_flow_loads_or_raises_flow_error(raw):
    """Arbitrary text (stray tabs, half a document, odd tags): a FlowError, never a crash."""
    _flow_loads_or_says_why(_write("flow.yaml", raw))


@settings(SETTINGS, max_examples=60)
@given(where=st.sampled_from(SCENARIO_PATHS), value=text_keyed_values)
def test_a_scenario_with_any_value_anywhere_loads_or_raises_scenario_error(where, value):
    """A scenario with one value replaced by anything: a Scenario, or a ScenarioError naming the file."""
    # see test_a_scenario_seed_that_is_not_a_number_is_a_scenario_error
    _scenario_loads_or_says_why(_write("scenario.yaml", _mutate(SCENARIO, where, value)))


@settings(SETTINGS, max_examples=60)
@given(doc=text_keyed_values)
def test_any_yaml_document_as_a_scenario_loads_or_raises_scenario_error(doc):
    """Any YAML document at all: a ScenarioError naming the file, never another exception."""
    _scenario_loads_or_says_why(_write("scenario.yaml", doc))


@settings(SETTINGS, max_examples=60)
@given(raw=utf8)
def test_any_text_as_a_scenario_loads_or_raises_scenario_error(raw):
    """Arbitrary text: a ScenarioError, never a crash."""
    _scenario_loads_or_says_why(_write("scenario.yaml", raw))


def test_the_unmutated_documents_load():
    """The control: the documents the mutations start from load, so a mutation is what breaks them."""
    assert isinstance(load_flow(_write("flow.yaml", EDGE_FLOW), VOCAB), Flow)
    assert isinstance(load_scenario(str(_write("scenario.yaml", SCENARIO))), Scenario)


# Crashes the properties found (minimal examples from hypothesis), in files this suite does not own.

def test_a_flow_link_that_is_a_list_is_a_flow_error():
    """`next: [None]` on a node is a FlowError, not a TypeError."""
    path = _write("flow.yaml", _mutate(EDGE_FLOW, ("nodes", "alb_checks", "next"), [None]))
    with pytest.raises(FlowError):
        load_flow(path, VOCAB)


def test_a_flow_file_with_invalid_utf8_is_a_flow_error():
    """A flow file that is not UTF-8 is a FlowError."""
    with pytest.raises(FlowError):
        load_flow(_write("flow.yaml", b"\x80"), VOCAB)


def test_a_scenario_file_with_invalid_utf8_is_a_scenario_error():
    """A scenario file that is not UTF-8 is a ScenarioError."""
    with pytest.raises(ScenarioError):
        load_scenario(str(_write("scenario.yaml", b"\x80")))


def test_a_scenario_key_that_is_not_text_is_a_scenario_error():
    """`{0: null}` as a scenario is a ScenarioError naming the odd key, not a TypeError."""
    with pytest.raises(ScenarioError):
        load_scenario(str(_write("scenario.yaml", {0: None})))


def test_a_scenario_seed_that_is_not_a_number_is_a_scenario_error():
    """`seed: abc` is a ScenarioError that names the seed."""
    with pytest.raises(ScenarioError):
        load_scenario(str(_write("scenario.yaml", _mutate(SCENARIO, ("seed",), "abc"))))


INVALID_DATE = "2024-13-45"  # PyYAML's timestamp resolver matches it, then datetime.date() raises ValueError


def test_a_flow_with_an_impossible_date_is_a_flow_error():
    """A node title that looks like an impossible date is a FlowError, not a ValueError."""
    text = yaml.safe_dump(EDGE_FLOW).replace("title: Verdict", f"title: {INVALID_DATE}")
    with pytest.raises(FlowError):
        load_flow(_write("flow.yaml", text), VOCAB)


def test_a_scenario_with_an_impossible_date_is_a_scenario_error():
    """A scenario title that looks like an impossible date is a ScenarioError, not a ValueError."""
    text = yaml.safe_dump(SCENARIO).replace("title: every key once", f"title: {INVALID_DATE}")
    with pytest.raises(ScenarioError):
        load_scenario(str(_write("scenario.yaml", text)))

"""Reading scenario files. Files nested too deep are refused with the reading bound's message, whichever YAML
engine reads them: libyaml (PyYAML's usual build; its composer recurses in C, so the depth is
checked on its event stream first) or the pure-Python loader PyYAML falls back to without it.
test_bad_input.py runs the flow-style case (100,000 `[`) through the real command line. A step's
${name} references are checked against the names earlier steps save, wherever in its params."""

from __future__ import annotations

import pytest
import yaml

from wizard.lab import scenario
from wizard.lab.scenario import BUILTIN_DIR, MAX_DEPTH, ScenarioError, load_scenario

ENGINES = ["libyaml", "python"]


@pytest.fixture(params=ENGINES)
def engine(request, monkeypatch):
    if request.param == "libyaml":
        if not getattr(yaml, "__with_libyaml__", False):
            pytest.skip("PyYAML built without libyaml")
        monkeypatch.setattr(scenario, "_CLoader", yaml.CSafeLoader)
    else:
        monkeypatch.setattr(scenario, "_CLoader", None)
    return request.param


def _write(tmp_path, text: str) -> str:
    path = tmp_path / "deep.yaml"
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 5_000])
def test_block_nesting_past_the_bound_is_refused(engine, tmp_path, levels):
    """`- - - ... a` (block sequences, no brackets: libyaml's own 1,000-level cap is not what stops it)."""
    path = _write(tmp_path, "name: deep\ntitle: deep\nsetup:\n  " + "- " * levels + "a\n")
    with pytest.raises(ScenarioError, match=f"nested more than {MAX_DEPTH} levels deep"):
        load_scenario(path)


def test_flow_nesting_past_the_bound_is_refused(engine, tmp_path):
    path = _write(tmp_path, "name: deep\ntitle: deep\nsetup: " + "{a: " * 100_000 + "\n")
    with pytest.raises(ScenarioError, match=f"nested more than {MAX_DEPTH} levels deep"):
        load_scenario(path)


def test_nesting_within_the_bound_is_read(engine, tmp_path):
    """Nesting just inside the bound (the top mapping, 62 lists and a scalar) is read: the error is
    about the scenario's content, not its depth."""
    path = _write(tmp_path, "name: deep\ntitle: deep\nsymptom: {url: 'https://example.com/'}\nsetup:\n  "
                  + "- " * (MAX_DEPTH - 2) + "a\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert "nested more than" not in str(err.value) and "each step needs 'call" in str(err.value)


def test_both_engines_read_every_built_in_scenario_alike(monkeypatch):
    """The same data from libyaml and the pure-Python loader for every built-in file."""
    if not getattr(yaml, "__with_libyaml__", False):
        pytest.skip("PyYAML built without libyaml")
    texts = [path.read_text(encoding="utf-8") for path in sorted(BUILTIN_DIR.glob("*.yaml"))]
    monkeypatch.setattr(scenario, "_CLoader", yaml.CSafeLoader)
    fast = [scenario._bounded_load(text) for text in texts]
    monkeypatch.setattr(scenario, "_CLoader", None)
    slow = [scenario._bounded_load(text) for text in texts]
    assert len(texts) > 100 and fast == slow


def _refs_scenario(tmp_path, params: str) -> str:
    path = tmp_path / "refs.yaml"
    path.write_text("name: refs\ntitle: refs\nsymptom: {url: 'https://example.com/'}\nsetup:\n"
                    "  - call: s3.create_bucket\n    params: {Bucket: b}\n    save: bucket\n"
                    f"  - call: s3.put_bucket_tagging\n    params: {params}\n")
    return str(path)


@pytest.mark.parametrize("params", [
    "{Bucket: '${nothing}'}",
    "{Bucket: b, Tagging: {TagSet: [{Key: k, Value: 'x-${nothing.Location}-y'}]}}",
    "{Bucket: b, Tagging: {TagSet: [{'${nothing}': v}]}}",
])
def test_a_reference_to_a_name_no_earlier_step_saves_is_refused(tmp_path, params):
    """Found in a value, deep inside lists and mappings, inside text, or in a key."""
    with pytest.raises(ScenarioError, match=r"setup step 2: \$\{nothing[.A-Za-z]*\} refers to 'nothing', "
                                            "which no earlier step saves"):
        load_scenario(_refs_scenario(tmp_path, params))


def test_references_to_saved_names_and_the_lab_s_own_are_accepted(tmp_path):
    params = "{Bucket: '${bucket.Location}', Tagging: {TagSet: [{Key: '${account}', Value: '${region}-${edge}'}]}}"
    steps = load_scenario(_refs_scenario(tmp_path, params)).setup
    assert steps[1].params["Tagging"]["TagSet"][0] == {"Key": "${account}", "Value": "${region}-${edge}"}

"""A finding is declared once, in the catalogue: every entry names the hop it blocks, every id a
check declares has an entry, and every entry is raised by some check. Each gap fails at load,
naming the file and the finding."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from wizard.checks import CHECKS
from wizard.engine.catalog import BLOCKS, PATH_HOPS, load_catalog
from wizard.engine.errors import FlowError
from wizard.playbooks import flows_dir, load

MINI = """
findings:
  x.refused:
    layer: cloudfront
    severity: root-cause
    order: 20
    blocks: viewer->distribution
    title: "refused"
    why: "because"
    fix: "fix it"
    docs: https://example.com/refused
  x.note:
    layer: logs
    severity: info
    order: 90
    blocks: none
    title: "a note"
    why: "for information"
    fix: "nothing"
    docs: https://example.com/note
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "findings.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def test_each_entry_carries_its_hop(tmp_path):
    catalog = load_catalog(write(tmp_path, MINI))
    assert catalog.specs["x.refused"].blocks == "viewer->distribution"
    assert catalog.hops() == {"x.refused": ("viewer", "distribution"), "x.note": None}


@pytest.mark.parametrize("change, finding, words", [
    (("    blocks: viewer->distribution\n", ""), "x.refused", "missing blocks"),
    (("blocks: viewer->distribution", "blocks: viewer->origin"), "x.refused", "blocks must be one of"),
    (("blocks: viewer->distribution", "blocks: none"), "x.refused", "a root-cause finding must block a hop"),
    (("blocks: none", "blocks: origin->bucket"), "x.note", "an info finding blocks nothing"),
    (("blocks: viewer->distribution", "blocks: network"), "x.refused", "'blocks: network' goes with 'layer: network'"),
])
def test_a_missing_or_wrong_hop_fails_at_load_naming_file_and_finding(tmp_path, change, finding, words):
    path = write(tmp_path, MINI.replace(*change))
    with pytest.raises(FlowError) as caught:
        load_catalog(path)
    assert str(path) in str(caught.value) and f"'{finding}'" in str(caught.value)
    assert words in str(caught.value)


def test_a_declared_id_without_an_entry_fails(tmp_path):
    catalog = load_catalog(write(tmp_path, MINI))
    with pytest.raises(FlowError, match=r"check 'edge.sloppy' may raise 'x.typo', which has no entry"):
        catalog.check_declarations({"edge.one": ("x.refused", "x.note"), "edge.sloppy": ("x.typo",)})


def test_an_entry_no_check_raises_fails(tmp_path):
    """Prose that nothing can raise is a typo'd id or a removed check: refused, naming the entry."""
    path = write(tmp_path, MINI)
    catalog = load_catalog(path)
    with pytest.raises(FlowError) as caught:
        catalog.check_declarations({"edge.one": ("x.refused",)})
    assert str(path) in str(caught.value) and "'x.note'" in str(caught.value)
    assert "no check declares this finding" in str(caught.value)


def test_the_shipped_catalogue_and_checks_agree():
    """Every shipped entry has a hop, and the checks declare exactly the catalogue's ids."""
    catalog = load().catalog
    declared = {fid for _, ids in CHECKS.values() for fid in ids}
    assert declared == set(catalog.ids())
    assert {spec.blocks for spec in catalog.specs.values()} <= set(BLOCKS)
    for spec in catalog.specs.values():
        assert (spec.blocks == "none") == (spec.severity == "info"), spec.id


def test_playbooks_refuse_to_load_a_catalogue_entry_without_its_hop(tmp_path):
    """The whole load (flows + catalogue) stops on the first entry without `blocks`."""
    flows = tmp_path / "flows"
    shutil.copytree(flows_dir(), flows)
    path = flows / "findings.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "  cf.geo-blocked:\n"
    head, tail = text.split(marker, 1)
    tail = tail.replace("    blocks: viewer->distribution\n", "", 1)
    path.write_text(head + marker + tail, encoding="utf-8")
    with pytest.raises(FlowError) as caught:
        load(str(flows))
    assert "findings.yaml" in str(caught.value) and "'cf.geo-blocked'" in str(caught.value)
    assert "missing blocks" in str(caught.value)


def test_every_path_hop_name_is_a_pair_of_picture_nodes():
    assert all(len(pair) == 2 and "->".join(pair) == name for name, pair in PATH_HOPS.items())

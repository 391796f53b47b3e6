"""A refused HeadObject on a bucket with more keys than any listing page is never read as "the object
is missing" (issue 10 item 2): existence is asked of exactly that key (ListObjectsV2 Prefix=<key>),
so it is answered for any bucket size, and what could not be read is unknown, not a finding.

Reproduces the reported false verdict in the lab under enforced IAM: the `edgewiz iam-policy`
actions minus s3:GetObject, and 2,100 keys that sort before the requested one in its folder.
"""

from __future__ import annotations

import pytest

from tests.shared_lab import shared_aws_server
from wizard.aws.iam_policy import policy_actions
from wizard.lab.lab import Lab
from wizard.lab.scenario import load_scenario

from .iam_mode import iam_enforced
from .test_denied import EXPECTED, SCENARIO, _diagnose

BUCKET = "rails-assets-stg"
FILLER = 2100  # more than the 2,000 keys the folder listing used to stop at


def _fill(lab) -> None:
    """The scenario's setup, padded: 2,100 keys written straight into the lab's moto S3 backend (the lab
    server runs in this process), since 2,100 PutObject round trips cost half a minute on a busy
    machine and test nothing; every read edgewiz makes of them still goes over HTTP."""
    from moto.s3.models import s3_backends

    backend = s3_backends[lab.aws.default_account]["aws"]
    for i in range(FILLER):
        backend.put_object(BUCKET, f"assets/a-{i:05d}.js", b"x")


@pytest.fixture(scope="module")
def large_bucket():
    """The OAC-wrong-distribution scenario (the object exists), its folder padded past 2,000 keys,
    diagnosed by a caller without s3:GetObject (HeadObject refused) and by one with the full policy."""
    lab = Lab(load_scenario(SCENARIO), aws_server=shared_aws_server())
    env = lab.start()
    try:
        _fill(lab)
        with iam_enforced(lab) as iam:
            no_get = iam.user("oncall-no-get-object", [a for a in policy_actions() if a != "s3:GetObject"])
            full = iam.user("oncall-full", policy_actions())
            runs = {"no-get-object": _diagnose(env, no_get), "full": _diagnose(env, full)}
    finally:
        lab.stop()
    return runs


@pytest.mark.lab
def test_a_refused_head_on_a_large_bucket_is_not_a_missing_object(large_bucket):
    """HeadObject refused, 2,100 keys before the requested one: the object is found to exist, and no
    s3.object-missing root cause is claimed (it was, with complete: true, before)."""
    run = large_bucket["no-get-object"]
    assert run.probe("aws.object").status == "ok"
    assert run.probe("aws.object").data["exists"] is True
    ids = {f.id for f in run.diagnosis.findings}
    assert "s3.object-missing" not in ids and "s3.object-key-case" not in ids
    assert {f.id for f in run.diagnosis.root_causes} <= set(EXPECTED)


@pytest.mark.lab
def test_the_refused_reads_are_unknown_and_the_report_incomplete(large_bucket):
    """What s3:GetObject would have shown (the object's encryption) is listed as unknown, naming the
    action, and the report does not claim to be complete."""
    run = large_bucket["no-get-object"]
    assert run.json["complete"] is False
    assert any("s3:GetObject" in u["reason"] for u in run.json["unknowns"])


@pytest.mark.lab
def test_the_full_policy_still_finds_the_real_fault_on_a_large_bucket(large_bucket):
    """The control: with every read allowed, the padded bucket changes nothing."""
    run = large_bucket["full"]
    assert [p.name for p in run.diagnosis.probes if p.status == "denied"] == []
    assert [f.id for f in run.diagnosis.root_causes] == EXPECTED

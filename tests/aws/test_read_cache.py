"""A read asked twice in one diagnosis is sent once (the per-diagnosis read cache), counted as
saved; a new diagnosis (a re-check after a fix) reads afresh. Requests are counted where they
leave the process: a botocore `before-send` hook on the real lab's AWS API server."""

from __future__ import annotations

import collections

import pytest
from botocore.exceptions import ClientError

from tests.shared_lab import shared_aws_server
from wizard.aws.session import AwsAccess
from wizard.diagnose import diagnose
from wizard.http.client import HttpProber
from wizard.lab.lab import Lab
from wizard.lab.scenario import load_scenario
from wizard.lab.services import LAB_SERVICES
from wizard.playbooks import load
from wizard.probes.runner import ProbeRunner
from wizard.report import json_report


@pytest.fixture(scope="module")
def lab():
    with Lab(load_scenario("alb-504-ghost-sg-reference"), aws_server=shared_aws_server()) as env:
        yield env


def _access(env) -> AwsAccess:
    return AwsAccess(region=env.region, endpoint_url=env.aws_endpoint, credentials=env.credentials)


def _count_sent(access: AwsAccess, service: str, sent: collections.Counter):
    client = access.client(service)

    def on_send(request=None, **_kwargs):
        body = request.body or b""
        sent[(request.method, request.url, body if isinstance(body, bytes) else str(body).encode())] += 1

    client.meta.events.register("before-send", on_send, unique_id=f"test-count-{id(sent)}")
    return client


def test_the_same_read_twice_is_sent_once_and_counted_as_saved(lab):
    access, sent = _access(lab), collections.Counter()
    ec2 = _count_sent(access, "ec2", sent)
    first = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": ["vpc-none"]}])
    first["SecurityGroups"].append("changed by the caller")  # a caller's change does not leak
    again = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": ["vpc-none"]}])
    other = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": ["vpc-other"]}])
    assert sum(sent.values()) == 2  # the repeat was not sent; other parameters were
    assert again["SecurityGroups"] == other["SecurityGroups"] == []
    assert access.calls_saved == 1
    assert access.call_count == 2  # aws_calls counts what was sent


def test_a_lasting_error_is_answered_again_without_sending(lab):
    access, sent = _access(lab), collections.Counter()
    s3 = _count_sent(access, "s3", sent)
    for _ in range(2):
        with pytest.raises(ClientError) as caught:
            s3.get_bucket_policy(Bucket="edgewiz-no-such-bucket-anywhere")
        assert caught.value.response["Error"]["Code"] == "NoSuchBucket"
    assert sum(sent.values()) == 1


def test_a_new_diagnosis_reads_afresh(lab):
    access, sent = _access(lab), collections.Counter()
    sts = _count_sent(access, "sts", sent)
    sts.get_caller_identity()
    access.fresh_reads()  # what a re-check's new walk does
    sts.get_caller_identity()
    assert sum(sent.values()) == 2


def test_a_diagnosis_sends_no_read_twice_and_reports_what_it_saved(lab):
    access = _access(lab)
    sent = collections.Counter()
    for service in LAB_SERVICES:  # every service a diagnosis may read (a new probe's acm included)
        _count_sent(access, service, sent)
    runner = ProbeRunner(access, HttpProber(connect_to={"*": lab.edge_address}))
    try:
        diagnosis = diagnose(load(), lab.symptom, runner)
    finally:
        runner.close()
    assert [f.id for f in diagnosis.root_causes] == ["sg.target-ingress-stale-reference"]
    assert {key[:2]: n for key, n in sent.items() if n > 1} == {}
    assert diagnosis.aws_calls_saved > 0  # the ECS scan and the ALB inventory both list the clusters
    assert diagnosis.aws_calls == sum(sent.values())
    report = json_report.as_dict(diagnosis)  # what `edgewiz diagnose --json` prints
    assert (report["aws_calls"], report["aws_calls_saved"]) == (diagnosis.aws_calls, diagnosis.aws_calls_saved)

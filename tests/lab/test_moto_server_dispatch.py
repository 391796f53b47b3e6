"""moto_patches.server_dispatch: the lab server dispatches each request without listing moto's package
folder again (moto 5.2.5 scanned ~180 folder entries per request, under its one dispatch lock)."""

from __future__ import annotations

import os

import pytest

pytestmark = pytest.mark.lab


def test_requests_are_dispatched_without_reading_the_disk(lab_aws, name, monkeypatch):
    # The list is read once, by whichever request comes first; moto's own model loading for a
    # service (its first request) lists folders too, once.
    lab_aws.client("s3").list_buckets()
    lab_aws.client("ec2").describe_vpcs()
    scans = []
    real_listdir = os.listdir

    def counting_listdir(path="."):
        scans.append(str(path))
        return real_listdir(path)

    monkeypatch.setattr(os, "listdir", counting_listdir)
    lab_aws.client("s3").create_bucket(Bucket=name)
    lab_aws.client("ec2").describe_vpcs()
    assert name in [b["Name"] for b in lab_aws.client("s3").list_buckets()["Buckets"]]
    moto_folder = os.path.dirname(__import__("moto").__file__)
    assert moto_folder not in scans

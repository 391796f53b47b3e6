"""An HTTP API (API Gateway v2) origin behind a behavior that forwards the viewer's Host: the root cause
is cf.host-header-forwarded, and its evidence names the HTTP API and the 403 an HTTP API answers."""

from __future__ import annotations

import pytest

from wizard.lab.scenario import load_scenario


@pytest.mark.lab
def test_the_forwarded_host_root_cause_names_the_http_api(lab_runs):
    """The finding says which API refused the Host: the regional HTTP API by name, id and region, and
    the 403 an HTTP API answers."""
    diagnosis = lab_runs(load_scenario("apigw-v2-403-host-header-forwarded")).diagnosis
    (finding,) = diagnosis.root_causes
    assert finding.id == "cf.host-header-forwarded"
    text = "\n".join(finding.evidence)
    assert "regional HTTP API orders-http-api" in text
    assert '403 {"message":"Forbidden"}' in text and "ForbiddenException" not in text

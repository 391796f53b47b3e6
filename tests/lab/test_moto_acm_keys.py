"""moto_patches.acm_keys: the keys of the certificates a lab announces are made in the background (on
the pool's thread, never in the RequestCertificate request), and every certificate still gets its
own fresh RSA-2048 key. Runs in a new process: it counts every RSA key generation from the start."""

from __future__ import annotations

import textwrap

import pytest

from tests.lab.fresh_process import run_fresh

pytestmark = pytest.mark.lab


SCRIPT = textwrap.dedent("""
    import json, threading
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import rsa
    made_on = []
    original = rsa.generate_private_key

    def recording(public_exponent, key_size, backend=None):
        made_on.append(threading.current_thread().name)
        return original(public_exponent=public_exponent, key_size=key_size)

    rsa.generate_private_key = recording  # before the lab's patches, so every generation passes here
    from wizard.lab import moto_patches
    from wizard.lab.aws_server import start_aws_server
    server = start_aws_server()
    try:
        moto_patches.prepare_certificate_keys(2)  # what Lab.start announces for two certificates
        acm = server.client("acm")
        arns = [acm.request_certificate(DomainName=name, SubjectAlternativeNames=[name])["CertificateArn"]
                for name in ("www.example.com", "api.example.com", "extra.example.com")]
        keys, names, algorithms = [], [], []
        for arn in arns:
            pem = acm.get_certificate(CertificateArn=arn)["Certificate"]
            cert = x509.load_pem_x509_certificate(pem.encode())
            keys.append(cert.public_key().public_numbers().n)
            names.append(cert.subject.rfc4514_string())
            algorithms.append(acm.describe_certificate(CertificateArn=arn)["Certificate"]["KeyAlgorithm"])
        print(json.dumps({"made_on": made_on, "distinct_keys": len(set(keys)), "names": names,
                          "algorithms": algorithms, "bits": sorted({n.bit_length() for n in keys})}))
    finally:
        server.stop()
""")


def test_announced_certificate_keys_are_made_off_the_request_and_each_certificate_has_its_own():
    result = run_fresh(SCRIPT)
    # Two keys announced: made by the pool's thread; the third certificate's key is made in its request.
    assert result["made_on"][:2] == ["edgewiz-acm-keys", "edgewiz-acm-keys"]
    assert len(result["made_on"]) == 3 and result["made_on"][2] != "edgewiz-acm-keys"
    assert result["distinct_keys"] == 3
    assert result["bits"] == [2048]
    assert result["algorithms"] == ["RSA_2048"] * 3
    assert [n.split("CN=")[1].split(",")[0] for n in result["names"]] == [
        "www.example.com", "api.example.com", "extra.example.com"]

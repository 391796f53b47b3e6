"""Provides the lab's canonical user ids: one stable id per account and per CloudFront OAI.

Real S3 gives every account a 64-hex canonical user id and every origin access identity a
96-hex one (the `S3CanonicalUserId` that CloudFront returns). AWS derives them in a way nobody
outside can reproduce, so the lab derives them from a hash: the same account always gets the
same id, in every run, which keeps fixtures and expected outputs stable.
"""

from __future__ import annotations

import hashlib

DEFAULT_ACCOUNT_ID = "123456789012"  # moto's default account (moto.core.DEFAULT_ACCOUNT_ID)


def canonical_id_for_account(account_id: str) -> str:
    """The 64-hex S3 canonical user id of an account (deterministic)."""
    return hashlib.sha256(f"edgewiz-lab/canonical-user/{account_id}".encode()).hexdigest()


def oai_canonical_id(oai_id: str) -> str:
    """The 96-hex S3 canonical user id of a CloudFront origin access identity (deterministic).

    OAI canonical ids are longer than account ids on real AWS (96 vs 64 hex characters), so
    a bucket ACL grant to an OAI never looks like a grant to an account.
    """
    return hashlib.sha384(f"edgewiz-lab/cloudfront-oai/{oai_id}".encode()).hexdigest()

"""Provides LabView: the simulator's reads of the lab's AWS state (through the AWS API, like
anyone else), with "not configured" answers turned into None."""

from __future__ import annotations

import copy
import json
import threading
from contextlib import contextmanager
from typing import Any, Dict, Iterator, List, Optional

from botocore.exceptions import ClientError

from ..identity import canonical_id_for_account


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


# Reads that one simulated request may repeat (the route's DNS, the ALB's network path hop by hop, a
# policy per behavior) of state the simulator never writes while answering. Target health is not
# here: the simulator's own health check sets it during a request.
_ONCE_PER_REQUEST = frozenset({
    ("route53", "list_hosted_zones"), ("route53", "list_resource_record_sets"),
    ("cloudfront", "get_cache_policy"), ("cloudfront", "get_origin_request_policy"),
    ("cloudfront", "get_response_headers_policy"), ("acm", "describe_certificate"),
    ("ec2", "describe_network_acls"), ("ec2", "describe_network_interfaces"), ("ec2", "describe_subnets"),
    ("ec2", "describe_security_groups"), ("ec2", "describe_managed_prefix_lists"),
    ("ec2", "get_managed_prefix_list_entries"), ("elbv2", "describe_load_balancers"),
    ("elbv2", "describe_listeners"), ("elbv2", "describe_rules"), ("elbv2", "describe_target_groups"),
    ("elbv2", "describe_listener_certificates"),
})


class _OncePerRequest:
    """A client whose reads in _ONCE_PER_REQUEST are sent once per simulated request: a repeat gets a
    copy of the first answer (each lab read is a round trip through moto, ~5 ms; the first request
    of an ALB story repeated a dozen). Anything else goes to the client as it is."""

    def __init__(self, client: Any, service: str, answers: Dict[Any, Any]) -> None:
        self._client = client
        self._service = service
        self._answers = answers

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._client, name)
        if (self._service, name) not in _ONCE_PER_REQUEST:
            return attr

        def read(**params: Any) -> Any:
            key = (self._client.meta.region_name, self._service, name, json.dumps(params, sort_keys=True, default=str))
            if key not in self._answers:
                self._answers[key] = attr(**params)  # an error is not kept: a repeat asks again
            return copy.deepcopy(self._answers[key])

        return read


class LabView:
    """Reads state as the scenario's main account (moto lets it read every account's buckets)."""

    def __init__(self, client_for, region: str = "us-east-1", accounts=()) -> None:
        self._client_for = client_for
        self.region = region
        self.accounts = list(accounts)  # the scenario's other accounts (`account:` in its steps)
        self._request = threading.local()

    @contextmanager
    def one_request(self) -> Iterator[None]:
        """While one simulated request is answered (on this thread), repeated reads of unchanging
        state are sent once (see _ONCE_PER_REQUEST)."""
        self._request.answers = {}
        try:
            yield
        finally:
            self._request.answers = None

    def client(self, service: str, region: Optional[str] = None):
        client = self._client_for(service, None, region or self.region)
        answers = getattr(self._request, "answers", None)
        return client if answers is None else _OncePerRequest(client, service, answers)

    def _maybe(self, fn, *missing_codes, **kwargs):
        try:
            return fn(**kwargs)
        except ClientError as exc:
            if _code(exc) in missing_codes or not missing_codes:
                return None
            raise

    # CloudFront ------------------------------------------------------------------------------
    def distributions(self) -> List[Dict[str, Any]]:
        page = self.client("cloudfront", "us-east-1").list_distributions()
        return (page.get("DistributionList") or {}).get("Items") or []

    def distribution_config(self, dist_id: str) -> Dict[str, Any]:
        return self.client("cloudfront", "us-east-1").get_distribution_config(Id=dist_id)["DistributionConfig"]

    def oai(self, oai_id: str) -> Optional[Dict[str, Any]]:
        got = self._maybe(self.client("cloudfront", "us-east-1").get_cloud_front_origin_access_identity,
                          "NoSuchCloudFrontOriginAccessIdentity", Id=oai_id)
        return got and got["CloudFrontOriginAccessIdentity"]

    def policy(self, kind: str, policy_id: str) -> Optional[Dict[str, Any]]:
        cf = self.client("cloudfront", "us-east-1")
        fn = {"origin_request": cf.get_origin_request_policy, "cache": cf.get_cache_policy,
              "response_headers": cf.get_response_headers_policy}[kind]
        got = self._maybe(fn, Id=policy_id)
        return got and next(v for k, v in got.items() if k.endswith("Policy"))

    def dns_target(self, host: str) -> Optional[str]:
        """Where DNS sends `host`, as Route 53 answers: the most specific zone holding the name (at a
        label boundary), its record of that exact name, else the closest wildcard record above it."""
        r53 = self.client("route53", "us-east-1")
        name = host.rstrip(".").lower() + "."
        zones = [z for z in r53.list_hosted_zones().get("HostedZones") or []
                 if name == z["Name"].lower() or name.endswith("." + z["Name"].lower())]
        for zone in sorted(zones, key=lambda z: -len(z["Name"])):
            records: Dict[str, List[Dict[str, Any]]] = {}
            for record in r53.list_resource_record_sets(HostedZoneId=zone["Id"]).get("ResourceRecordSets") or []:
                records.setdefault(record["Name"].lower().replace("\\052", "*"), []).append(record)
            labels = name.split(".")
            candidates = [name] + ["*." + ".".join(labels[i:]) for i in range(1, len(labels) - 1)]
            for candidate in candidates:
                for record in records.get(candidate, []):
                    alias = (record.get("AliasTarget") or {}).get("DNSName")
                    values = [alias] if alias else [r["Value"] for r in record.get("ResourceRecords") or []]
                    if values:
                        return values[0].rstrip(".").lower()
            return None
        return None

    # S3 ----------------------------------------------------------------------------------------
    def bucket_exists(self, bucket: str) -> bool:
        return self._maybe(self.client("s3").head_bucket, "404", "NoSuchBucket", "403", Bucket=bucket) is not None

    def bucket_policy(self, bucket: str) -> Optional[str]:
        # S3 itself always knows the policy; the lab's S3, like AWS, answers GetBucketPolicy only to the
        # owner's account, so another account's bucket is read as that account.
        owner = self.bucket_account(bucket, self.accounts) if self.accounts else None
        s3 = self._client_for("s3", owner, self.region) if owner else self.client("s3")
        got = self._maybe(s3.get_bucket_policy, "NoSuchBucketPolicy", Bucket=bucket)
        return got and got["Policy"]

    def cors_rules(self, bucket: str) -> Optional[List[Dict[str, Any]]]:
        got = self._maybe(self.client("s3").get_bucket_cors, "NoSuchCORSConfiguration", Bucket=bucket)
        return got and got["CORSRules"]

    def head(self, bucket: str, key: str) -> Optional[Dict[str, Any]]:
        return self._maybe(self.client("s3").head_object, "404", "NoSuchKey", Bucket=bucket, Key=key)

    def body(self, bucket: str, key: str) -> bytes:
        return self.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()

    def object_acl(self, bucket: str, key: str) -> Optional[Dict[str, Any]]:
        return self._maybe(self.client("s3").get_object_acl, "NoSuchKey", "404", Bucket=bucket, Key=key)

    def bucket_owner(self, bucket: str) -> Optional[str]:
        return self.client("s3").get_bucket_acl(Bucket=bucket)["Owner"].get("ID")

    def ownership(self, bucket: str) -> Optional[str]:
        got = self._maybe(self.client("s3").get_bucket_ownership_controls, "OwnershipControlsNotFoundError",
                          Bucket=bucket)
        return got and got["OwnershipControls"]["Rules"][0]["ObjectOwnership"]

    def public_access_block(self, bucket: str, account: Optional[str]) -> Dict[str, bool]:
        merged: Dict[str, bool] = {}
        got = self._maybe(self.client("s3").get_public_access_block, "NoSuchPublicAccessBlockConfiguration",
                          Bucket=bucket)
        for cfg in filter(None, [got and got["PublicAccessBlockConfiguration"], self._account_pab(account)]):
            for k, v in cfg.items():
                merged[k] = merged.get(k, False) or bool(v)
        return merged

    def _account_pab(self, account: Optional[str]) -> Optional[Dict[str, Any]]:
        if not account:
            return None
        got = self._maybe(self.client("s3control").get_public_access_block,
                          "NoSuchPublicAccessBlockConfiguration", AccountId=account)
        return got and got["PublicAccessBlockConfiguration"]

    def request_payer(self, bucket: str) -> str:
        return self.client("s3").get_bucket_request_payment(Bucket=bucket).get("Payer", "BucketOwner")

    def website_index(self, bucket: str) -> Optional[str]:
        got = self._website(bucket)
        return got and (got.get("IndexDocument") or {}).get("Suffix")

    def website_error_document(self, bucket: str) -> Optional[str]:
        got = self._website(bucket)
        return got and (got.get("ErrorDocument") or {}).get("Key")

    def _website(self, bucket: str) -> Optional[Dict[str, Any]]:
        return self._maybe(self.client("s3").get_bucket_website, "NoSuchWebsiteConfiguration", Bucket=bucket)

    def key_policy(self, key_id: str) -> Optional[str]:
        region = key_id.split(":")[3] if key_id.startswith("arn:") else None
        got = self._maybe(self.client("kms", region).get_key_policy, KeyId=key_id, PolicyName="default")
        return got and got["Policy"]

    def organization(self) -> Optional[Dict[str, Any]]:
        """The organization the scenario's account belongs to (Id, MasterAccountId), or None."""
        got = self._maybe(self.client("organizations", "us-east-1").describe_organization)
        return got and got["Organization"]

    def bucket_account(self, bucket: str, candidates: List[str]) -> Optional[str]:
        """Which of `candidates` owns the bucket: the lab gives each account one canonical id."""
        owner = self.bucket_owner(bucket)
        return next((a for a in candidates if canonical_id_for_account(a) == owner), None)

    def org_accounts(self, management: str) -> List[str]:
        org = self._client_for("organizations", management, "us-east-1")
        return [a["Id"] for page in org.get_paginator("list_accounts").paginate() for a in page.get("Accounts") or []]

    def policy_documents(self, account: str, policy_type: str) -> List[Dict[str, Any]]:
        """The customer policies of `policy_type` that apply to `account`: its own and those of every OU
        and root above it, read as the management account (which sees them all)."""
        organization = self.organization()
        if not organization:
            return []
        org = self._client_for("organizations", organization["MasterAccountId"], "us-east-1")
        targets, current = [account], account
        try:
            for _ in range(6):  # OUs nest at most five deep under the root
                parents = org.list_parents(ChildId=current).get("Parents") or []
                if not parents:
                    break
                current = parents[0]["Id"]
                targets.append(current)
        except ClientError:
            pass  # the account is unknown to the organization: only its own policies
        docs, seen = [], set()
        for target in targets:
            try:
                policies = org.list_policies_for_target(TargetId=target, Filter=policy_type)["Policies"]
            except ClientError:
                continue
            for p in policies:
                if p.get("AwsManaged") or p["Id"] in seen:
                    continue
                seen.add(p["Id"])
                docs.append(json.loads(org.describe_policy(PolicyId=p["Id"])["Policy"]["Content"]))
        return docs

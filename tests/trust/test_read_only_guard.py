"""The read-only guard refuses every AWS call edgewiz does not declare before a byte leaves the process:
a counting HTTP listener on 127.0.0.1 stands in for AWS and sees nothing. The guard is an exact
allowlist, so reads that hand out secrets or credentials (named Get*, Check*) are refused too."""

from __future__ import annotations

import botocore.session
import pytest

from wizard.aws.errors import explain
from wizard.aws.guard import WriteRefused, allowed_for, is_allowed
from wizard.aws.session import AwsAccess
from wizard.probes.specs import COMMAND_READS, PROBES, declared_operations

from .servers import Reply, ScriptedServer

# One real botocore operation per mutating verb family, with parameters that pass validation.
WRITES = [
    ("s3", "put_bucket_policy", {"Bucket": "b", "Policy": "{}"}),
    ("s3", "put_object", {"Bucket": "b", "Key": "k", "Body": b"x"}),
    ("s3", "delete_object", {"Bucket": "b", "Key": "k"}),
    ("s3", "copy_object", {"Bucket": "b", "Key": "k", "CopySource": "b/j"}),
    ("s3", "restore_object", {"Bucket": "b", "Key": "k"}),
    ("cloudfront", "create_invalidation", {"DistributionId": "E1", "InvalidationBatch": {
        "Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": "x"}}),
    ("cloudfront", "update_distribution", {"Id": "E1", "IfMatch": "x", "DistributionConfig": {
        "CallerReference": "x", "Comment": "", "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{"Id": "o", "DomainName": "o.example.com"}]},
        "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "allow-all"}}}),
    ("cloudfront", "tag_resource", {"Resource": "arn:aws:cloudfront::123456789012:distribution/E1",
                                    "Tags": {"Items": [{"Key": "k", "Value": "v"}]}}),
    ("cloudfront", "associate_alias", {"TargetDistributionId": "E1", "Alias": "a.example.com"}),
    ("ec2", "authorize_security_group_ingress", {"GroupId": "sg-1", "IpPermissions": []}),
    ("ec2", "revoke_security_group_ingress", {"GroupId": "sg-1", "IpPermissions": []}),
    ("ec2", "modify_instance_attribute", {"InstanceId": "i-1", "SourceDestCheck": {"Value": False}}),
    ("ec2", "start_instances", {"InstanceIds": ["i-1"]}),
    ("ec2", "stop_instances", {"InstanceIds": ["i-1"]}),
    ("ec2", "terminate_instances", {"InstanceIds": ["i-1"]}),
    ("ec2", "reboot_instances", {"InstanceIds": ["i-1"]}),
    ("ec2", "replace_network_acl_entry", {"NetworkAclId": "acl-1", "RuleNumber": 1, "Protocol": "-1",
                                          "RuleAction": "allow", "Egress": False, "CidrBlock": "0.0.0.0/0"}),
    ("ec2", "create_tags", {"Resources": ["sg-1"], "Tags": [{"Key": "k", "Value": "v"}]}),
    ("ec2", "run_instances", {"ImageId": "ami-1", "MinCount": 1, "MaxCount": 1}),
    ("ecs", "update_service", {"cluster": "c", "service": "s", "desiredCount": 0}),
    ("ecs", "run_task", {"taskDefinition": "t"}),
    ("ecs", "register_task_definition", {"family": "f", "containerDefinitions": []}),
    ("elbv2", "modify_listener", {"ListenerArn": "arn:aws:elasticloadbalancing:us-east-1:1:listener/app/a/1/2"}),
    ("elbv2", "deregister_targets", {"TargetGroupArn": "arn:tg", "Targets": [{"Id": "i-1"}]}),
    ("elbv2", "set_security_groups", {"LoadBalancerArn": "arn:lb", "SecurityGroups": ["sg-1"]}),
    ("elbv2", "add_tags", {"ResourceArns": ["arn:lb"], "Tags": [{"Key": "k"}]}),
    ("wafv2", "associate_web_acl", {"WebACLArn": "arn:aws:wafv2:us-east-1:1:regional/webacl/a/1",
                                          "ResourceArn": "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/a/1"}),
    ("iam", "attach_role_policy", {"RoleName": "r", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
    ("iam", "detach_role_policy", {"RoleName": "r", "PolicyArn": "arn:aws:iam::1:policy/readonly"}),
    ("iam", "create_access_key", {}),
    ("kms", "schedule_key_deletion", {"KeyId": "k"}),
    ("kms", "disable_key", {"KeyId": "k"}),
    ("kms", "enable_key", {"KeyId": "k"}),
    ("route53", "change_resource_record_sets", {"HostedZoneId": "Z1", "ChangeBatch": {"Changes": [
        {"Action": "DELETE", "ResourceRecordSet": {"Name": "a.", "Type": "A"}}]}}),
    ("sts", "assume_role", {"RoleArn": "arn:aws:iam::1:role/admin", "RoleSessionName": "oncall"}),
    ("lambda", "invoke", {"FunctionName": "f"}),
    ("sns", "publish", {"TopicArn": "arn:aws:sns:us-east-1:1:t", "Message": "m"}),
    ("organizations", "detach_policy", {"PolicyId": "p-12345678", "TargetId": "123456789012"}),
]
IDS = [f"{service}.{method}" for service, method, _ in WRITES]

STS_OK = Reply(200, [("Content-Type", "text/xml")], (
    b'<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/x</Arn>'
    b'<UserId>X</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>'))


@pytest.fixture(scope="module")
def listener():
    """A stand-in for AWS that answers a read and counts every request."""
    server = ScriptedServer(lambda _seen: STS_OK).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def access(listener):
    """Guarded clients pointed at the listener (built once: a client costs ~100 ms)."""
    return AwsAccess(region="us-east-1", endpoint_url=listener.url,
                     credentials={"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"})


def test_a_read_reaches_the_listener(listener, access):
    """The control: a read goes out and is answered, so a silent listener below means nothing was sent."""
    before = len(listener.requests)
    assert access.client("sts").get_caller_identity()["Account"] == "123456789012"
    assert len(listener.requests) == before + 1


@pytest.mark.parametrize("service, method, params", WRITES, ids=IDS)
def test_a_write_is_refused_before_it_is_sent(listener, access, service, method, params):
    """Each mutating verb family is refused in the process: the listener never sees a request."""
    client = access.client(service)
    before = len(listener.requests)
    with pytest.raises(WriteRefused) as refused:
        getattr(client, method)(**params)
    assert len(listener.requests) == before
    operation = client.meta.method_to_api_mapping[method]
    assert refused.value.operation == operation
    assert "never changes your AWS resources" in str(refused.value)


# Operations whose names read like reads but hand out secrets or credentials, or change state: a
# name-prefix guard (Get*, Check*) let every one of them reach the server.
SECRET_READS = [
    ("sts", "get_session_token", {}),
    ("sts", "get_federation_token", {"Name": "oncall"}),
    ("secretsmanager", "get_secret_value", {"SecretId": "prod/db"}),
    ("ssm", "get_parameter", {"Name": "/prod/db/password", "WithDecryption": True}),
    ("ec2", "get_password_data", {"InstanceId": "i-0123456789abcdef0"}),
    ("ecr", "get_authorization_token", {}),
    ("redshift", "get_cluster_credentials", {"DbUser": "admin", "ClusterIdentifier": "prod"}),
    ("cognito-identity", "get_id", {"IdentityPoolId": "us-east-1:11111111-2222-3333-4444-555555555555"}),
    ("license-manager", "checkout_license", {"ProductSKU": "sku", "CheckoutType": "PROVISIONAL",
                                             "KeyFingerprint": "aws:294406891311:AWS/Marketplace:issuer-fingerprint",
                                             "Entitlements": [{"Name": "e", "Unit": "Count"}], "ClientToken": "t"}),
    ("lambda", "checkpoint_durable_execution", {"DurableExecutionArn": "arn:aws:lambda:us-east-1:1:function:f",
                                                "CheckpointToken": "t"}),
]


@pytest.mark.parametrize("service, method, params", SECRET_READS, ids=[f"{s}.{m}" for s, m, _ in SECRET_READS])
def test_a_read_like_name_that_is_not_declared_is_refused(listener, access, service, method, params):
    """Get*/Check* operations edgewiz does not declare never reach the listener."""
    client = access.client(service)
    before = len(listener.requests)
    with pytest.raises(WriteRefused):
        getattr(client, method)(**params)
    assert len(listener.requests) == before


def test_the_guard_allows_exactly_the_declared_operations():
    """Per service, the guard lets through the declared operations, spelled as botocore spells them,
    and nothing else: a misspelt entry (TestDnsAnswer for TestDNSAnswer) would show up here."""
    session = botocore.session.get_session()
    declared = declared_operations()
    for service in sorted({svc for svc, _ in declared}):
        model = session.get_service_model(service)
        wanted = {op for svc, op in declared if svc == service}
        assert allowed_for(model) == wanted, f"not in botocore's {service} model: {wanted - set(model.operation_names)}"


EMPTY = Reply(200, [("Content-Type", "text/xml")], b"<Empty/>")


def test_the_commands_send_only_what_they_declare(scripted):
    """`sg-refs` and `logs s3://` code paths send only their COMMAND_READS (nothing refused, nothing undeclared)."""
    from wizard.aws.log_bucket import LogObjectLines
    from wizard.aws.network import collect_sg_references

    server = scripted(lambda _seen: EMPTY)
    for command, run in (("sg-refs", lambda a: collect_sg_references(a, "sg-0123456789abcdef0")),
                         ("logs", lambda a: list(LogObjectLines(a, "logs-bucket", "cf/", 1024, None, None, 100, None)))):
        access = AwsAccess(region="us-east-1", endpoint_url=server.url,
                           credentials={"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"})
        result = run(access)
        sent = {f"{service}:{operation}" for service, operation in access.calls}
        assert sent and sent <= set(COMMAND_READS[command]), command
        assert "refused to send" not in repr(result)


def test_a_refused_write_becomes_a_plain_error():
    """A refused write, if a probe ever tried one, is reported as an error that says it was refused."""
    failure = explain(WriteRefused("s3", "PutBucketPolicy"), "s3", "PutBucketPolicy")
    assert failure.status == "error" and failure.code == "WriteRefused"
    assert "refused to send s3:PutBucketPolicy" in failure.message


MUTATING_VERBS = ("Put", "Create", "Delete", "Update", "Attach", "Detach", "Authorize", "Revoke", "Start",
                  "Stop", "Modify", "Run", "Terminate", "Reboot", "Associate", "Disassociate", "Register",
                  "Deregister", "Set", "Add", "Remove", "Tag", "Untag", "Enable", "Disable", "Invoke",
                  "Publish", "Send", "Copy", "Restore", "Replace", "Import", "Upload", "Reset", "Schedule",
                  "Cancel", "Assume", "Generate", "Rotate", "Reject", "Accept", "Apply", "Purge", "Release",
                  "Allocate", "Assign", "Unassign", "Complete", "Abort", "Execute", "Batch")
SERVICES = sorted({op.split(":")[0] for spec in PROBES.values() for op in spec.operations} | {"iam", "logs"})


@pytest.mark.parametrize("service", SERVICES)
def test_no_mutating_operation_passes_the_guard(service):
    """Across every operation of every service edgewiz reads, none named with a mutating verb is allowed."""
    model = botocore.session.get_session().get_service_model(service)
    passed = [op for op in model.operation_names if op.startswith(MUTATING_VERBS) and is_allowed(service, op)]
    assert passed == []


def test_the_training_checks_own_reads_are_declared_reads(scripted):
    """`edgewiz train check` reads the bucket's exposure besides the diagnosis: only declared reads, none refused."""
    from wizard.aws.bucket_exposure import bucket_exposure

    server = scripted(lambda _seen: EMPTY)
    access = AwsAccess(region="us-east-1", endpoint_url=server.url,
                       credentials={"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"})
    result = bucket_exposure(access, "assets-bucket")
    assert {op for _svc, op in access.calls} == {"GetBucketPolicy", "GetBucketAcl", "GetPublicAccessBlock",
                                                 "GetBucketCors"}
    assert set(access.calls) <= declared_operations()
    assert "refused to send" not in repr(result)

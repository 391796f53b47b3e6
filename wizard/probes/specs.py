"""Provides the probe catalogue as plain data: each probe's name, what it needs first, the AWS
operations it may send, and the manual route when it cannot run (the command to look by hand).

Pure: the flow loader validates against these names without importing boto3 or httpx, and
`edgewiz iam-policy` derives the least-privilege policy from the operations listed here. The same
operations (plus COMMAND_READS, the reads commands make outside probes) are the read-only guard's
exact allowlist: the guard, the policy and the probes cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Dict, FrozenSet, Tuple


@dataclass(frozen=True)
class ProbeSpec:
    """One probe, described."""

    name: str
    title: str
    needs: Tuple[str, ...] = ()
    operations: Tuple[str, ...] = ()  # botocore "service:Operation" names
    manual: str = ""  # how to look by hand when the probe is denied


def _spec(name, title, needs=(), operations=(), manual=""):
    return name, ProbeSpec(name, title, tuple(needs), tuple(operations), manual)


PROBES: Dict[str, ProbeSpec] = dict([
    _spec("http.viewer", "Request the URL as the browser does", manual="curl -sI '{url}'"),
    _spec("http.viewer_with_origin", "Request it again with the page's Origin header",
          manual="curl -sI -H 'Origin: {page_origin}' '{url}'"),
    _spec("http.preflight", "Send the CORS preflight (OPTIONS)",
          manual="curl -si -X OPTIONS -H 'Origin: {page_origin}' -H 'Access-Control-Request-Method: GET' '{url}'"),
    _spec("page.assets", "Read the page's HTML: which hosts does it load assets from?",
          manual="curl -s '{page_url}' | grep -Eo '(src|href)=\"[^\"]+\"'"),
    _spec("aws.identity", "Who am I in AWS?", operations=("sts:GetCallerIdentity",),
          manual="aws sts get-caller-identity"),
    _spec("aws.distribution", "Find the CloudFront distribution that serves the host",
          operations=("cloudfront:ListDistributions", "cloudfront:GetDistributionConfig",
                      "route53:ListHostedZones", "route53:ListResourceRecordSets"),
          manual="aws cloudfront list-distributions --query \"DistributionList.Items[?contains(to_string(Aliases.Items), '{host}') || DomainName=='{host}'].[Id,DomainName]\""),
    _spec("aws.ecs_env", "Look for the asset host in the ECS task definitions' environment",
          needs=("aws.distribution",),
          operations=("ecs:ListClusters", "ecs:ListServices", "ecs:DescribeServices", "ecs:DescribeTaskDefinition",
                      "elbv2:DescribeLoadBalancers", "elbv2:DescribeTargetGroups",
                      "route53:ListHostedZones", "route53:ListResourceRecordSets"),
          manual="aws ecs describe-task-definition --task-definition <family> --query 'taskDefinition.containerDefinitions[].environment'"),
    _spec("aws.waf", "Read the distribution's WAF web ACL and its sampled requests",
          needs=("aws.distribution",),
          operations=("wafv2:GetWebACL", "wafv2:GetSampledRequests"),
          manual="aws wafv2 get-web-acl --scope CLOUDFRONT --region us-east-1 --name <name> --id <id>"),
    _spec("aws.origin_access", "Read the origin's access control (OAC) or identity (OAI)",
          needs=("aws.distribution",),
          operations=("cloudfront:GetOriginAccessControl", "cloudfront:GetCloudFrontOriginAccessIdentity"),
          manual="aws cloudfront get-origin-access-control --id <oac-id>"),
    _spec("aws.origin_policies", "Read the behavior's cache, origin request and response headers policies",
          needs=("aws.distribution",),
          operations=("cloudfront:GetOriginRequestPolicy", "cloudfront:GetCachePolicy",
                      "cloudfront:GetResponseHeadersPolicy"),
          manual="aws cloudfront get-origin-request-policy --id <policy-id>"),
    _spec("aws.edge_functions", "Read the behavior's CloudFront Functions (code) and Lambda@Edge logs",
          needs=("aws.distribution",),
          operations=("cloudfront:DescribeFunction", "cloudfront:GetFunction", "logs:FilterLogEvents"),
          manual="aws cloudfront get-function --name <function> --stage LIVE code.js; "
                 "aws logs filter-log-events --region <edge region> --log-group-name /aws/lambda/us-east-1.<function>"),
    _spec("aws.bucket_policy", "Read the bucket policy", needs=("aws.distribution",),
          operations=("s3:GetBucketPolicy",), manual="aws s3api get-bucket-policy --bucket {bucket}"),
    _spec("aws.bucket_cors", "Read the bucket's CORS configuration", needs=("aws.distribution",),
          operations=("s3:GetBucketCors",), manual="aws s3api get-bucket-cors --bucket {bucket}"),
    _spec("aws.object", "Does the key exist? Which keys are nearest?", needs=("aws.distribution",),
          operations=("s3:HeadObject", "s3:ListObjectsV2"),
          manual="aws s3api head-object --bucket {bucket} --key '{key}'"),
    _spec("aws.object_owner", "Who owns the object and the bucket? Object Ownership?", needs=("aws.distribution",),
          operations=("s3:GetObjectAcl", "s3:GetBucketAcl", "s3:GetBucketOwnershipControls", "s3:ListObjectsV2"),
          manual="aws s3api get-object-acl --bucket {bucket} --key '{key}'"),
    _spec("aws.encryption", "How is the object encrypted; may CloudFront use the KMS key?",
          needs=("aws.distribution", "aws.object"), operations=("s3:HeadObject", "kms:GetKeyPolicy", "kms:DescribeKey",
                                                                "kms:ListAliases"),
          manual="aws s3api head-object --bucket {bucket} --key '{key}' --query '[ServerSideEncryption,SSEKMSKeyId]'"),
    _spec("aws.public_access", "Read Block Public Access (bucket and account)", needs=("aws.distribution",),
          operations=("s3:GetPublicAccessBlock", "s3control:GetPublicAccessBlock"),
          manual="aws s3api get-public-access-block --bucket {bucket}"),
    _spec("aws.request_payment", "Is Requester Pays on?", needs=("aws.distribution",),
          operations=("s3:GetBucketRequestPayment",), manual="aws s3api get-bucket-request-payment --bucket {bucket}"),
    _spec("aws.bucket_website", "Read the bucket's website configuration", needs=("aws.distribution",),
          operations=("s3:GetBucketWebsite",), manual="aws s3api get-bucket-website --bucket {bucket}"),
    _spec("aws.scp", "Read the service control policies that apply to the account", needs=("aws.distribution",),
          operations=("organizations:DescribeOrganization", "organizations:ListPoliciesForTarget",
                      "organizations:DescribePolicy", "organizations:ListParents"),
          manual="aws organizations list-policies-for-target --target-id <account-id> --filter SERVICE_CONTROL_POLICY"),
    _spec("aws.alb_inventory", "Read the load balancer, listeners, targets, security groups and NACLs",
          needs=("aws.distribution",),
          operations=("elbv2:DescribeLoadBalancers", "elbv2:DescribeListeners", "elbv2:DescribeRules",
                      "ec2:GetManagedPrefixListEntries",
                      "elbv2:DescribeTargetGroups", "elbv2:DescribeTargetHealth",
                      "ec2:DescribeSecurityGroups", "ec2:DescribeManagedPrefixLists",
                      "ec2:DescribeNetworkInterfaces", "ec2:DescribeNetworkAcls", "ec2:DescribeSubnets",
                      "ecs:ListClusters", "ecs:ListServices", "ecs:DescribeServices", "ecs:ListTasks",
                      "ecs:DescribeTasks"),
          manual="aws elbv2 describe-load-balancers; aws ec2 describe-security-groups --group-ids <sg>"),
    _spec("aws.alb_metrics", "Read CloudWatch: ALB 504s, failed target connections, unhealthy hosts, CloudFront 5xx rate",
          needs=("aws.distribution",), operations=("cloudwatch:GetMetricData", "elbv2:DescribeLoadBalancers",
                                                   "elbv2:DescribeTargetGroups"),
          manual="aws cloudwatch get-metric-statistics --namespace AWS/ApplicationELB --metric-name HTTPCode_ELB_504_Count "
                 "--dimensions Name=LoadBalancer,Value=app/<name>/<id> --statistics Sum --period 300 "
                 "--start-time <3 hours ago> --end-time <now>"),
    _spec("aws.alb_certificate", "Read the load balancer listener's certificates (default and SNI) from ACM: the names they cover",
          needs=("aws.distribution", "aws.origin_policies"),
          operations=("elbv2:DescribeLoadBalancers", "elbv2:DescribeListeners",
                      "elbv2:DescribeListenerCertificates", "acm:DescribeCertificate"),
          manual="aws elbv2 describe-listener-certificates --listener-arn <listener-arn>; "
                 "aws acm describe-certificate --certificate-arn <listener-certificate-arn> "
                 "--query 'Certificate.[DomainName,SubjectAlternativeNames,Status,NotAfter]'"),
    _spec("http.origin_tls", "Connect to the custom origin as CloudFront does: DNS, port, TLS certificate, first byte",
          needs=("aws.distribution", "aws.origin_policies"),
          manual="openssl s_client -connect <origin-domain>:<port> -servername <origin-domain> </dev/null | "
                 "openssl x509 -noout -subject -issuer -dates -ext subjectAltName"),
    _spec("aws.cloudfront_logs", "Read recent CloudFront access logs from the logging bucket",
          needs=("aws.distribution",), operations=("s3:ListObjectsV2", "s3:GetObject"),
          manual="aws s3 ls s3://<logging-bucket>/<prefix> | tail"),
    # API Gateway and Lambda function URL origins (issue 13 items 5-6).
    _spec("aws.apigw", "Read the API Gateway API behind the origin: endpoint type, stages, resources",
          needs=("aws.distribution",),
          operations=("apigateway:GetRestApi", "apigateway:GetStages", "apigateway:GetResources",
                      "apigatewayv2:GetApi", "apigatewayv2:GetStages"),
          manual="aws apigateway get-stages --rest-api-id <api-id> --region <region>"),
    _spec("aws.lambda_url", "Find the function behind the function URL: its auth type and resource-based policy",
          needs=("aws.distribution",),
          operations=("lambda:ListFunctions", "lambda:GetFunctionUrlConfig", "lambda:GetPolicy"),
          manual="aws lambda get-policy --function-name <function> --region <region>"),
    # EC2 instance origins (issue 13 item 3).
    _spec("aws.origin_host", "Read the EC2 instance behind the origin: its security groups, subnet and network ACL",
          needs=("aws.distribution",),
          operations=("ec2:DescribeInstances", "ec2:DescribeSecurityGroups", "ec2:DescribeManagedPrefixLists",
                      "ec2:GetManagedPrefixListEntries", "ec2:DescribeSubnets", "ec2:DescribeNetworkAcls"),
          manual="aws ec2 describe-instances --filters Name=ip-address,Values=<public-ip>; "
                 "aws ec2 describe-security-groups --group-ids <sg>"),
    # CloudFront VPC origins (issue 13 item 4).
    _spec("aws.vpc_origin", "Read the VPC origin, the private endpoint behind it and its security groups",
          needs=("aws.distribution",),
          operations=("cloudfront:GetVpcOrigin", "elbv2:DescribeLoadBalancers", "ec2:DescribeInstances",
                      "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:GetManagedPrefixListEntries"),
          manual="aws cloudfront get-vpc-origin --id <vpc-origin-id>; aws ec2 describe-security-groups "
                 "--filters Name=group-name,Values=CloudFront-VPCOrigins-Service-SG Name=vpc-id,Values=<vpc>"),
])

# The probes that read one bucket: each may also ask ListBuckets whether the bucket is the caller's
# own, when a read is refused (wizard/probes/ownership.py: another account's bucket, not an IAM gap).
BUCKET_PROBES = ("aws.bucket_policy", "aws.bucket_cors", "aws.object", "aws.object_owner", "aws.encryption",
                 "aws.public_access", "aws.request_payment", "aws.bucket_website")
for _name in BUCKET_PROBES:
    PROBES[_name] = replace(PROBES[_name], operations=PROBES[_name].operations + ("s3:ListBuckets",))

# Reads that commands make outside the probes ("service:Operation", botocore names). Each must also
# be what the command's code sends: tests/trust/test_read_only_guard.py runs each command against a
# listener that counts what reaches it.
COMMAND_READS: Dict[str, Tuple[str, ...]] = {
    # `edgewiz logs s3://bucket/prefix` (wizard/aws/log_bucket.py)
    "logs": ("s3:ListObjectsV2", "s3:GetObject"),
    # `edgewiz sg-refs SG` (wizard/aws/network.py collect_sg_references)
    "sg-refs": ("ec2:DescribeSecurityGroups", "ec2:DescribeNetworkInterfaces", "elbv2:DescribeLoadBalancers",
                "ecs:ListClusters", "ecs:ListServices", "ecs:DescribeServices"),
}


def declared_operations() -> FrozenSet[Tuple[str, str]]:
    """Every (botocore service, Operation) edgewiz may send: the probes' and the commands'."""
    out = set()
    for spec_ops in [spec.operations for spec in PROBES.values()] + list(COMMAND_READS.values()):
        for operation in spec_ops:
            service, _, name = operation.partition(":")
            out.add((service, name))
    return frozenset(out)

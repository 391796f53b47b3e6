"""Provides the network side of the diagnosis: whether CloudFront can reach a load balancer and the
load balancer its targets (security groups, network ACLs, listeners, target health), and what
depends on a security group before it is detached."""

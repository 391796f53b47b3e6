"""Provides what the lab's load balancer model does differently for a Network Load Balancer: a TCP
listener passes CloudFront's bytes through (HTTP or TLS alike), a TLS listener ends TLS itself, and the
NLB keeps the client's address for instance targets (client IP preservation, on by default for them),
so a target sees CloudFront's edge address and its group must admit CloudFront, not only the NLB.
Health checks still come from the NLB's own nodes (alb_network.alb_nodes)."""

from __future__ import annotations

from typing import Any, Mapping

from .alb_network import Endpoint, LabNetwork


def is_nlb(lb: Mapping[str, Any]) -> bool:
    return str(lb.get("Type") or "").lower() == "network"


def listener_protocol(lproto: str, proto: str) -> str:
    """The protocol CloudFront meets on the listener: a TCP listener is whatever CloudFront speaks."""
    if lproto in ("tcp", "tcp_udp"):
        return proto
    return "https" if lproto == "tls" else lproto


def target_source(net: LabNetwork, lb: Mapping[str, Any], tg: Mapping[str, Any], node: Endpoint) -> Endpoint:
    """Who a target sees the connection from: the NLB node, or CloudFront's edge address (still through
    the node's groups and subnet) when the NLB preserves the client's address for instance targets."""
    if not is_nlb(lb) or tg.get("TargetType") != "instance":
        return node
    edge_ip = net.cloudfront_edge_ip()
    return Endpoint(edge_ip, f"CloudFront edge {edge_ip} (through {node.label})", node.group_ids, node.subnet_id)

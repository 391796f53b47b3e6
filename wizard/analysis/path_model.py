"""Provides traffic_graph(): the one graph model of the traffic path that every view draws (terminal text,
Mermaid, JSON, the TUI): the hops (viewer → distribution → behavior → origin → bucket/object, or → load
balancer → listener → target group → targets) plus the security groups and network ACLs that guard them,
as nodes attached to what they guard, and the group references their rules make.

Pure: it reads the hop graph the walk built (edge/path_builder and network/reachability, through their
public outputs) and the network inventory the probe read. It never judges a rule again: a guard is
blocked or unknown only when the hop verdict that decides it names it.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence

from ..model import PathEdge, PathGraph, PathNode

HOP, GUARDS, REFERS = "hop", "guards", "refers"
GUARD_KINDS = ("security-group", "network-acl")

_PORT = re.compile(r"\b(?:tcp|udp)/\d+(?:-\d+)?")


def edge_port(edge: PathEdge) -> str:
    """The port a hop is about, from its destination (`listener:443`) or the rules that decide it."""
    if edge.dst.startswith("listener:"):
        return f":{edge.dst.split(':', 1)[1]}"
    found = list(dict.fromkeys(_PORT.findall(edge.rule or "")))
    return ", ".join(found[:2])


def traffic_graph(path: PathGraph, inventory: Optional[Mapping[str, Any]] = None) -> PathGraph:
    """The path with its guards: a copy of `path` (hop edges get their port) plus, when the network
    `inventory` (the aws.alb_inventory probe's data) was read, a node per security group and network
    ACL on the load balancer and its targets, a `guards` edge to each node it guards, and a `refers`
    edge from a target's or the load balancer's group to each other group its rules name. A referenced
    group that guards nothing the scan can see is a node with no `guards` edge."""
    g = PathGraph([PathNode(n.id, n.kind, n.label, n.status, n.detail) for n in path.nodes],
                  [PathEdge(e.src, e.dst, e.status, e.rule, port=e.port or edge_port(e), kind=e.kind or HOP)
                   for e in path.edges])
    if not inventory or g.node("alb") is None:
        return g
    from .network.network_inventory import inventory_from_dict
    from .network.targets import targets_of

    inv = inventory_from_dict(inventory)
    idx = inv.index()
    verdicts = _verdicts(g.edges)
    lb = idx.load_balancer  # typed (wizard.aws.network_models), like everything the index gives
    guarded: Dict[str, List[str]] = {}  # path node id -> group ids, in the order AWS lists them
    subnets: Dict[str, List[str]] = {}
    if lb:
        guarded["alb"] = list(lb.security_groups)
        subnets["alb"] = list(lb.subnets)
    for tg in idx.target_groups.values():
        for t in targets_of(inv, idx, tg)[0]:
            if g.node(t.node) is not None:
                guarded.setdefault(t.node, list(t.groups))
                subnets.setdefault(t.node, list(t.subnets))
    for nid, gids in guarded.items():
        for gid in gids:
            _group_node(g, idx, gid, verdicts)
            g.add_edge(PathEdge(f"sg:{gid}", nid, _status(gid, verdicts), "", kind=GUARDS))
    for nid, sids in subnets.items():
        for sid in dict.fromkeys(sids):
            acl = idx.acl_for(sid)
            if not acl:
                continue
            aid = str(acl.get("NetworkAclId"))
            g.add_node(PathNode(f"nacl:{aid}", "network-acl", f"{aid} (network ACL)", _status(aid, verdicts),
                                f"subnet {sid}"))
            g.add_edge(PathEdge(f"nacl:{aid}", nid, _status(aid, verdicts), f"subnet {sid}", kind=GUARDS))
    _references(g, idx, guarded, verdicts)
    return g


def _verdicts(edges: Iterable[PathEdge]) -> List[tuple]:
    return [(e.status, e.rule) for e in edges if e.status != "ok" and e.rule]


def _status(ident: str, verdicts: Sequence[tuple]) -> str:
    """blocked (or unknown) when a hop verdict of that status names the group or ACL, else ok."""
    for wanted in ("blocked", "unknown"):
        if any(status == wanted and re.search(rf"\b{re.escape(ident)}\b", rule) for status, rule in verdicts):
            return wanted
    return "ok"


def _group_node(g: PathGraph, idx, gid: str, verdicts: Sequence[tuple]) -> PathNode:
    return g.add_node(PathNode(f"sg:{gid}", "security-group", idx.sg.label(gid), _status(gid, verdicts),
                               idx.where_attached(gid)))


def _references(g: PathGraph, idx, guarded: Mapping[str, List[str]], verdicts: Sequence[tuple]) -> None:
    """Edges for the groups the guards' rules name (the targets' inbound, the load balancer's outbound),
    so a rule that points at a group attached to nothing shows as an arrow to a lone node."""
    for nid, gids in guarded.items():
        direction = "egress" if nid == "alb" else "ingress"
        for gid in gids:
            for rule in idx.sg.rules(gid, direction):
                if rule.peer_kind != "group" or rule.peer == gid:
                    continue  # a group naming itself admits its own members: not a hop of this path
                peer = _group_node(g, idx, rule.peer, verdicts)
                if rule.peer not in idx.sg and not peer.detail:
                    peer.detail = "could not be read"
                status = "blocked" if _status(rule.peer, verdicts) == "blocked" else "ok"
                g.add_edge(PathEdge(f"sg:{gid}", f"sg:{rule.peer}", status, rule.describe(), port=rule.ports,
                                    kind=REFERS))


def unattached(g: PathGraph) -> List[PathNode]:
    """Guard nodes that guard nothing on the path (a group only a rule names)."""
    guarding = {e.src for e in g.edges if e.kind == GUARDS}
    return [n for n in g.nodes if n.kind in GUARD_KINDS and n.id not in guarding]


def graph_of(path: PathGraph, probe_data: Any) -> PathGraph:
    """traffic_graph from a path and `probe_data(name)` (Facts.data, or a Diagnosis's probe lookup)."""
    return traffic_graph(path, probe_data("aws.alb_inventory"))

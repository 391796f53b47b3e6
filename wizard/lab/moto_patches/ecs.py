"""Provides the ECS patch: awsvpc task interfaces get an address inside their subnet.

Left to scenarios (documented workarounds, not patched): each container definition must set
`memory` (moto's run_task raises a TypeError otherwise), and services never start tasks, so a
scenario that needs running tasks calls run_task itself (seed 003).
"""

from __future__ import annotations

from ._common import after_import, wrap

_ECS_DESCRIPTION = "moto ECS"  # how moto's ECS labels the interfaces it creates for awsvpc tasks


def _patch_interfaces(_ecs_models) -> None:
    """awsvpc task interfaces get an IP from their subnet and a private DNS name.

    Replaces: moto's ECS creates the task's ENI with `random_private_ip()` (any 10.x address,
    usually outside the subnet), so the target IP a scenario registers, the ENI's subnet and the
    NACL / route reasoning disagree; and without enableDnsHostnames on the VPC it crashes with
    AttributeError `private_dns_name` (a 500). On AWS the task's address is from its subnet and
    its attachment always carries `privateDnsName` (ip-10-0-1-5.ec2.internal).
    """
    from moto.ec2.models import elastic_network_interfaces as enis
    from moto.ec2.utils import generate_dns_from_ip

    def make(original):
        def create_network_interface(self, subnet, private_ip_address, *args, **kwargs):
            if kwargs.get("description") == _ECS_DESCRIPTION:
                private_ip_address = None  # moto then draws it from the subnet's CIDR
            eni = original(self, subnet, private_ip_address, *args, **kwargs)
            if kwargs.get("description") == _ECS_DESCRIPTION and not getattr(eni, "private_dns_name", None):
                eni.private_dns_name = generate_dns_from_ip(eni.private_ip_address)
            return eni
        return create_network_interface

    wrap(enis.NetworkInterfaceBackend, "create_network_interface", make)


def apply() -> None:
    """Apply the ECS patch (idempotent), as soon as moto loads moto.ecs.models."""
    after_import("moto.ecs.models", _patch_interfaces)

"""Provides the read-only guard: every AWS operation is checked before it is signed and sent.

The guard is an exact allowlist: the (service, operation) pairs the probe specs and the commands
declare (wizard/probes/specs.py, the same source `edgewiz iam-policy` is derived from), so the
guard, the policy and the probes cannot disagree. A name-prefix rule ("anything called Get*") let
sts:GetSessionToken, secretsmanager:GetSecretValue and ec2:GetPasswordData through; an allowlist
does not. Declared names are resolved against botocore's service model, so a misspelt entry
(TestDnsAnswer for TestDNSAnswer) allows nothing and the tests name it.

The guard works at the botocore event level (`before-call`, which fires before the request is
built, signed or sent), so no code path, including one a future probe adds, can send an
undeclared call: it is refused before it leaves the process. The lab's own scenario builder uses
separate, unguarded clients.
"""

from __future__ import annotations

from typing import Dict, FrozenSet, Iterable, Optional, Tuple

# Operations outside the read-only allowlist that one explicit opt-in enables, for the one client
# built for it (never for the shared clients a diagnosis uses). `logs --athena-run` is the only one:
# Athena writes each query's results to the S3 location the user names.
OPT_INS: Dict[str, FrozenSet[Tuple[str, str]]] = {
    "athena-run": frozenset({("athena", "StartQueryExecution"), ("athena", "GetQueryExecution"),
                             ("athena", "GetQueryResults")}),
}


class WriteRefused(RuntimeError):
    """Raised when code tries to send an AWS operation that is not a declared read."""

    def __init__(self, service: str, operation: str) -> None:
        super().__init__(
            f"edgewiz refused to send {service}:{operation}: it is not one of the read-only operations edgewiz "
            "declares. edgewiz never changes your AWS resources; the fix is shown for you to apply."
        )
        self.service = service
        self.operation = operation


def allowlist() -> FrozenSet[Tuple[str, str]]:
    """The (botocore service name, operation name) pairs edgewiz may send."""
    from ..probes.specs import declared_operations

    return declared_operations()


def is_allowed(service: str, operation: str, allowed: Optional[Iterable[Tuple[str, str]]] = None) -> bool:
    """True when `service:operation` is a declared read (exact names, no prefixes)."""
    return (service, operation) in (allowlist() if allowed is None else frozenset(allowed))


def allowed_for(service_model, allowed: Optional[Iterable[Tuple[str, str]]] = None) -> FrozenSet[str]:
    """The declared operations of one service, spelled as its botocore model spells them (a declared
    name the model does not have allows nothing)."""
    pairs = allowlist() if allowed is None else frozenset(allowed)
    declared = {op for svc, op in pairs if svc == service_model.service_name}
    return frozenset(declared & set(service_model.operation_names))


def install_guard(client, allowed: Optional[Iterable[Tuple[str, str]]] = None, opt_in: str = "") -> None:
    """Register the before-call check on one botocore client (first, so nothing runs before it).
    `opt_in` names an OPT_INS entry whose operations this client alone may also send."""
    service_model = client.meta.service_model
    service = service_model.service_name
    if opt_in:
        allowed = (allowlist() if allowed is None else frozenset(allowed)) | OPT_INS[opt_in]
    names = allowed_for(service_model, allowed)

    def _check(model=None, **_kwargs):
        # before-call fires for every operation, signed or not, before the request is built.
        if model is not None and model.name not in names:
            raise WriteRefused(service, model.name)

    client.meta.events.register_first(f"before-call.{service_model.service_id.hyphenize()}", _check)

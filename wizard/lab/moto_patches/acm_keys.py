"""Provides the lab's ACM key pool: the RSA keys of certificates a scenario will request are made in
the background while its earlier calls run, instead of inside each RequestCertificate.

moto 5.2.5 (moto.acm.models.CertBundle.generate_cert) generates a new RSA-2048 key for every
requested certificate: 70-150 ms in the request, most of an ACM scenario step. Key generation in
`cryptography` releases the GIL, so a thread can make the keys on the other core while the lab
creates VPCs and security groups. Each key is used once: every certificate keeps its own fresh key,
made exactly as moto makes it (same size and exponent); only when it is made changes. A request
with no key prepared (more certificates than announced, or the aws CLI against `edgewiz lab up`)
generates its key itself, as moto does.

moto then writes the new key to PEM and reads it back to validate it (CertBundle.validate_pk), and
cryptography's RSA consistency check on that read costs another ~30 ms. A key moto has just generated
in this call is read back without that check (cryptography's unsafe_skip_rsa_key_validation, meant
for keys known to be valid); an imported certificate's key is still checked in full.
"""

from __future__ import annotations

import queue
import threading
from typing import Any, Callable

from ._common import after_import, wrap

_KEY_SIZE = 2048
_EXPONENT = 65537
_READY: "queue.Queue[Any]" = queue.Queue()
_LOCK = threading.Lock()
_pending = 0  # keys announced (being made or ready) and not yet taken
_IN_GENERATE = threading.local()


def prepare(count: int) -> None:
    """Make `count` more keys in a background thread (the certificates a scenario will request)."""
    global _pending
    if count <= 0:
        return
    with _LOCK:
        _pending += count
    threading.Thread(target=_make, args=(count,), name="edgewiz-acm-keys", daemon=True).start()


def _make(count: int) -> None:
    from cryptography.hazmat.primitives.asymmetric import rsa

    for _ in range(count):
        try:
            _READY.put(rsa.generate_private_key(public_exponent=_EXPONENT, key_size=_KEY_SIZE))
        except Exception:  # noqa: BLE001 - a key that cannot be made here is made in the request
            _READY.put(None)


def _take() -> Any:
    """A prepared key (waiting for one being made), or None when none was announced."""
    global _pending
    with _LOCK:
        if _pending <= 0:
            return None
        _pending -= 1
    try:
        return _READY.get(timeout=30)
    except queue.Empty:
        return None


def apply() -> None:
    # moto's ACM loads on its first request: scenarios without certificates never import it.
    after_import("moto.acm.models", _patch_module)


def _patch_module(models: Any) -> None:
    from cryptography.hazmat.primitives.asymmetric import rsa

    CertBundle = models.CertBundle  # noqa: N806 - moto's class
    original_cert = CertBundle.__dict__["generate_cert"].__func__
    if not getattr(original_cert, "_edgewiz_key_pool", False):
        def generate_cert(cls: Any, *args: Any, **kwargs: Any) -> Any:
            _IN_GENERATE.active = True
            try:
                return original_cert(cls, *args, **kwargs)
            finally:
                _IN_GENERATE.active = False

        generate_cert._edgewiz_key_pool = True  # type: ignore[attr-defined]
        CertBundle.generate_cert = classmethod(generate_cert)  # type: ignore[assignment]

    def make_validate_pk(original: Callable[..., Any]) -> Callable[..., Any]:
        def validate_pk(self: Any) -> Any:
            if not getattr(_IN_GENERATE, "active", False):
                return original(self)
            from cryptography.hazmat.primitives import serialization

            return serialization.load_pem_private_key(self.key, password=None, unsafe_skip_rsa_key_validation=True)
        return validate_pk

    wrap(CertBundle, "validate_pk", make_validate_pk)

    def make_generate_key(original: Callable[..., Any]) -> Callable[..., Any]:
        def generate_private_key(public_exponent: int, key_size: int, backend: Any = None) -> Any:
            # Only moto's certificate generation takes from the pool; any other caller is untouched.
            if getattr(_IN_GENERATE, "active", False) and (public_exponent, key_size) == (_EXPONENT, _KEY_SIZE):
                key = _take()
                if key is not None:
                    return key
            return original(public_exponent=public_exponent, key_size=key_size)
        return generate_private_key

    wrap(rsa, "generate_private_key", make_generate_key)

"""Provides the lab's fix to moto's service-model loading: one model loader per process, not one per
model.

moto 5.2.5 (moto.core.utils._load_service_model) makes a new botocore Loader for every service
model and paginator model it parses. A new loader knows nothing yet, so each one lists botocore's
data folder (400-odd services, a stat per entry) to find the model's API version: 30-40 ms per
model, paid on the first request of each service the lab serves, ~0.2-0.35 s of a first lab.
moto caches each parsed model for the process (get_service_model is functools.cache'd), so one
loader answering every load returns the same models, merged once with moto's extras.

That loader also takes each service model (service-2) from the process's botocore loader, which the
lab's clients and the scenario file's check already parsed, instead of parsing the file a second
time (EC2's is 1.5 MB of JSON: 60-150 ms of a first ALB lab, ~30 ms for CloudFront's). moto's
extras (a few error shapes, an XML namespace) are merged into copies of the parts they change only,
so the clients' models stay exactly botocore's. Only for the services below: a botocore client
rewrites some of its own operation models on first use (S3 drops `/{Bucket}` from each request
URI, S3 Control the `{AccountId}.` host prefix, botocore.handlers), which moto's router must not see.
"""

from __future__ import annotations

import copy
import threading
from typing import Any, Dict

_LOCK = threading.Lock()
# Large models the lab serves whose operation models botocore's clients leave as parsed.
SHARED_SERVICES = frozenset({"ec2", "cloudfront", "elbv2", "ecs", "route53", "acm"})


def apply() -> None:
    from moto.core import utils

    original = utils.create_loader
    if getattr(original, "_edgewiz_one", False):
        return
    one: Any = None

    def create_loader() -> Any:
        nonlocal one
        with _LOCK:
            if one is None:
                one = original()
                _share_parsed_models(one)
            return one

    create_loader._edgewiz_one = True  # type: ignore[attr-defined]
    utils.create_loader = create_loader


def _share_parsed_models(loader: Any) -> None:
    """Make `loader` (moto's) answer service-2 models from the process's botocore loader plus moto's
    extras, leaving paginators and the rest to its own loading."""
    own = loader.load_service_model
    shared: Any = None

    def load_service_model(service_name: str, type_name: str, api_version: Any = None) -> Any:
        nonlocal shared
        if type_name != "service-2" or service_name not in SHARED_SERVICES:
            return own(service_name, type_name, api_version)
        if shared is None:
            from ...aws.botocore_loader import model_session

            shared = model_session().get_component("data_loader")
        if api_version is None:
            api_version = loader.determine_latest_version(service_name, type_name)
        model = shared.load_service_model(service_name, type_name, api_version)  # botocore has no service-2 extras
        for extras in loader._find_extras(service_name, type_name, api_version):
            if "merge" in extras:
                model = _merged(model, extras["merge"])
        return model

    loader.load_service_model = load_service_model


def _merged(base: Dict[str, Any], extra: Dict[str, Any]) -> Dict[str, Any]:
    """botocore's deep_merge(base, extra) without changing `base`: only the dicts on extra's paths are
    copied, everything else is shared."""
    out = copy.copy(base)
    for key, value in extra.items():
        if isinstance(out.get(key), dict) and isinstance(value, dict):
            out[key] = _merged(out[key], value)
        else:
            out[key] = value
    return out

"""Provides build(): runs a scenario's calls against the lab's AWS server with ordinary boto3
clients (unguarded: the lab is the one place edgewiz writes), saving responses for later steps."""

from __future__ import annotations

import json
from typing import Any, Callable, Dict, List

from botocore.exceptions import ClientError

from .scenario import CallStep, ScenarioError, resolve


def _jsonify_string_params(client, operation: str, params: Dict[str, Any]) -> Dict[str, Any]:
    """Policies and the like are JSON strings in the API; a scenario may write them as YAML maps."""
    shape = client.meta.service_model.operation_model(operation).input_shape
    if shape is None:
        return params
    out = dict(params)
    for name, member in shape.members.items():
        if name in out and member.type_name == "string" and isinstance(out[name], (dict, list)):
            out[name] = json.dumps(out[name])
    return out


def run_steps(steps: List[CallStep], client_for: Callable[[str, Any, Any], Any], variables: Dict[str, Any],
              section: str, scenario_path: str) -> None:
    """Run each call in order; `client_for(service, account, region)` gives the acting client."""
    for step in steps:
        where = f"{scenario_path}: {section} step {step.index} ({step.service}.{step.operation})"
        client = client_for(step.service, step.account and str(resolve(step.account, variables)), step.region)
        try:
            params = resolve(step.params, variables)
            op_name = client.meta.method_to_api_mapping[step.operation]
            params = _jsonify_string_params(client, op_name, params)
            response = getattr(client, step.operation)(**params)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            if step.expect_error and code == step.expect_error:
                continue
            raise ScenarioError(f"{where}: AWS said {code}: {exc.response.get('Error', {}).get('Message')}") from None
        except ScenarioError as exc:
            raise ScenarioError(f"{where}: {exc}") from None
        except Exception as exc:  # parameter validation and the like: say which step
            raise ScenarioError(f"{where}: {type(exc).__name__}: {exc}") from None
        if step.expect_error:
            raise ScenarioError(f"{where}: expected the error {step.expect_error}, but the call succeeded")
        if step.save:
            response.pop("ResponseMetadata", None)
            if "Body" in response and hasattr(response["Body"], "read"):
                response["Body"] = response["Body"].read().decode("utf-8", "replace")
            variables[step.save] = response

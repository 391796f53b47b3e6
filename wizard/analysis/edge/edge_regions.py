"""Provides the Region whose CloudWatch Logs hold a Lambda@Edge function's logs for a request: the
Region nearest the edge location that served it, read from the X-Amz-Cf-Pop header's airport code.

Lambda@Edge runs in the regional edge cache upstream of the edge location and writes its logs to
CloudWatch Logs in that Region, in the log group /aws/lambda/us-east-1.FUNCTION (AWS "Lambda@Edge
CloudWatch metrics and logs"), not in us-east-1 where the function was created. The table maps the
busiest edge locations' airport codes to the Region of their regional edge cache; an unlisted code
gives None, and the finding then says to look in the Region nearest that airport.
"""

from __future__ import annotations

import re
from typing import Optional

_AIRPORTS = {
    "us-east-1": "IAD JFK EWR LGA BOS PHL ATL MIA CLT JAX TPA BNA YUL YTO YYZ",
    "us-east-2": "ORD DFW IAH DEN MSP CMH DTW MCI STL HIO",
    "us-west-1": "SFO SJC LAX SAN PHX LAS",
    "us-west-2": "SEA PDX YVR SLC",
    "sa-east-1": "GRU GIG EZE SCL BOG LIM FOR",
    "eu-west-1": "DUB",
    "eu-west-2": "LHR MAN EDI",
    "eu-central-1": "FRA MUC DUS HAM TXL BER ZRH VIE PRG WAW AMS BRU CDG MRS MXP MIL FCO MAD BCN LIS",
    "eu-north-1": "ARN HEL CPH OSL",
    "ap-northeast-1": "NRT HND KIX ITM FUK TPE",
    "ap-northeast-2": "ICN GMP",
    "ap-southeast-1": "SIN KUL BKK CGK MNL HKG SGN HAN",
    "ap-southeast-2": "SYD MEL BNE PER AKL",
    "ap-south-1": "BOM DEL MAA BLR HYD CCU",
}
_REGION_OF = {code: region for region, codes in _AIRPORTS.items() for code in codes.split()}
_POP = re.compile(r"^([A-Za-z]{3})")


def airport(pop: Optional[str]) -> Optional[str]:
    """The airport code an X-Amz-Cf-Pop value starts with ("NRT57-P3" -> "NRT"), or None."""
    match = _POP.match(str(pop or "").strip())
    return match.group(1).upper() if match else None


def log_region(pop: Optional[str]) -> Optional[str]:
    """The Region holding Lambda@Edge logs for requests served by `pop`, or None when unknown."""
    code = airport(pop)
    return _REGION_OF.get(code) if code else None


def log_group(function_name: str) -> str:
    """Lambda@Edge's log group name in every Region: /aws/lambda/us-east-1.FUNCTION."""
    return f"/aws/lambda/us-east-1.{function_name}"

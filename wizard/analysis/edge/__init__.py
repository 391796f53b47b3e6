"""Provides the edge side of the diagnosis: what a CloudFront configuration does with a request
(behavior, origin, S3 key, alias), who answered an HTTP response, which hosts a page loads assets
from, and the traffic path picture built from the findings."""

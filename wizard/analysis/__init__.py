"""Provides the pure analyses of edgewiz, grouped by what they decide: `s3` (bucket policies, CORS),
`network` (CloudFront → ALB → targets reachability), `logs` (access-log triage, Athena SQL) and
`edge` (CloudFront configuration, who answered, the path picture). No I/O: callers pass data in."""

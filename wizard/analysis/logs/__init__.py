"""Provides the log side of the diagnosis: CloudFront and ALB access lines parsed, what they say about
a 5xx (read from lines the caller supplies, never from disk), and Athena SQL for logs too large to pull."""

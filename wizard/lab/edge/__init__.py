"""Provides the lab's edge simulator: an HTTP server that answers as CloudFront, S3 (REST and
website endpoints) and the ALB would, deriving every answer from the AWS state it reads back from
the lab's AWS API server (plus the scenario's `sim` facts: page HTML, viewer country, clock).

It emulates what moto does not serve at all: the data plane.
"""

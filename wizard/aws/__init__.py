"""Provides the one place edgewiz talks to AWS: guarded, counted boto3 clients and read-only probes.

boto3 and botocore are imported only inside this package (a test checks it).
"""

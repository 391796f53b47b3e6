"""Provides the pure flow engine: loading playbooks, validating them, and walking them.

Nothing in this package imports boto3, httpx, textual or questionary (a test checks it).
"""

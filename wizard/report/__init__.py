"""Provides the reports: plain text for a terminal, JSON for scripts, Markdown for incident records.

Everything that came from HTTP, AWS or logs is cleaned of control sequences, and secrets are
redacted, before it is written anywhere.
"""

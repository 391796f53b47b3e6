"""Provides the report layer of edgewiz."""

"""Provides the checks layer of edgewiz."""

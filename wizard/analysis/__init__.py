"""Provides the analysis layer of edgewiz."""

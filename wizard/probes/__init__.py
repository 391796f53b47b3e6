"""Provides the probes layer of edgewiz."""

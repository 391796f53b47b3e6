"""Provides the lab layer of edgewiz."""

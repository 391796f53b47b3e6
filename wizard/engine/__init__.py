"""Provides the engine layer of edgewiz."""

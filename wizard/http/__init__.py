"""Provides the http layer of edgewiz."""

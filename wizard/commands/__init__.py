"""Provides the command-line commands, one module each, registered by wizard.cli."""

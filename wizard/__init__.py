"""edgewiz: a troubleshooting wizard for AWS edge incidents."""

__version__ = "0.1.0"

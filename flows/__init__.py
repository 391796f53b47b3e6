"""Provides nothing but a home: the playbooks (edge.yaml, findings.yaml) ship in the package as
wizard.flows and are read with importlib.resources (see wizard/playbooks.py)."""

"""Provides the app's widgets: the path graph view, the step list and the live probe status."""

from __future__ import annotations

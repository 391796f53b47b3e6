"""Provides the app's widgets: the path picture, the step list and the live probe status."""

from __future__ import annotations

"""Reproducible evaluation pipeline for NHS workforce programmes."""

__version__ = "0.1.0"

"""Inputs: reading a cohort folder, its specification, validation, the privacy guard and the cleaned tables."""

"""Seeded generators of the bundled synthetic example cohorts (invented data only)."""

"""Provenance an auditor can check: hashing, lineage, the run manifest, `verify` and the RO-Crate."""

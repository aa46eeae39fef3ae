"""The bad-input corpus: malformed cohorts made from the tiny cohort, one defect each (see corpus.py)."""

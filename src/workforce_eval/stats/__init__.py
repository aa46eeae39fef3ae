"""Numbers only: intervals, paired and two-group tests, effect sizes, scale scores and reliability, rounding."""

"""The producers of register rows: describe, breakdowns, themes, quotes, models, pre/post, programme."""

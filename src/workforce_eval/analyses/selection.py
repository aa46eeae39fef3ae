"""Which responses an analysis counts: shared by the analyses so none of them imports another's internals."""

from __future__ import annotations

import pandas as pd


def post_responses(survey: pd.DataFrame) -> pd.DataFrame:
    """Responses at the post time point (the contract's 'responses'); the survey itself when all are post."""
    post = (survey["timepoint"] == "post").to_numpy(dtype=bool)
    return survey if post.all() else survey[post]

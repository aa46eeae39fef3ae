"""The statistics register: the row type, reading and writing, the one query (`select`, `one`), the measure
catalogue and disclosure control. The row-level API is re-exported here: `from workforce_eval import register`."""

from workforce_eval.register.rows import (
    COLUMNS,
    CONTRACT_COLUMNS,
    EXTENSION_COLUMNS,
    NUMERIC_COLUMNS,
    TEXT_COLUMNS,
    Row,
    concat,
    format_number,
    normalise,
    one,
    read,
    select,
    text_columns,
    to_frame,
    write,
)

__all__ = [
    "COLUMNS",
    "CONTRACT_COLUMNS",
    "EXTENSION_COLUMNS",
    "NUMERIC_COLUMNS",
    "TEXT_COLUMNS",
    "Row",
    "concat",
    "format_number",
    "normalise",
    "one",
    "read",
    "select",
    "text_columns",
    "to_frame",
    "write",
]

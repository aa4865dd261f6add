"""A source table as a plain grid of cells (rows x grid columns), built by the docx and xlsx readers.

Every grid column of a row has a `Cell`; the grid columns one merged cell covers share its `key`,
and a cell that continues a vertical merge carries the text of the cell above with `cont=True`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Cell:
    text: str
    key: int  # identity of the source cell: equal across the columns/rows one merged cell covers
    cont: bool = False  # continues a vertical merge from the row above (text copied from it)


Row = list[Cell]


@dataclass
class Para:
    """A paragraph of running text between tables (or a title row above an Excel header)."""

    text: str


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)
    sheet: str | None = None
    hidden: frozenset[int] = frozenset()  # grid columns the sheet hides (0-based)


Block = Para | Table

"""Item delegates: search highlighting and in-place editors."""

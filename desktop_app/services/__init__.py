"""Use cases: each opens one short session and returns domain objects."""

"""Pure-Python ledger domain: no Qt, no SQLAlchemy."""

"""Qt item models: ledger list, task table."""

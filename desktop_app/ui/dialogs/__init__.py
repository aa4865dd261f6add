"""Dialogs: import wizard, export, settings, report dates, ledger properties."""

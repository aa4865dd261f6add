"""政务公开任务落实台账 (open-government task ledger) desktop program."""

__version__ = "0.1.0"
APP_NAME = "政务公开任务落实台账"
APP_ID = "desktop_app"

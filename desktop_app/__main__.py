"""Entry point for ``python -m desktop_app``."""

import gc
import sys

from desktop_app.cli import main

if __name__ == "__main__":
    code = main()
    # Leaving: the interpreter's last collection need not walk every object of the ledger shown (a
    # 50,000-task ledger, ~0.4 s); shutdown has closed the database and written the settings.
    gc.freeze()
    sys.exit(code)

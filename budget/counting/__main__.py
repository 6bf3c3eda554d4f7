"""`python -m budget.counting tally FILE.pb --rule RULE --json` (see cli.py)."""

import sys

from budget.counting.cli import main

sys.exit(main())

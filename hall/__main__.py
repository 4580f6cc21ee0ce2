"""`python -m hall` is the `hall` command, which lives above the roles in hall_cli/."""
from __future__ import annotations

import sys

from hall_cli.cli import main

sys.exit(main())

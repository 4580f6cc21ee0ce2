from __future__ import annotations

import sys

from hall_cli.cli import main

sys.exit(main())

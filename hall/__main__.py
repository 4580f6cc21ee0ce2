from __future__ import annotations

import sys

from hall.cli import main

sys.exit(main())

"""Counter terminal and rating pad (PySide6) for each window."""

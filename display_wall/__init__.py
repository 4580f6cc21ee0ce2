"""Display wall (PySide6 + pyqtgraph): now calling, windows, waits, notices, voice calls."""

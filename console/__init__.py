"""Manager console (PySide6): notices, ratings, complaints and reports."""

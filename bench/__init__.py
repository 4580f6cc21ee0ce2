"""Benchmarks of the hall, run with `hall bench`; each figure is printed beside its floor."""

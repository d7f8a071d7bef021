"""Reproducible benchmarks: `python -m bench <name> [options]` (see docs/benchmarks.md)."""

"""Benchmarks of placement servers: ``python -m benchmarks --help``, and
benchmarks/README.md."""

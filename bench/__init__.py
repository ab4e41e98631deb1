"""Benchmark tooling: a synthetic national data set and a benchmark of the service on it.

``python -m bench.generate`` loads the data set at a chosen scale into a PostgreSQL
database; ``python -m bench.run`` generates, serves the app on loopback and measures.
See bench/README.md.
"""

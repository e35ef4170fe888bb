"""Benchmarks (scripts, not timed tests): start-up, synthetic data, scale runs."""

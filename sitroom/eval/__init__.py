"""Scorers for the public benchmarks in ``../shared/data``."""

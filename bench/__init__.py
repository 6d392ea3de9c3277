"""Benchmarks and the synthetic district generator they use."""

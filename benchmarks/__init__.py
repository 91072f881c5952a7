"""Benchmarks: speed and accuracy of the studio's encoders against baselines (not run in CI)."""

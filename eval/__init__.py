"""Offline evaluation: the question set, metrics, the runner and its report."""

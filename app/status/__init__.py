"""Indicator status: windows and trajectory, the inputs read, the evaluation, the tallies."""

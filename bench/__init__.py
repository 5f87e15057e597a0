"""Load benchmark and soak test of ct (``make bench``, ``make soak``); see BENCHMARKS.md."""

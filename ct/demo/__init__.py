"""The demo company that `make run` seeds, and the word lists its data (and the benchmark's)
is made of."""

"""Autocomplete of contacts (to be written)."""

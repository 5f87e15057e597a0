"""Autocomplete of documents (to be written)."""

"""Autocomplete of projects (to be written)."""

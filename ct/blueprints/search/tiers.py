"""Autocomplete of tiers (to be written)."""

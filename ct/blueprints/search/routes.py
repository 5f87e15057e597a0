"""Autocomplete endpoints used by the exchange form (search as you type)."""

from ct.blueprints.search import bp  # noqa: F401

"""One module per record type, so each grows on its own."""

from ct.blueprints.search import contacts, documents, everything, projects, tiers  # noqa: F401

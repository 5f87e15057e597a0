"""Exchanges: the list query, its rows and history, links to records, status, CSV export."""

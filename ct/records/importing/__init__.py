"""CSV import of third parties and contacts: column mapping, row checks, background jobs."""

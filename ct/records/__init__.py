"""A company's records as a whole: CSV import, full export, closing, trash and audit log."""

"""The web layer's shared parts: the current member, htmx helpers, security headers, error
pages, the form fields and the record lookups every blueprint uses."""

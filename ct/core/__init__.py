"""The base every layer stands on: tenancy, database setup, jobs and the clock, the request
cache, permissions, pagination, search and text helpers. Imports nothing from the models,
the domain or the web layer."""

"""Entry point: ``flask --app app …`` and ``gunicorn app:app``."""

from ct import create_app

app = create_app()

"""Entry point: ``flask --app app …`` and ``gunicorn app:app``."""

from ct import create_app
from ct.config import ConfigError

try:
    app = create_app()
except ConfigError as error:  # an unsafe production setting: say which, no traceback
    raise SystemExit(f"ct cannot start: {error}") from None

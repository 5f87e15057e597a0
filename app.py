"""Entry point: ``flask --app app …`` and ``gunicorn app:app``."""

import gc

from ct import create_app
from ct.config import ConfigError

try:
    app = create_app()
except ConfigError as error:  # an unsafe production setting: say which, no traceback
    raise SystemExit(f"ct cannot start: {error}") from None

# What is loaded by now (the app, its models, routes, forms and translations) lives as long
# as the process: kept out of the cyclic garbage collector's full collections, which
# otherwise walk these ~200,000 objects every few dozen requests and made the slowest
# requests of a page several times its median (BENCHMARKS.md, "The REST API's exchanges
# list"). Each process freezes its own objects: gunicorn imports this module per worker.
gc.freeze()

"""Jobs queued before the modules moved into packages still run (kept for one release).

RQ stores a job's function as a dotted path ("ct.mailer.send_email") and imports it when
a worker picks the job up, maybe after a deploy. The modules that held job functions
(queued, or periodic: the clock's jobs waiting in the queue) moved; their old names
import as the new modules, through the finder below, which answers for these names only.
Remove the table one release after the move (and this module with it).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
from types import ModuleType

MOVED = {
    "ct.accounts": "ct.auth.accounts",
    "ct.exchange_export": "ct.exchanges.export",
    "ct.importing": "ct.records.importing",
    "ct.importing.runner": "ct.records.importing.runner",
    "ct.mailer": "ct.emails.mailer",
    "ct.notify": "ct.emails.notify",
    "ct.notify.digest": "ct.emails.notify.digest",
    "ct.notify.reminders": "ct.emails.notify.reminders",
    "ct.tenant_closing": "ct.records.closing",
    "ct.tenant_export": "ct.records.export",
    "ct.trash": "ct.records.trash",
}


class MovedModuleFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """``import ct.mailer`` gives the module ``ct.emails.mailer`` itself (not a copy: one
    module, one set of functions)."""

    def __init__(self) -> None:
        self._specs: dict[str, importlib.machinery.ModuleSpec] = {}

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in MOVED:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec) -> ModuleType:
        module = importlib.import_module(MOVED[spec.name])
        self._specs[spec.name] = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        # Already run under its new name; the import system set the old name's spec on
        # it: give the module back its own.
        module.__spec__ = self._specs[module.__spec__.name]


def install() -> None:
    if not any(isinstance(finder, MovedModuleFinder) for finder in sys.meta_path):
        # First: for "ct.notify.digest", the path finder would load the file a second
        # time under the old name from the new package's __path__.
        sys.meta_path.insert(0, MovedModuleFinder())

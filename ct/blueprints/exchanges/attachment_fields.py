"""The files of the exchange form: those chosen or dropped in the pop-up
(``attachments``) and those of the edited exchange to remove (``remove_attachment_ids``).

A mixin of ``ExchangeForm``: every file is checked with the rest of the form (size,
count, content: ct/attachments/files.py) and a refused one is an error next to the file
field — the exchange is not saved, nothing is written.
"""

from __future__ import annotations

from flask import g
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage
from wtforms import MultipleFileField

from ct.attachments.files import attach, check, detach, too_many
from ct.web.fields import IdListField


class AttachmentFields:
    attachments = MultipleFileField(_l("Attachments"))
    remove_attachment_ids = IdListField(_l("Remove"))
    exchange = None  # the exchange being edited (None: a new one), set by ``configure``
    # Filled by ``check_attachments`` (part of ``validate``); nothing before.
    checked_files: list | tuple = ()
    removed_ids: set | frozenset = frozenset()

    def check_attachments(self) -> None:
        """Keep the checked files on the form (``checked_files``) or say what is wrong."""
        self.checked_files = []
        # Only real files: a text field posted under the name (no multipart) is ignored.
        uploads = [file for file in self.attachments.data or []
                   if isinstance(file, FileStorage) and file.filename]
        own = {a.id for a in self.exchange.attachments} if self.exchange else set()
        self.removed_ids = set(self.remove_attachment_ids.data or [])
        if self.removed_ids - own:  # another exchange's file: refused, as any foreign id
            self.remove_attachment_ids.errors = [*self.remove_attachment_ids.errors,
                                                 _("Remove files of this exchange only.")]
            self.removed_ids &= own
        problems = []
        refusal = too_many(len(uploads), len(own - self.removed_ids))
        if refusal:
            problems.append(refusal)
        for upload in uploads:
            result = check(upload.filename, upload.stream)
            if isinstance(result, str):
                problems.append(result)
            else:
                self.checked_files.append(result)
        self.attachments.errors = [*self.attachments.errors, *problems]

    def save_attachments(self, exchange) -> None:
        """The removals and the new files, on the exchange just saved (caller commits)."""
        if self.removed_ids:
            detach(exchange, self.removed_ids)
        if self.checked_files:
            attach(exchange, self.checked_files, g.membership)

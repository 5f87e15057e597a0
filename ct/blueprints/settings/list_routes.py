"""Editing the contact modes and the objects: each action answers with the list again."""

from flask import abort, g, request
from flask_babel import gettext as _

from ct.blueprints.settings import bp, lists
from ct.blueprints.settings.forms import AddEntryForm, ImportEntriesForm, RenameEntryForm
from ct.blueprints.settings.page import ListEditor, list_answer
from ct.core.permissions import MANAGE_SETTINGS, require_right
from ct.extensions import db
from ct.models import Choice


def _kind_or_404(kind: str) -> str:
    if kind not in lists.EDITABLE:
        abort(404)
    return kind


def _entry_or_404(kind: str, entry_id: int) -> Choice:
    entry = lists.find(_kind_or_404(kind), entry_id)
    if entry is None:  # another tenant's entry, or another list's
        abort(404)
    return entry


@bp.post("/lists/<kind>/add")
@require_right(MANAGE_SETTINGS)
def add_entry(kind):
    form = AddEntryForm(_kind_or_404(kind))
    if not form.validate_on_submit():
        return list_answer(ListEditor(kind, add_form=form), 422)
    lists.add(kind, form.label.data, g.membership)
    db.session.commit()
    return list_answer(ListEditor(kind), notice=_("“%(label)s” added.", label=form.label.data))


@bp.post("/lists/<kind>/<int:entry_id>/rename")
@require_right(MANAGE_SETTINGS)
def rename_entry(kind, entry_id):
    entry = _entry_or_404(kind, entry_id)
    form = RenameEntryForm(kind, entry)
    if not form.validate_on_submit():
        return list_answer(ListEditor(kind, bound_rename=form), 422)
    lists.rename(entry, form.label.data, form.label_en.data, g.membership)
    db.session.commit()
    return list_answer(ListEditor(kind), notice=_("“%(label)s” saved.", label=entry.label))


@bp.post("/lists/<kind>/<int:entry_id>/move")
@require_right(MANAGE_SETTINGS)
def move_entry(kind, entry_id):
    entry = _entry_or_404(kind, entry_id)
    steps = {"up": -1, "down": 1}
    direction = request.form.get("direction")
    if direction not in steps:
        abort(400)
    lists.move(entry, steps[direction], g.membership)
    db.session.commit()
    notice = _("“%(label)s” moved up.", label=entry.label) if direction == "up" else \
        _("“%(label)s” moved down.", label=entry.label)
    return list_answer(ListEditor(kind), notice=notice)


@bp.post("/lists/<kind>/<int:entry_id>/active")
@require_right(MANAGE_SETTINGS)
def set_entry_active(kind, entry_id):
    entry = _entry_or_404(kind, entry_id)
    active = request.form.get("active")
    if active not in ("0", "1"):
        abort(400)
    lists.set_active(entry, active == "1", g.membership)
    db.session.commit()
    notice = _("“%(label)s” reactivated.", label=entry.label) if entry.active else \
        _("“%(label)s” deactivated: past exchanges keep it.", label=entry.label)
    return list_answer(ListEditor(kind), notice=notice)


@bp.post("/lists/<kind>/import")
@require_right(MANAGE_SETTINGS)
def import_entries(kind):
    form = ImportEntriesForm(_kind_or_404(kind))
    if not form.validate_on_submit():
        return list_answer(ListEditor(kind, import_form=form), 422)
    added, reactivated, kept = lists.import_labels(kind, form.labels, g.membership)
    db.session.commit()
    notice = _("%(added)d added, %(reactivated)d reactivated, %(kept)d already in the list.",
               added=added, reactivated=reactivated, kept=kept)
    return list_answer(ListEditor(kind), notice=notice)

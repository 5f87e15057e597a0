"""The three statuses of an exchange as people read them: a name and an icon, so a
status never rests on colour alone. The one source of their names, for the lists, the
form, the card, the home page, the exports and the audit log."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ct.models.choices import KIND_STATUS, Choice
from ct.models.exchange import STATUS_CLOSED, STATUS_IN_PROGRESS, STATUS_TODO

# In display order; the names used are the tenant's list of statuses when it has them.
STATUS_LABELS = {
    STATUS_TODO: _l("To do"),
    STATUS_IN_PROGRESS: _l("In progress"),
    STATUS_CLOSED: _l("Closed"),
}
# The form and the card offer the most common one first.
CHOICE_ORDER = (STATUS_CLOSED, STATUS_IN_PROGRESS, STATUS_TODO)
STATUS_ICONS = {STATUS_TODO: "!", STATUS_IN_PROGRESS: "◐", STATUS_CLOSED: "✓"}


def status_names() -> dict[str, str]:
    """Each status with the name the tenant's list gives it (Clôturé, En cours, À traiter…)."""
    named = {c.code: c.display for c in Choice.active_of(KIND_STATUS)}
    return {code: named.get(code) or str(label) for code, label in STATUS_LABELS.items()}


def status_choices() -> list[tuple[str, str]]:
    """(code, name) in the order the form and the card's buttons offer them."""
    names = status_names()
    return [(code, names[code]) for code in CHOICE_ORDER]

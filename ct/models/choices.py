"""Tenant-editable lists of the module: contact modes, objects, statuses."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask_babel import get_locale
from sqlalchemy import Boolean, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from ct.core.session_cache import cached
from ct.core.tenancy import TenantScoped
from ct.extensions import db

KIND_MODE = "mode"
KIND_OBJECT = "object"
KIND_STATUS = "status"
KIND_DOCUMENT = "document"
LABEL_MAX = 100

# Seeded into every new tenant: (code, French label, English label).
DEFAULTS = {
    KIND_MODE: [
        ("phone", "Téléphone", "Phone"),
        ("email", "E-mail", "Email"),
        ("meeting", "Rendez-vous", "Meeting"),
        ("video", "Visioconférence", "Video call"),
        ("visit", "Visite", "Visit"),
        ("letter", "Courrier", "Letter"),
    ],
    KIND_OBJECT: [
        ("prospecting", "Prospection", "Prospecting"),
        ("quote", "Devis", "Quote"),
        ("order", "Commande", "Order"),
        ("unpaid", "Relance impayé", "Unpaid invoice follow-up"),
        ("after_sales", "Service après-vente", "After-sales"),
        ("other", "Autre", "Other"),
    ],
    KIND_DOCUMENT: [
        ("quote", "Devis", "Quote"),
        ("order", "Commande", "Order"),
        ("invoice", "Facture", "Invoice"),
        ("contract", "Contrat", "Contract"),
        ("intervention", "Intervention", "Intervention"),
    ],
    # Statuses are fixed by the module (their codes drive behaviour), labels only.
    KIND_STATUS: [
        ("closed", "Clôturé", "Closed"),
        ("in_progress", "En cours", "In progress"),
        ("todo", "À traiter", "To do"),
    ],
}


def display_label(label: str | None, label_en: str | None) -> str:
    """An entry's label in the reader's language (tenant-typed entries have just one);
    "" for no entry."""
    if label_en and str(get_locale()) == "en":
        return label_en
    return label or ""


class Choice(TenantScoped, db.Model):
    __tablename__ = "choices"
    __extra_args__ = (UniqueConstraint("tenant_id", "kind", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    code: Mapped[str | None] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(LABEL_MAX))
    label_en: Mapped[str | None] = mapped_column(String(LABEL_MAX))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def display(self) -> str:
        return display_label(self.label, self.label_en)

    @staticmethod
    def seed_defaults() -> None:
        for kind, entries in DEFAULTS.items():
            for position, (code, label_fr, label_en) in enumerate(entries):
                db.session.add(Choice(kind=kind, code=code, label=label_fr,
                                      label_en=label_en, position=position))

    @staticmethod
    def active_of(kind: str) -> list[ListEntry]:
        """The active entries of one list, in order. Every list of the tenant is read in
        one query and kept between requests while the tenant's lists version holds
        (ct/core/session_cache.py): the exchange list, its filters and the exchange form each
        ask for three or four lists."""
        return list(cached("active_choices", (Choice,), _active_by_kind, shared=True)
                    .get(kind, ()))


@dataclass(frozen=True, slots=True)
class ListEntry:
    """An active entry of a list as kept between requests: plain values, no session."""
    id: int
    kind: str
    code: str | None
    label: str
    label_en: str | None

    @property
    def display(self) -> str:
        return display_label(self.label, self.label_en)


def _active_by_kind() -> dict[str, tuple[ListEntry, ...]]:
    by_kind = defaultdict(list)
    for row in db.session.execute(
        select(Choice.id, Choice.kind, Choice.code, Choice.label, Choice.label_en)
        .where(Choice.active.is_(True))
        .order_by(Choice.kind, Choice.position, Choice.id)
    ):
        by_kind[row.kind].append(ListEntry(*row))
    return {kind: tuple(entries) for kind, entries in by_kind.items()}


def choice_labels(ids: set[int | None]) -> dict[int, str]:
    """The labels (in the reader's language) of these modes and objects: the active
    ones from the tenant's lists, retired ones read in one more statement if any."""
    active = {c.id: c for kind in (KIND_MODE, KIND_OBJECT) for c in Choice.active_of(kind)}
    missing = [i for i in ids if i is not None and i not in active]
    found = list(active.values())
    if missing:
        found += db.session.scalars(select(Choice).where(Choice.id.in_(missing)))
    return {c.id: c.display for c in found}

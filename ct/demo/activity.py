"""A few weeks of activity for the demo company, dated around the day it is created, so
the home page shows every widget with something in it: exchanges (two still to do),
past and coming events, tasks (one overdue)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from ct.extensions import db
from ct.models import (
    Choice,
    Contact,
    Event,
    EventAssignee,
    EventContact,
    Exchange,
    ExchangeContact,
    Membership,
    Project,
    Task,
    Tiers,
)
from ct.models.choices import KIND_MODE, KIND_OBJECT

# name, town, customer?, contact (first, last, job)
TIERS = [
    ("Garage Lenoir", "Villeurbanne", True, ("Zoé", "Lenoir", "Gérante")),
    ("Boulangerie Petit", "Lyon", True, ("Marc", "Petit", "Artisan")),
    ("Transports Rivière", "Vénissieux", False, ("Inès", "Rivière", "Directrice logistique")),
    ("Hôtel des Alpes", "Annecy", False, ("Hugo", "Bernard", "Directeur")),
]
# days ago, tiers, mode, object, status, comment
EXCHANGES = [
    (20, 0, "visit", "prospecting", "closed", "Première visite : flotte de trois utilitaires."),
    (14, 1, "phone", "quote", "closed", "Demande de devis pour un four mixte."),
    (9, 2, "email", "prospecting", "in_progress", "Intéressés par nos contrats d’entretien."),
    (6, 0, "meeting", "quote", "closed", "Devis DEV-2026-014 présenté, accord de principe."),
    (4, 3, "phone", "prospecting", "in_progress", "Rappeler après leur saison d’hiver."),
    (2, 1, "email", "order", "closed", "Commande confirmée, livraison la semaine prochaine."),
    (1, 2, "phone", "unpaid", "todo", "Facture F-0412 impayée : relancer la comptabilité."),
    (-1, 3, "video", "quote", "todo", "Présenter le devis en visioconférence."),
]
# days from today, hour, title, tiers
EVENTS = [
    (-12, 10, "Visite de l’atelier", 0),
    (-7, 14, "Dégustation des produits", 1),
    (-3, 9, "Réunion logistique", 2),
    (0, 16, "Appel de suivi de commande", 1),
    (3, 11, "Rendez-vous avec la direction", 3),
]
# days from today (None: no date), label
TASKS = [(-2, "Envoyer les conditions générales"), (0, "Préparer le devis hôtel"),
         (5, "Relancer pour le contrat d’entretien"), (None, "Mettre à jour la fiche client")]


def seed_activity(admin: Membership, team: list[Membership], zone) -> None:
    today = datetime.now(zone).date()
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    codes = {(c.kind, c.code): c.id for c in Choice.active_of(KIND_MODE)
             + Choice.active_of(KIND_OBJECT)}
    tiers, contacts = [], []
    for name, town, customer, (first, last, job) in TIERS:
        record = Tiers(name=name, town=town, is_customer=customer, is_prospect=not customer)
        db.session.add(record)
        db.session.flush()
        contact = Contact(first_name=first, last_name=last, job_title=job, tiers_id=record.id)
        db.session.add(contact)
        tiers.append(record)
        contacts.append(contact)
    db.session.flush()
    for i, (days, t, mode, subject, status, comment) in enumerate(EXCHANGES):
        maker = admin if i % 3 != 2 or not team else team[i % len(team)]
        exchange = Exchange(
            tiers_id=tiers[t].id, author_id=admin.id, made_by_id=maker.id,
            occurred_at=now - timedelta(days=days, hours=i), status=status, comment=comment,
            mode_id=codes.get((KIND_MODE, mode)), object_id=codes.get((KIND_OBJECT, subject)))
        db.session.add(exchange)
        db.session.flush()
        db.session.add(ExchangeContact(exchange_id=exchange.id, contact_id=contacts[t].id))
    for days, hour, title, t in EVENTS:
        starts = datetime.combine(today + timedelta(days=days), time(hour), tzinfo=zone)
        event = Event(title=title, starts_at=starts.astimezone(UTC),
                      ends_at=(starts + timedelta(hours=1)).astimezone(UTC), tiers_id=tiers[t].id,
                      created_by_id=admin.id, done=days < 0)
        event.assignee_links = [EventAssignee(membership_id=admin.id)]
        event.contact_links = [EventContact(contact_id=contacts[t].id)]
        db.session.add(event)
    project = Project(reference="PRJ-2026-01", title="Équipement de l’hôtel",
                      tiers_id=tiers[3].id, created_by_id=admin.id)
    db.session.add(project)
    db.session.flush()
    for days, label in TASKS:
        db.session.add(Task(label=label, project_id=project.id, assignee_id=admin.id,
                            created_by_id=admin.id, done=False,
                            due_date=None if days is None else today + timedelta(days=days)))
    db.session.flush()

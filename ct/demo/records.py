"""Months of history for the demo company, so that every page of ``make run`` shows
real-looking data: third parties with contacts, documents, products and exchanges spread
over half a year. Drawn from the French word lists of ct/demo/names.py with a fixed seed,
so the demo is the same on every machine."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from ct.core.text import fold
from ct.demo import names
from ct.extensions import db
from ct.models import (
    Choice,
    Contact,
    Document,
    Exchange,
    ExchangeContact,
    ExchangeProduct,
    Membership,
    Product,
    Tiers,
)
from ct.models.choices import KIND_DOCUMENT, KIND_MODE, KIND_OBJECT
from ct.models.exchange import STATUS_CLOSED, STATUS_IN_PROGRESS

SEED = 2026
TIERS_COUNT = 36
EXCHANGES_COUNT = 120
DAYS_OF_HISTORY = 180


def _company(rng: random.Random) -> str:
    form = rng.choice(names.LEGAL_FORMS)
    name = f"{rng.choice(names.COMPANY_WORDS)} {rng.choice(names.LAST_NAMES)}"
    return f"{name} {form}".strip()


def _email(first: str, last: str, rng: random.Random) -> str:
    local = fold(f"{first}.{last}").replace(" ", "-").replace("'", "")
    return f"{local}@{rng.choice(names.DOMAINS)}"


def _phone(rng: random.Random) -> str:
    pairs = " ".join(f"{rng.randrange(100):02d}" for _ in range(4))
    return f"0{rng.choice('123456')} {pairs}"


def seed_records(admin: Membership, team: list[Membership]) -> None:
    rng = random.Random(SEED)
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    modes = [c.id for c in Choice.active_of(KIND_MODE)]
    objects = [c.id for c in Choice.active_of(KIND_OBJECT)]
    kinds = [c.id for c in Choice.active_of(KIND_DOCUMENT)]
    makers = [admin, *team]

    products = [Product(reference=f"P-{i + 1:03d}", label=label,
                        price=Decimal(rng.randrange(40, 2400)))
                for i, label in enumerate(names.PRODUCTS[:6])]
    db.session.add_all(products)

    tiers, contacts, documents = [], {}, {}
    used = set()
    while len(tiers) < TIERS_COUNT:
        name = _company(rng)
        if name in used:
            continue
        used.add(name)
        town, postcode = rng.choice(names.TOWNS)
        customer = rng.random() < 0.6
        record = Tiers(name=name, town=town, postcode=postcode,
                       street=f"{rng.randrange(1, 120)} {rng.choice(names.STREETS)}",
                       phone=_phone(rng), is_customer=customer, is_prospect=not customer,
                       is_supplier=rng.random() < 0.1)
        tiers.append(record)
    db.session.add_all(tiers)
    db.session.flush()

    for number, record in enumerate(tiers):
        people = []
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
            people.append(Contact(first_name=first, last_name=last, tiers_id=record.id,
                                  job_title=rng.choice(names.JOB_TITLES),
                                  email=_email(first, last, rng), phone=_phone(rng)))
        contacts[record.id] = people
        if number % 3 == 0:
            documents[record.id] = Document(
                kind_id=rng.choice(kinds), reference=f"DOC-2026-{number + 100:04d}",
                tiers_id=record.id, amount=Decimal(rng.randrange(300, 25000)),
                date=(now - timedelta(days=rng.randrange(DAYS_OF_HISTORY))).date(),
                created_by_id=admin.id)
        db.session.add_all(people)
    db.session.add_all(documents.values())
    db.session.flush()

    for _ in range(EXCHANGES_COUNT):
        record = rng.choice(tiers)
        people = contacts[record.id]
        spoken = rng.sample(people, k=min(len(people), rng.choice((1, 1, 2))))
        document = documents.get(record.id)
        comment = " ".join(part for part in (
            rng.choice(names.OPENINGS).format(first=spoken[0].first_name),
            rng.choice(names.SUBJECTS).format(
                ref=document.reference if document else f"DEV-{rng.randrange(1000, 9999)}"),
            "—", rng.choice(names.NEXT_STEPS)) if part).rstrip(" —")
        maker = rng.choice(makers)
        exchange = Exchange(
            tiers_id=record.id, author_id=maker.id, made_by_id=maker.id,
            occurred_at=now - timedelta(days=rng.randrange(3, DAYS_OF_HISTORY),
                                        hours=rng.randrange(8)),
            mode_id=rng.choice(modes), object_id=rng.choice(objects), comment=comment,
            status=STATUS_CLOSED if rng.random() < 0.85 else STATUS_IN_PROGRESS,
            document_id=document.id if document and rng.random() < 0.5 else None)
        db.session.add(exchange)
        db.session.flush()
        db.session.add_all(ExchangeContact(exchange_id=exchange.id, contact_id=person.id)
                           for person in spoken)
        if rng.random() < 0.25:
            db.session.add(ExchangeProduct(exchange_id=exchange.id,
                                           product_id=rng.choice(products).id))
    db.session.flush()
